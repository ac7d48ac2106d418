from django.apps import AppConfig


class WebcareInboxConfig(AppConfig):
    name = "webcare_inbox"
    verbose_name = "Webcare inbox"

    def ready(self) -> None:
        from django.core import checks

        from webcare_inbox import receivers  # noqa: F401
        from webcare_inbox.checks import webcare_hours_settings

        checks.register(webcare_hours_settings)
