from django.core.management.base import BaseCommand, CommandError

from core.services import api_key_create


class Command(BaseCommand):
    help = (
        "Create an API key for a travel company's systems "
        "and print it once (only its hash is kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="who the key is for, e.g. 'booking engine'")

    def handle(self, *args, name: str, **options):
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("NAME must be 1–100 characters")
        row, key = api_key_create(name=name)
        self.stdout.write(
            f"API key {row.prefix} for {row.name!r} created. It is shown only this once; "
            "send it as `Authorization: Bearer <key>`:"
        )
        # Alone on the last line, so scripts can take it with `tail -n 1`.
        self.stdout.write(key)
