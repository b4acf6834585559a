"""Admin: the station list (2.x kept it in a Python file) and each room's music switch and lock,
which go through the same service as the room creator's, so the room hears of the change."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import RoomMusic, Station
from .services.configure import music_configure


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
    # What plays is the room's business; staff may switch music off or unlock it.
    fields = ("room", "enabled", "locked")
    readonly_fields = ("room",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RoomMusic, form: Any, change: bool) -> None:
        music_configure(
            user=request.user,  # type: ignore[arg-type]
            room_id=obj.room_id,
            enabled=form.cleaned_data["enabled"],
            locked=form.cleaned_data["locked"],
        )
