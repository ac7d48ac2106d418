from django.core.management.base import BaseCommand

from core.models import ApiKey


def _when(moment) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "never"


class Command(BaseCommand):
    help = "List the API keys: prefix, name, created, last used and whether revoked (never a key)."

    def handle(self, *args, **options):
        keys = ApiKey.objects.order_by("created_at")
        if not keys:
            self.stdout.write("No API keys. Create one with `manage.py create_api_key NAME`.")
        for key in keys:
            state = f"revoked {_when(key.revoked_at)}" if key.revoked_at else "active"
            self.stdout.write(
                f"{key.prefix}  {key.name:<30}  created {_when(key.created_at)}  "
                f"last used {_when(key.last_used_at)}  {state}"
            )
