# The outbox moved here from moderation: this takes over its table as it stands (state only);
# 0002 renames the table and reshapes the rows.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("moderation", "0002_livekit_kinds_room_moderation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LiveKitAction",
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
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("remove_participant", "Remove Participant"),
                                    ("remove_jailed", "Remove Jailed"),
                                    ("sync_subscriptions", "Sync Subscriptions"),
                                ],
                                max_length=32,
                            ),
                        ),
                        ("room_name", models.CharField(max_length=80)),
                        ("identity", models.CharField(blank=True, default="", max_length=32)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("due_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("done", models.BooleanField(default=False)),
                        ("last_error", models.CharField(blank=True, default="", max_length=200)),
                    ],
                    options={
                        "db_table": "moderation_livekitaction",
                        "indexes": [
                            models.Index(
                                fields=["done", "due_at"], name="moderation__done_1f28ff_idx"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
