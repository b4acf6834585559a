"""Who may delete a soundboard clip."""

from __future__ import annotations

from accounts.models import User

from .models import Clip


def can_delete_clip(user: User, clip: Clip) -> bool:
    """The uploader or staff (2.x let anyone delete anyone's clip)."""
    return user.is_staff or clip.uploaded_by_id == user.pk
