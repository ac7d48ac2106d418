"""A retention rule for a kind of data with no configured period is a start-up error."""

from django.conf import settings
from django.core import checks

from core.data_protection import declarations


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
