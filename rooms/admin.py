"""Admin for rooms: read-mostly, with their current members. Adding and deleting go through the
same services as the API, so the same rules hold, members are moved out and clients are told."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from accounts.authentication import request_user
from core.admin import ServiceAddForm, add_form_for
from core.errors import ApiError
from rooms.services.rooms import room_create, room_delete

from .models import Membership, Room


class MembershipInline(admin.TabularInline[Membership, Room]):
    model = Membership
    verbose_name = "member"
    verbose_name_plural = "members now"
    fields = ("user", "joined_at")
    readonly_fields = ("user", "joined_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RoomAddForm(ServiceAddForm):
    """A room made as `manage.py create_room` makes one: the API's name rules, no creator (so
    only staff may delete it; set one with Moderated rooms → Set the creator)."""

    name = forms.CharField(max_length=200, help_text="The same rules as a room made in the app.")
    type = forms.ChoiceField(choices=Room.Type.choices, initial=Room.Type.VOICE)

    class Meta:
        model = Room
        fields: ClassVar[list[str]] = []

    def create(self, data: dict[str, Any]) -> Room:
        return room_create(user=None, name=data["name"], type=data["type"])


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

    def get_form(
        self, request: HttpRequest, obj: Room | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            # Made by room_create, with the API's rules and its room:created event.
            return add_form_for(RoomAddForm, request)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Room | None = None) -> Any:
        return ("name", "type") if obj is None else self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Room | None = None) -> Any:
        return () if obj is None else self.readonly_fields

    def get_inlines(self, request: HttpRequest, obj: Room | None) -> Any:
        return () if obj is None else self.inlines

    def save_model(self, request: HttpRequest, obj: Room, form: Any, change: bool) -> None:
        # A new room was made by room_create as the form was cleaned; rooms are never edited.
        pass

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
