from django.apps import AppConfig


class WebcareInboxConfig(AppConfig):
    name = "webcare_inbox"
    verbose_name = "Webcare inbox"

    def ready(self) -> None:
        from webcare_inbox import receivers  # noqa: F401
