"""Passengers get their own opt-in code (apart from the relatives' follow code); a person known
only from chat is marked as such, so their language is not mistaken for a choice."""

from django.db import migrations, models

import core.models


def _fill_opt_in_codes(apps, schema_editor):
    Passenger = apps.get_model("core", "Passenger")
    for passenger in Passenger.objects.filter(opt_in_code__isnull=True).only("pk"):
        passenger.opt_in_code = core.models.new_opt_in_code()
        passenger.save(update_fields=["opt_in_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="language_known",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="passenger",
            name="opt_in_code",
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.RunPython(_fill_opt_in_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="passenger",
            name="opt_in_code",
            field=models.CharField(default=core.models.new_opt_in_code, max_length=20, unique=True),
        ),
    ]
