"""Admin for users: read-mostly. Staff add accounts through the same service as registering,
toggle access flags, and may log a user out everywhere (through the same service as the API)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ServiceAddForm, add_form_for
from realtime.publish import credentials_changed

from .models import User
from .services import user_logout_everywhere, user_register


class UserAddForm(ServiceAddForm):
    """An account made as registering makes one (the same rules, bcrypt, `user:registered`);
    staff and active flags are set on its page afterwards."""

    username = forms.CharField(max_length=200)
    display_name = forms.CharField(max_length=200)
    password = forms.CharField(widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(
        widget=forms.PasswordInput, strip=False, help_text="The same password, to be sure of it."
    )

    class Meta:
        model = User
        fields: ClassVar[list[str]] = []

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        if "password" in data and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return super().clean()

    def create(self, data: dict[str, Any]) -> User:
        return user_register(
            username=data["username"], display_name=data["display_name"], password=data["password"]
        )


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

    def get_form(
        self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            return add_form_for(UserAddForm, request)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        return tuple(UserAddForm.base_fields) if obj is None else self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        return () if obj is None else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deactivate instead: a deleted account's history (votes, punishments) goes with it.
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            return  # made by user_register as the add form was cleaned
        super().save_model(request, obj, form, change)
        if "is_active" in form.changed_data:
            # A deactivated account's live streams close now, not at the next sweep.
            credentials_changed(user_id=obj.pk)

    @admin.action(description="Log out everywhere (refuse their tokens, end their sessions)")
    def logout_everywhere(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            user_logout_everywhere(user=user)
        self.message_user(request, f"Logged out {queryset.count()} user(s).", messages.SUCCESS)
