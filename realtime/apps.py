from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    """The ground floor of realtime: every event type, and `publish`, the one door to clients."""

    name = "realtime"
