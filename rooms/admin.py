"""Admin for rooms: read-mostly, with their current members. Deleting goes through the same
service as the API, so members are moved out and clients are told."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from accounts.authentication import request_user
from core.errors import ApiError
from rooms.services.rooms import room_delete

from .models import Membership, Room


class MembershipInline(admin.TabularInline[Membership, Room]):
    model = Membership
    fields = ("user", "joined_at")
    readonly_fields = ("user", "joined_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin[Room]):
    list_display = ("name", "type", "mode", "is_jail", "created_by", "created_at", "members")
    list_filter = ("type", "mode", "is_jail")
    search_fields = ("name", "created_by__username")
    ordering = ("name",)
    readonly_fields = (
        "name",
        "type",
        "mode",
        "is_jail",
        "jail_source",
        "created_by",
        "created_at",
    )
    fields = readonly_fields
    inlines = (MembershipInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Room]:
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(member_count=Count("memberships"))
        )

    @admin.display(ordering="member_count", description="members")
    def members(self, room: Room) -> int:
        return int(getattr(room, "member_count", 0))

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Rooms are created with the API's rules (the app, or `manage.py create_room`).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Room | None = None) -> bool:
        # General is where newcomers land: its page offers no delete (room_delete refuses too).
        return super().has_delete_permission(request, obj) and not (obj and obj.is_general)

    def delete_model(self, request: HttpRequest, obj: Room) -> None:
        room_delete(room=obj, user=request_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Room]) -> None:
        # Jails go with their source room, so they may vanish before their own turn.
        for room in queryset.order_by("is_jail"):
            if not Room.objects.filter(pk=room.pk).exists():
                continue
            try:
                room_delete(room=room, user=request_user(request))
            except ApiError as refused:
                self.message_user(request, f"{room}: {refused.message}", messages.ERROR)
