"""The moderation audit log in the admin: read-only, filterable by kind, actor, room and date."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin

from .models import AuditEntry

# Stands for "no actor" in the filter's query string (no username has a dash).
SERVER = "-"


class RoomNameFilter(admin.SimpleListFilter):
    """By room name, which outlives the room."""

    title = "room"
    parameter_name = "room_name"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        names = AuditEntry.objects.exclude(room_name="").values_list("room_name", flat=True)
        return [(name, name) for name in sorted(set(names))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(room_name=value) if value else queryset


class ActorNameFilter(admin.SimpleListFilter):
    """By who acted ("the server" for deadlines), a name that outlives the account."""

    title = "actor"
    parameter_name = "actor_name"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        names = set(AuditEntry.objects.values_list("actor_name", flat=True))
        return [(name or SERVER, name or "the server") for name in sorted(names)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(actor_name="" if value == SERVER else value)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "actor_name", "target_name", "room_name", "detail", "override")
    list_filter = ("kind", "override", ActorNameFilter, RoomNameFilter, "at")
    search_fields = ("actor_name", "target_name", "room_name", "detail")
    date_hierarchy = "at"
    ordering = ("-at", "-id")
    fields = list_display
