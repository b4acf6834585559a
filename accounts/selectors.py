"""Reads of accounts shared by several interfaces."""

from __future__ import annotations

from presence.events import ActorRef, UserRef

from .models import User


def user_ref(user: User) -> UserRef:
    """The 1.x UserRef `{id, username, display_name}`."""
    return {"id": user.pk, "username": user.username, "display_name": user.display_name}


def actor_ref(user: User) -> ActorRef:
    """The 1.x ActorRef `{id, username, displayName}`."""
    return {"id": user.pk, "username": user.username, "displayName": user.display_name}
