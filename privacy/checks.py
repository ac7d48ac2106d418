"""Start-up checks: a retention rule for a kind of data with no configured period is an error; a
model that does not say whether it holds personal data is a warning (and fails the tests)."""

from django.apps import apps
from django.conf import settings
from django.core import checks

from core.data_protection import declarations, undeclared


def retention_kinds_known(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    known = settings.PRIVACY_RETENTION_DAYS
    errors = []
    for d in declarations():
        for kind in d.retention:
            if kind not in known:
                errors.append(
                    checks.Error(
                        f"{d.model._meta.label} purges {kind!r}, which PRIVACY_RETENTION_DAYS "
                        f"does not name (known: {', '.join(sorted(known))})",
                        id="privacy.E001",
                    )
                )
    return errors


def models_declared(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return undeclared_warnings(list(apps.get_models()))


def undeclared_warnings(models) -> list[checks.CheckMessage]:
    return [
        checks.Warning(
            f"{model._meta.label} does not say whether it holds personal data",
            hint="declare it in its app's personal_data.py with core.data_protection.holds() "
            "or holds_none() (README, Privacy)",
            id="privacy.W001",
        )
        for model in undeclared(models)
    ]
