from django.apps import AppConfig


class ChannelsMessengerConfig(AppConfig):
    name = "channels_messenger"
