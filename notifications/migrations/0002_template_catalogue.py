from django.db import migrations


def load(apps, schema_editor):
    from notifications.catalogue import load_defaults

    load_defaults(apps.get_model("notifications", "MessageTemplate"))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
