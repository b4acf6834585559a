from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "rooms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from presence import events

        from . import selectors

        events.set_room_members_resolver(selectors.room_member_ids)
