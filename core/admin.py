"""What every app's admin shares: read-only views of rows that only services write, and add
forms whose row a service makes."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

from .errors import ApiError


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Rows written only by services: staff look, and act through actions."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceAddForm(forms.ModelForm):  # type: ignore[type-arg]
    """An admin add form whose row is made by the app's service (`create`) as the form is
    cleaned: the service's rules and refusals are the form's errors, and its events go out as
    from any other interface. The admin's own save then only records what was made."""

    actor: ClassVar[Any] = None

    def create(self, data: dict[str, Any]) -> models.Model:
        """Calls the service with the cleaned fields; returns the row it made."""
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                self.instance = self.create(data)
            except ApiError as refused:
                raise ValidationError(refused.message) from refused
        return data

    def save(self, commit: bool = True) -> Any:
        return self.instance

    def save_m2m(self) -> None:
        pass


def add_form_for(form: type[ServiceAddForm], request: HttpRequest) -> type[ServiceAddForm]:
    """`form`, acting as the signed-in staff member."""
    return type(form.__name__, (form,), {"actor": request.user})
