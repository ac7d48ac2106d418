from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        # The signal receivers, and the tasks: enqueue.py finds them by name in Celery's registry.
        from notifications import receivers, shutdown, tasks  # noqa: F401
