from django.contrib import admin

from webcare_inbox.models import (
    AgentProfile,
    AuditEntry,
    CannedReply,
    Conversation,
    Label,
    Message,
    Team,
)


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ("created_at", "direction", "author", "automated", "text", "delivery")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class AuditInline(admin.TabularInline):
    model = AuditEntry
    extra = 0
    fields = ("at", "actor", "action", "detail")
    readonly_fields = fields
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "customer",
        "channel",
        "status",
        "handled_by",
        "team",
        "assignee",
        "csat_score",
        "last_message_at",
    )
    list_filter = ("status", "channel", "handled_by", "team", "labels")
    search_fields = (
        "customer__given_name",
        "customer__family_name",
        "contact_point__address",
        "last_message_preview",
    )
    raw_id_fields = ("customer", "contact_point", "trip", "assignee")
    filter_horizontal = ("labels",)
    inlines = [MessageInline, AuditInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("id", "conversation", "direction", "author", "automated", "created_at")
    list_filter = ("direction", "automated")
    search_fields = ("text",)
    raw_id_fields = ("conversation", "inbound", "delivery")
    filter_horizontal = ("mentions",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name",)
    filter_horizontal = ("members",)


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "language", "available", "max_open", "last_assigned_at")
    list_editable = ("available", "max_open")
    raw_id_fields = ("user",)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ("shortcut", "body")
    search_fields = ("shortcut", "body")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "detail", "conversation")
    list_filter = ("action",)
    raw_id_fields = ("conversation", "actor")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the record of what happened is not edited afterwards
