from django.apps import AppConfig


class WebcareInboxConfig(AppConfig):
    name = "webcare_inbox"
    verbose_name = "Webcare inbox"

    def ready(self) -> None:
        from django.core import checks

        from webcare_inbox import receivers  # noqa: F401
        from webcare_inbox.callbacks import inbound_callback
        from webcare_inbox.channel_switch import inbound_channel_request
        from webcare_inbox.checks import webcare_hours_settings
        from webcare_inbox.services import inbound_handler_register

        checks.register(webcare_hours_settings)
        # "Bel mij" is a call-back before any feature app reads it as asking for a person.
        inbound_handler_register(inbound_callback, ahead=True)
        inbound_handler_register(inbound_channel_request, ahead=True)
