# Each owed call now carries what it needs (a removal's end date, a sync's chain), so the
# outbox no longer reads moderation or rooms to make it: remove_jailed becomes a removal owed
# until the jail's end, and an owed sync gets its room's current chain.

import django.utils.timezone
from django.db import migrations, models


def carry_over(apps, schema_editor):
    action_model = apps.get_model("sfu", "LiveKitAction")
    punishment_model = apps.get_model("moderation", "Punishment")
    room_model = apps.get_model("rooms", "Room")
    link_model = apps.get_model("rooms", "WhisperLink")
    now = django.utils.timezone.now()
    for action in action_model.objects.filter(kind="remove_jailed", done=False):
        punishment = (
            punishment_model.objects.filter(
                target__username=action.identity, active=True, expires_at__gt=now
            )
            .exclude(jail_room__name=action.room_name)
            .order_by("-expires_at")
            .first()
        )
        if punishment is None:
            action.done, action.last_error = True, "no longer owed"
        else:
            action.until = punishment.expires_at
        action.kind = "remove_participant"
        action.save()
    action_model.objects.filter(kind="remove_jailed").update(kind="remove_participant")
    owed_rooms = set()
    syncs = action_model.objects.filter(kind="sync_subscriptions", done=False).order_by("-pk")
    for action in syncs:
        if action.room_name in owed_rooms:
            action.done = True
        else:
            owed_rooms.add(action.room_name)
            room = room_model.objects.filter(name=action.room_name, mode="whispers").first()
            if room is not None:
                links = link_model.objects.filter(room=room).order_by("position")
                action.chain = list(links.values_list("user__username", flat=True))
        action.save()


class Migration(migrations.Migration):
    dependencies = [
        ("sfu", "0001_initial"),
        ("moderation", "0003_livekitaction_moved_to_sfu"),
        ("rooms", "0002_general_room"),
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="livekitaction", table=None),
        migrations.RenameIndex(
            model_name="livekitaction",
            new_name="sfu_action_done_due_idx",
            old_name="moderation__done_1f28ff_idx",
        ),
        migrations.AddField(
            model_name="livekitaction",
            name="until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="livekitaction",
            name="chain",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="livekitaction",
            name="revision",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="livekitaction",
            name="kind",
            field=models.CharField(
                choices=[
                    ("remove_participant", "Remove Participant"),
                    ("sync_subscriptions", "Sync Subscriptions"),
                ],
                max_length=32,
            ),
        ),
        migrations.AlterModelOptions(
            name="livekitaction",
            options={"verbose_name": "LiveKit call", "verbose_name_plural": "LiveKit calls"},
        ),
        migrations.AddConstraint(
            model_name="livekitaction",
            constraint=models.UniqueConstraint(
                condition=models.Q(("done", False), ("kind", "sync_subscriptions")),
                fields=("room_name",),
                name="sfu_one_owed_sync_per_room",
            ),
        ),
    ]
