"""Read-only admin views of who is connected where: presence changes only through its services."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Connection, Presence, ServerProcess


@admin.register(Connection)
class ConnectionAdmin(ReadOnlyAdmin):
    list_display = ("user", "transport", "process", "opened_at")
    list_filter = ("transport",)
    search_fields = ("user__username",)
    list_select_related = ("user",)


@admin.register(Presence)
class PresenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "online", "offline_due_at")
    list_filter = ("online",)
    search_fields = ("user__username",)
    list_select_related = ("user",)


@admin.register(ServerProcess)
class ServerProcessAdmin(ReadOnlyAdmin):
    list_display = ("id", "started_at", "heartbeat_at")
