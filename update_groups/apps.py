from django.apps import AppConfig


class UpdateGroupsConfig(AppConfig):
    name = "update_groups"
    verbose_name = "Update groups"

    def ready(self) -> None:
        """Plug into the seams the engine and the inbox own; neither imports this app."""
        from notifications.selectors import recipient_source_register
        from update_groups import chat_handlers, receivers  # noqa: F401
        from update_groups.selectors import group_member_contact_points, panel_rows
        from webcare_inbox.selectors import PanelSection, panel_section_register
        from webcare_inbox.services import inbound_handler_register

        recipient_source_register(group_member_contact_points)
        for handler in chat_handlers.HANDLERS:
            inbound_handler_register(handler)
        panel_section_register(PanelSection(template="update_groups/_panel.html", rows=panel_rows))
