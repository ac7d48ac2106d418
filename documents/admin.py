from django.contrib import admin

from documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("kind", "trip", "passenger", "seat", "gate", "created_at", "superseded_at")
    list_filter = ("kind", "barcode_format")
    search_fields = ("booking__reference", "passenger__family_name", "trip__service")
    raw_id_fields = ("booking", "passenger", "trip", "replaces")
    readonly_fields = ("content_hash", "size", "first_fetched_at", "fetches", "purged_at")
    exclude = ("pdf", "deliveries")
