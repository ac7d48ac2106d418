from django.apps import AppConfig


class ChannelsWhatsappConfig(AppConfig):
    name = "channels_whatsapp"
    verbose_name = "WhatsApp through Twilio"

    def ready(self) -> None:
        from django.core import checks

        from channels_whatsapp.checks import twilio_settings
        from core.messaging import status_callback_view_register
        from core.models import Channel

        checks.register(twilio_settings)
        status_callback_view_register(channel=Channel.WHATSAPP, url_name="whatsapp:twilio-status")
