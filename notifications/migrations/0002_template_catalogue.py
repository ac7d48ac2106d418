from django.db import migrations


def load(apps, schema_editor):
    from notifications.catalogue import default_rows

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for row in default_rows():
        key = {k: row[k] for k in ("channel", "kind", "language", "formality")}
        MessageTemplate.objects.get_or_create(**key, defaults=row)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
