"""Admin: the station list (2.x kept it in a Python file) and each room's player."""

from django.contrib import admin

from .models import RoomMusic, Station


@admin.register(Station)
class StationAdmin(admin.ModelAdmin[Station]):
    list_display = ("name", "slug", "genre", "url", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug", "genre")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(RoomMusic)
class RoomMusicAdmin(admin.ModelAdmin[RoomMusic]):
    list_display = ("room", "enabled", "locked", "mode", "paused", "station", "bot_error")
    list_filter = ("enabled", "locked", "mode")
    # What plays is the bot's and the room's business; the admin may switch it off or unlock.
    fields = ("room", "enabled", "locked", "station")
    readonly_fields = ("room",)

    def has_add_permission(self, request: object) -> bool:
        return False
