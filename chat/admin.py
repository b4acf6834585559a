"""Chat in the Django admin: staff browse and search every room's lines and delete them through
the same service as the API (so pages hear `chat:deleted`)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from accounts.authentication import request_user
from chat.models import ChatMessage
from chat.services.messages import message_delete
from core.admin import ReadOnlyAdmin
from core.errors import ApiError


@admin.register(ChatMessage)
class ChatMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "room", "author", "line", "picture", "deleted_at")
    list_filter = ("room", ("deleted_at", admin.EmptyFieldListFilter))
    list_select_related = ("room", "author")
    search_fields = ("text", "author__username", "author__display_name", "room__name")
    date_hierarchy = "created_at"
    ordering = ("-id",)
    actions = ("delete_lines",)

    @admin.display(description="Text")
    def line(self, message: ChatMessage) -> str:
        return message.text if len(message.text) <= 80 else f"{message.text[:79]}…"

    @admin.display(description="Image")
    def picture(self, message: ChatMessage) -> str:
        if message.image_id is None:
            return "expired" if message.had_image and message.deleted_at is None else "-"
        url = reverse("chat-image", kwargs={"image_id": str(message.image_id)})
        return format_html('<a href="{}" target="_blank" rel="noopener">open</a>', url)

    @admin.action(description="Delete selected lines (for everyone)")
    def delete_lines(self, request: HttpRequest, queryset: QuerySet[ChatMessage]) -> None:
        actor = request_user(request)
        done = 0
        for message in queryset.filter(deleted_at__isnull=True):
            try:
                message_delete(message_id=message.pk, actor=actor)
            except ApiError as exc:
                self.message_user(request, f"#{message.pk}: {exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"Deleted {done} line(s).", messages.SUCCESS)
