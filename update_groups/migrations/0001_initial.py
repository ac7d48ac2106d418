"""The update-group models, taken over from the notifications app with their tables.

State only: the tables notifications/migrations/0004_update_groups.py created keep their names
(db_table) and their rows; notifications/migrations/0010_update_groups_moved.py drops the models
from that app's state.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import update_groups.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0002_opt_in_code_language_known"),
        ("notifications", "0009_opt_in_again_kinds"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="UpdateGroup",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("notify_cancelled", models.BooleanField(default=True)),
                        ("notify_gate_changed", models.BooleanField(default=False)),
                        (
                            "max_members",
                            models.PositiveSmallIntegerField(
                                default=update_groups.models._default_max_members
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_trip_at", models.DateTimeField(blank=True, null=True)),
                        ("ended_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                        (
                            "owner",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="update_group",
                                to="core.customer",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_updategroup",
                    },
                ),
                migrations.CreateModel(
                    name="GroupJoinAttempt",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "contact_point",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="core.contactpoint",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_groupjoinattempt",
                        "indexes": [
                            models.Index(
                                fields=["contact_point", "at"],
                                name="notificatio_contact_4a0c90_idx",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="GroupMembership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("joined_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "join_source",
                            models.CharField(
                                choices=[
                                    ("whatsapp_code", "sent the code on WhatsApp"),
                                    ("messenger_code", "sent the code on Messenger"),
                                    ("messenger_link", "opened the m.me link"),
                                    ("operator", "added by an operator"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("left_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "left_reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("stop", "sent STOP"),
                                    ("removed", "removed by the traveller"),
                                    ("group_ended", "the group ended"),
                                    ("own_trip", "opted in as the traveller themself"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "contact_point",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="group_memberships",
                                to="core.contactpoint",
                            ),
                        ),
                        (
                            "customer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="group_memberships",
                                to="core.customer",
                            ),
                        ),
                        (
                            "group",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="update_groups.updategroup",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "notifications_groupmembership",
                        "ordering": ["joined_at", "id"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("left_at__isnull", True)),
                                fields=("group", "contact_point"),
                                name="membership_one_active_per_address",
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
