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
from core.services import api_key_revoke


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
    """Keys are listed with their last use and revoked here; they are created with
    `manage.py create_api_key NAME`, which shows a key once (the admin would have to keep it)."""

    list_display = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    readonly_fields = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked keys stay listed: when they were last used is worth knowing

    @admin.action(description="Revoke the selected API keys")
    def revoke(self, request, queryset):
        revoked = [api_key_revoke(prefix=key.prefix) for key in queryset]
        self.message_user(
            request, f"Revoked {len(revoked)} API key(s): requests with them get 401."
        )
