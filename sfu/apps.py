from django.apps import AppConfig


class SfuConfig(AppConfig):
    """LiveKit in one place: the SDK adapter, the outbox of owed room-service calls, the
    webhook's verification and the LiveKit config command."""

    name = "sfu"
    verbose_name = "LiveKit"
    default_auto_field = "django.db.models.BigAutoField"
