from django.core.management.base import BaseCommand, CommandError

from contact_reasons import dataset, services


class Command(BaseCommand):
    help = "Train a new contact-reason model version from the agents' labels, now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-examples",
            action="store_true",
            help="Also learn from the shipped example messages (their training split only).",
        )

    def handle(self, *args, with_examples: bool = False, **options):
        extra = [(r["text"], r["reason"]) for r in dataset.rows("train")] if with_examples else []
        try:
            model = services.model_train(extra=extra)
        except services.NotEnoughLabels as why:
            raise CommandError(f"Not trained: {why}.") from why
        self.stdout.write(
            f"Trained version {model.version} on {model.examples} labels in {model.seconds:.2f}s"
            + (
                f"; cross-validated accuracy {model.cv_accuracy:.0%}"
                if model.cv_accuracy is not None
                else ""
            )
        )
