# LiveKitAction now belongs to the sfu app, which took over its table (sfu 0001).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_livekit_kinds_room_moderation"),
        ("sfu", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LiveKitAction")],
            database_operations=[],
        ),
    ]
