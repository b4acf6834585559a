"""The LiveKit calls still owed or recently made, for staff to see what the SFU was asked."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import LiveKitAction


@admin.register(LiveKitAction)
class LiveKitActionAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "room_name", "identity", "attempts", "due_at", "until", "done")
    list_filter = ("done", "kind")
    readonly_fields = ("last_error", "chain")
