"""The update-group models moved to the update_groups app (its 0001_initial).

State only: the tables keep their names and their rows, the database is not touched.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0009_opt_in_again_kinds"),
        ("update_groups", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="GroupMembership"),
                migrations.DeleteModel(name="GroupJoinAttempt"),
                migrations.DeleteModel(name="UpdateGroup"),
            ],
            database_operations=[],
        ),
    ]
