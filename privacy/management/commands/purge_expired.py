"""manage.py purge_expired: what the hourly retention task does, now."""

from django.core.management.base import BaseCommand

from privacy.services import retention_purge


class Command(BaseCommand):
    help = "Purge everything kept longer than PRIVACY_RETENTION_DAYS allows (README, Privacy)."

    def handle(self, *args, **options) -> None:
        done = retention_purge()
        for kind, rows in sorted(done.items()):
            self.stdout.write(f"  {kind}: {rows}")
        self.stdout.write(f"Purged {sum(done.values())} row(s).")
