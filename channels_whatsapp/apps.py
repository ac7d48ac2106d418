from django.apps import AppConfig


class ChannelsWhatsappConfig(AppConfig):
    name = "channels_whatsapp"
    verbose_name = "WhatsApp through Twilio"

    def ready(self) -> None:
        from django.core import checks

        from channels_whatsapp.checks import twilio_settings

        checks.register(twilio_settings)
