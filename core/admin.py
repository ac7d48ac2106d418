from django.contrib import admin

from core.models import (
    ApiKey,
    Booking,
    ConsentRecord,
    ContactPoint,
    Customer,
    InboundMessage,
    Passenger,
    Segment,
    Trip,
)


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    extra = 0
    fields = (
        "channel",
        "address",
        "opted_in",
        "opted_in_at",
        "opt_in_source",
        "opted_out_at",
        "last_inbound_at",
        "unreachable_reason",
    )
    readonly_fields = ("opted_in_at", "opted_out_at", "last_inbound_at")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("__str__", "language", "formality", "created_at")
    search_fields = ("given_name", "family_name", "contact_points__address")
    inlines = [ContactPointInline]


class ConsentRecordInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    readonly_fields = ("action", "source", "at")


@admin.register(ContactPoint)
class ContactPointAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "customer",
        "opted_in",
        "opt_in_source",
        "last_inbound_at",
        "unreachable_code",
    )
    list_filter = ("channel", "opted_in")
    search_fields = ("address", "provider_user_id", "customer__given_name", "customer__family_name")
    raw_id_fields = ("customer",)
    inlines = [ConsentRecordInline]


class PassengerInline(admin.TabularInline):
    model = Passenger
    extra = 0
    raw_id_fields = ("customer",)
    readonly_fields = ("follow_code", "opt_in_code")


class SegmentInline(admin.TabularInline):
    model = Segment
    extra = 0
    raw_id_fields = ("trip",)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("reference", "created_at", "updated_at")
    search_fields = ("reference", "passengers__family_name")
    inlines = [PassengerInline, SegmentInline]


@admin.register(Trip)
class TripAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "origin",
        "destination",
        "scheduled_departure",
        "status",
        "estimated_departure",
        "gate",
    )
    list_filter = ("status", "local_date")
    search_fields = ("service",)


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("received_at", "channel", "kind", "from_address", "text", "processed_at")
    list_filter = ("channel", "kind")
    search_fields = ("from_address", "text", "provider_message_id")
    readonly_fields = [f.name for f in InboundMessage._meta.fields]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
