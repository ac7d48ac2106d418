"""`make demo`, after demo_seed: four weeks of history for the manager's dashboard (once), and
the rollup over it (see _demo_insights.py)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sandbox.management.commands._demo_insights import DAYS, MANAGER, seed_insights
from sandbox.management.commands.demo_seed import ADMIN, AGENT


class Command(BaseCommand):
    help = "Load four weeks of demo history for the manager's dashboard (after demo_seed)."

    def handle(self, *args, **options) -> None:
        users = get_user_model().objects
        try:
            agent, admin = users.get(username=AGENT[0]), users.get(username=ADMIN[0])
        except get_user_model().DoesNotExist:
            raise CommandError("run `manage.py demo_seed` first") from None
        seed_insights(agent=agent, admin=admin)
        self.stdout.write(self.style.SUCCESS(f"Dashboard history: {DAYS} days, rolled up."))
        self.stdout.write(f"  Manager login: {MANAGER[0]} / {MANAGER[1]} → /insights/")
