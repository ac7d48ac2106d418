from django.apps import AppConfig


class ChannelsMessengerConfig(AppConfig):
    name = "channels_messenger"
    verbose_name = "Messenger"

    def ready(self) -> None:
        from channels_messenger import checks  # noqa: F401  registers the settings check
