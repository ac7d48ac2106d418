from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        """Every app's personal_data.py declares its models (core/data_protection.py); the
        suppression list answers core's question whether an address may be opted in."""
        from django.core import checks
        from django.utils.module_loading import autodiscover_modules

        from core.data_protection import suppression_lookup_register
        from privacy import tasks  # noqa: F401  the retention task, by name in Celery's registry
        from privacy.checks import models_declared, retention_kinds_known
        from privacy.selectors import suppressed_since

        autodiscover_modules("personal_data")
        suppression_lookup_register(suppressed_since)
        checks.register(retention_kinds_known)
        checks.register(models_declared)
