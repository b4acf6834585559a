"""Staff overrides in the Django admin. Every action calls the same service the API uses, so the
admin can do nothing the rules do not allow, and every change publishes its usual events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from accounts.authentication import request_user
from accounts.models import User
from core.admin import ReadOnlyAdmin
from core.errors import ApiError
from core.timefmt import duration_words
from moderation.models import Ballot, ModeratedRoom, Punishment, Vote
from moderation.services import overrides
from moderation.services.punishments import punishment_lift
from moderation.services.votes import vote_cancel
from rooms.models import Room, WhisperLink
from rooms.services.whispers import whispers_reset


def _each(
    modeladmin: admin.ModelAdmin[Any],
    request: HttpRequest,
    rows: Iterable[Any],
    apply: Callable[[Any], object],
    done: str,
) -> None:
    """Runs a service per row; refusals are reported with their message, not raised."""
    count = 0
    for row in rows:
        try:
            apply(row)
        except ApiError as exc:
            modeladmin.message_user(request, f"{row}: {exc.message}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done.format(count=count), messages.SUCCESS)


class BallotInline(admin.TabularInline[Ballot, Vote]):
    model = Ballot
    verbose_name_plural = "ballots cast"
    extra = 0
    fields = ("user", "vote_yes", "cast_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "room",
        "target",
        "initiated_by",
        "jail_for",
        "yes_count",
        "no_count",
        "eligible_count",
        "expires_at",
        "resolved",
        "passed",
    )
    list_filter = ("resolved", "passed")
    exclude = ("duration_secs",)
    readonly_fields = ("jail_for",)
    list_select_related = ("target", "initiated_by")
    inlines = (BallotInline,)
    actions = ("cancel_votes",)

    @admin.display(description="Room", ordering="source_room_name")
    def room(self, vote: Vote) -> str:
        # The name outlives the room, so a deleted room's votes still say where they were.
        return vote.source_room_name

    @admin.display(description="Jail for", ordering="duration_secs")
    def jail_for(self, vote: Vote) -> str:
        return duration_words(vote.duration_secs)

    @admin.action(description="Cancel selected open votes (they fail)")
    def cancel_votes(self, request: HttpRequest, queryset: QuerySet[Vote]) -> None:
        _each(
            self,
            request,
            queryset.filter(resolved=False),
            lambda vote: vote_cancel(vote_id=vote.pk, actor=request_user(request)),
            "Cancelled {count} vote(s).",
        )


@admin.register(Punishment)
class PunishmentAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "target",
        "source_room_name",
        "jail_room_name",
        "duration",
        "expires_at",
        "active",
        "lifted_by",
    )
    list_filter = ("active",)
    exclude = ("duration_secs",)
    readonly_fields = ("duration",)
    list_select_related = ("target", "lifted_by")
    actions = ("lift_punishments",)

    @admin.display(description="Duration", ordering="duration_secs")
    def duration(self, punishment: Punishment) -> str:
        return duration_words(punishment.duration_secs)

    @admin.action(description="Lift selected punishments")
    def lift_punishments(self, request: HttpRequest, queryset: QuerySet[Punishment]) -> None:
        _each(
            self,
            request,
            queryset.filter(active=True),
            lambda p: punishment_lift(punishment_id=p.pk, actor=request_user(request)),
            "Lifted {count} punishment(s).",
        )


class WhisperLinkInline(admin.TabularInline[WhisperLink, Room]):
    model = WhisperLink
    verbose_name = "place in the whispers chain"
    verbose_name_plural = "whispers chain"
    extra = 0
    fields = ("position", "user")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CreatorForm(forms.Form):
    creator = forms.ModelChoiceField(
        queryset=User.objects.order_by("username"),
        required=False,
        help_text="Leave empty for no creator (only staff may then lift or delete).",
    )


class ParticipantForm(forms.Form):
    identity = forms.CharField(max_length=32, help_text="The participant's username.")


@admin.register(ModeratedRoom)
class ModeratedRoomAdmin(ReadOnlyAdmin):
    list_display = ("name", "type", "mode", "is_jail", "created_by", "whispers_chain")
    list_filter = ("mode", "is_jail")
    list_select_related = ("created_by",)
    inlines = (WhisperLinkInline,)
    actions = ("reset_whispers", "set_creator", "remove_from_livekit")

    @admin.display(description="Whispers chain")
    def whispers_chain(self, room: Room) -> str:
        links = room.whisper_links.select_related("user").order_by("position")
        return " → ".join(link.user.username for link in links) or "-"

    @admin.action(description="Reset whispers (back to normal mode)")
    def reset_whispers(self, request: HttpRequest, queryset: QuerySet[Room]) -> None:
        _each(
            self,
            request,
            queryset,
            lambda room: whispers_reset(room=room, actor=request_user(request)),
            "Reset whispers in {count} room(s).",
        )

    @admin.action(description="Set the creator of selected rooms…")
    def set_creator(self, request: HttpRequest, queryset: QuerySet[Room]) -> HttpResponse | None:
        form = CreatorForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._ask(request, queryset, form, "Set the creator", "set_creator")
        creator = form.cleaned_data["creator"]
        _each(
            self,
            request,
            queryset,
            lambda room: overrides.room_creator_set(
                room=room, creator=creator, actor=request_user(request)
            ),
            "Set the creator of {count} room(s).",
        )
        return None

    @admin.action(description="Remove a participant from the LiveKit room…")
    def remove_from_livekit(
        self, request: HttpRequest, queryset: QuerySet[Room]
    ) -> HttpResponse | None:
        form = ParticipantForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._ask(request, queryset, form, "Remove from LiveKit", "remove_from_livekit")
        identity = form.cleaned_data["identity"]
        _each(
            self,
            request,
            queryset,
            lambda room: overrides.livekit_participant_remove(
                room=room, identity=identity, actor=request_user(request)
            ),
            f"Removing {identity} from {{count}} LiveKit room(s).",
        )
        return None

    def _ask(
        self,
        request: HttpRequest,
        queryset: QuerySet[Room],
        form: forms.Form,
        title: str,
        action: str,
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "rooms": queryset,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/moderation/room_action.html", context)
