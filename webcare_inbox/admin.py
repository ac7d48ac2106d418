from django.contrib import admin

from webcare_inbox.models import Conversation, Message


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ("created_at", "direction", "author", "automated", "text", "delivery")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("id", "customer", "channel", "status", "assignee", "last_message_at", "last_message_preview")
    list_filter = ("status", "channel")
    search_fields = ("customer__given_name", "customer__family_name", "contact_point__address", "last_message_preview")
    raw_id_fields = ("customer", "contact_point", "trip")
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("id", "conversation", "direction", "author", "automated", "created_at")
    list_filter = ("direction", "automated")
    search_fields = ("text",)
    raw_id_fields = ("conversation", "inbound", "delivery")
