from django.db import migrations


def create_general(apps, schema_editor):
    Room = apps.get_model("rooms", "Room")
    if not Room.objects.exists():
        Room.objects.create(name="General", type="voice")


class Migration(migrations.Migration):
    dependencies = [("rooms", "0001_initial")]

    operations = [migrations.RunPython(create_general, migrations.RunPython.noop)]
