from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        """Plug into the seams the engine and the inbox own; neither imports this app."""
        from django.core import checks

        from documents import tasks  # noqa: F401
        from documents.checks import barcode_formats_check
        from documents.selectors import panel_rows
        from documents.services import reminder_attachment
        from notifications.selectors import attachment_source_register
        from webcare_inbox.selectors import PanelSection, panel_section_register

        checks.register(barcode_formats_check)
        attachment_source_register(reminder_attachment)
        panel_section_register(PanelSection(template="documents/_panel.html", rows=panel_rows))
