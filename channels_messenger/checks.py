"""A Messenger set-up with some but not all of its settings is a start-up error, not a sandbox."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def messenger_settings_complete(app_configs=None, **kwargs) -> list[Error]:
    names = settings.MESSENGER_SETTINGS
    missing = [name for name in names if not getattr(settings, name, "")]
    if not missing or len(missing) == len(names):
        return []
    return [
        Error(
            f"Messenger is partly configured: {', '.join(missing)} not set.",
            hint=(
                f"Set all of {', '.join(names)} to use Messenger, or none of them for the sandbox."
            ),
            id="thuisfront.E011",
        )
    ]
