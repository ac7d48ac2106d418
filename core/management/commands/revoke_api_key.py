from django.core.management.base import BaseCommand, CommandError

from core.services import api_key_revoke


class Command(BaseCommand):
    help = "Revoke an API key by its prefix (the part after tf_, as list_api_keys shows it)."

    def add_arguments(self, parser):
        parser.add_argument("prefix", help="e.g. 3fa85f64 (from tf_3fa85f64_…)")

    def handle(self, *args, prefix: str, **options):
        prefix = prefix.removeprefix("tf_").split("_", 1)[0]
        row = api_key_revoke(prefix=prefix)
        if row is None:
            raise CommandError(f"no API key with prefix {prefix!r} (see list_api_keys)")
        self.stdout.write(
            f"API key {row.prefix} ({row.name}) is revoked since {row.revoked_at:%Y-%m-%d %H:%M}; "
            "requests with it answer 401."
        )
