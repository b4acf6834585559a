from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The moderation audit log: who did what to whom, where, written with each action."""

    name = "audit"
    verbose_name = "Audit"
    default_auto_field = "django.db.models.BigAutoField"
