"""The soundboard in the Django admin: staff browse every clip with its uploader, play it on
its page, and delete clips through the same service as the API (so pages hear
`soundboard:deleted` and the files go)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.authentication import request_user
from core.admin import ReadOnlyAdmin
from core.errors import ApiError

from .models import Clip
from .services.clips import clip_delete


@admin.register(Clip)
class ClipAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "uploaded_by", "seconds", "size", "created_at")
    list_select_related = ("uploaded_by",)
    search_fields = ("name", "uploaded_by__username", "uploaded_by__display_name")
    list_filter = ("uploaded_by",)
    date_hierarchy = "created_at"
    ordering = ("-id",)
    fields = (
        "name",
        "player",
        "uploaded_by",
        "seconds",
        "size",
        "mime_type",
        "file_name",
        "created_at",
    )
    readonly_fields = fields
    actions = ("delete_clips",)

    @admin.display(description="Length (s)")
    def seconds(self, clip: Clip) -> str:
        return f"{clip.duration_ms / 1000:.1f}"

    @admin.display(description="Listen")
    def player(self, clip: Clip) -> SafeString:
        # The API serves it: the admin's session signs the request in.
        url = reverse("soundboard-audio", kwargs={"clip_id": str(clip.pk)})
        return format_html('<audio controls preload="none" src="{}"></audio>', url)

    @admin.action(description="Delete selected clips (for everyone)")
    def delete_clips(self, request: HttpRequest, queryset: QuerySet[Clip]) -> None:
        actor = request_user(request)
        done = 0
        for clip in queryset:
            try:
                clip_delete(clip_id=clip.pk, actor=actor)
            except ApiError as exc:
                self.message_user(request, f"#{clip.pk}: {exc.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"Deleted {done} clip(s).", messages.SUCCESS)
