from django.contrib import admin

from notifications.models import (
    Delivery,
    MessageTemplate,
    ScheduledMessage,
    StatusEvent,
    TripEvent,
)


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ("channel", "kind", "language", "formality", "content_sid", "active")
    list_filter = ("channel", "kind", "language", "formality", "active")
    list_editable = ("content_sid", "active")
    search_fields = ("content_sid", "body")


class StatusEventInline(admin.TabularInline):
    model = StatusEvent
    extra = 0
    can_delete = False
    readonly_fields = ("status", "error_code", "received_at", "applied")
    fields = readonly_fields


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "channel",
        "contact_point",
        "status",
        "error_code",
        "attempts",
    )
    list_filter = ("status", "kind", "channel", "lane")
    search_fields = ("provider_message_id", "contact_point__address", "text")
    raw_id_fields = ("event", "trip", "booking", "customer", "contact_point")
    readonly_fields = (
        "status",
        "status_rank",
        "provider_message_id",
        "queued_at",
        "sent_at",
        "delivered_at",
        "read_at",
        "failed_at",
    )
    inlines = [StatusEventInline]


@admin.register(TripEvent)
class TripEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "trip", "type", "recipients", "fanned_out_at")
    list_filter = ("type",)
    raw_id_fields = ("trip",)
    readonly_fields = ("idempotency_key", "request_hash", "payload")


@admin.register(ScheduledMessage)
class ScheduledMessageAdmin(admin.ModelAdmin):
    """The trip timeline: what is due when, what went, and why something was dropped."""

    list_display = ("due_at", "kind", "trip", "customer", "status", "note")
    list_filter = ("status", "kind")
    search_fields = ("trip__service", "customer__family_name", "booking__reference")
    raw_id_fields = ("trip", "customer", "booking", "event", "delivery")
    readonly_fields = ("dedupe_key", "status", "note", "delivery", "done_at", "created_at")
