"""manage.py export_person (--booking REF/PAX | --phone N | --messenger-id ID | --customer-id N)"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from privacy import services
from privacy.management.commands._person import actor, add_person_arguments, lookup_from


class Command(BaseCommand):
    help = "Print everything held about a person as one JSON document (AVG art. 15 and 20)."

    def add_arguments(self, parser) -> None:
        add_person_arguments(parser)

    def handle(self, *args, **options) -> None:
        try:
            document = services.person_export(
                lookup=lookup_from(options), actor=actor(), via="command"
            )
        except services.NobodyFound:
            raise CommandError("nothing is held about this person") from None
        self.stdout.write(json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
