"""Admin for users: read-mostly. Accounts are made by registering; staff toggle access flags
and may log a user out everywhere (through the same service as the API)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from realtime.publish import credentials_changed

from .models import User
from .services import user_logout_everywhere


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ("username", "display_name", "is_active", "is_staff", "last_room", "last_seen")
    list_filter = ("is_active", "is_staff")
    search_fields = ("username", "display_name")
    ordering = ("username",)
    fields = (
        "username",
        "display_name",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "last_room",
        "last_seen",
        "last_login",
        "created_at",
        "tokens_valid_after",
    )
    readonly_fields = (
        "username",
        "display_name",
        "last_room",
        "last_seen",
        "last_login",
        "created_at",
        "tokens_valid_after",
    )
    actions = ("logout_everywhere",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deactivate instead: a deleted account's history (votes, punishments) goes with it.
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            # A deactivated account's live streams close now, not at the next sweep.
            credentials_changed(user_id=obj.pk)

    @admin.action(description="Log out everywhere (refuse their tokens, end their sessions)")
    def logout_everywhere(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            user_logout_everywhere(user=user)
        self.message_user(request, f"Logged out {queryset.count()} user(s).", messages.SUCCESS)
