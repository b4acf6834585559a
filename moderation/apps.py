from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rooms import whispers
        from rooms.services import join_guard_register

        from . import livekit_outbox, services

        # Rooms sit below moderation, so moderation plugs its rules into them rather than
        # rooms importing moderation.
        join_guard_register(services.punishment_join_guard)
        whispers.chain_listener_register(livekit_outbox.whispers_sync_room_id)
