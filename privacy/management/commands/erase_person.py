"""manage.py erase_person (--booking REF/PAX | --phone N | --messenger-id ID | --customer-id N)"""

from django.core.management.base import BaseCommand, CommandError

from privacy import services
from privacy.management.commands._person import actor, add_person_arguments, lookup_from


class Command(BaseCommand):
    help = (
        "Erase a person everywhere (the same erasure as the admin's and the REST API's); "
        "naming an erased person again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        add_person_arguments(parser)

    def handle(self, *args, **options) -> None:
        try:
            erasure = services.person_erase(
                lookup=lookup_from(options), actor=actor(), via="command"
            )
        except services.NobodyFound:
            raise CommandError("nothing is held about this person") from None
        record = erasure.record
        if erasure.already_erased:
            self.stdout.write(f"Already erased at {record.at.isoformat()} (erasure {record.id}).")
            return
        for table, rows in sorted(erasure.rows.items()):
            self.stdout.write(f"  {table}: {rows}")
        self.stdout.write(
            f"Erased (erasure {record.id}); {erasure.suppressed} address(es) on the "
            "suppression list."
        )
