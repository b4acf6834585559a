from django.apps import AppConfig


class SoundboardConfig(AppConfig):
    name = "soundboard"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, models  # noqa: F401  (registers the check and the file cleanup)
