from django.apps import AppConfig


class WebcareInboxConfig(AppConfig):
    name = "webcare_inbox"
