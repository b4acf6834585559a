"""An account closed by its owner, as everyone else sees it: out of their room and offline at
once, then gone from every list. The account itself is closed by accounts.services."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from accounts.selectors import user_ref
from accounts.services import user_close, user_password_confirm
from core.retry import retry_transaction
from presence.models import Presence
from realtime.events import UserOffline
from realtime.publish import Everyone, publish
from rooms.services.locks import member_lock
from rooms.services.membership import membership_end


def account_delete(*, user: User, password: Any) -> None:
    """Deletes the caller's account once their password is confirmed: they leave their room
    (`user:room_leave`, whispers chain updates), go offline (`user:offline`) without a grace
    period, and the account is closed (`user:deleted`; every session and token ends). Rooms
    they created stay, for everyone in them; only staff may delete them from then on."""
    # Checked before the transaction: bcrypt's quarter second must not hold the write lock.
    user_password_confirm(user=user, password=password, message="Password is incorrect")
    _account_close(user=user)


@retry_transaction
@transaction.atomic
def _account_close(*, user: User) -> None:
    # Serialised with the user's connects, so none slips in to bring them back online.
    # Their room first, then their row (the order of rooms.services.locks).
    member_lock(user_id=user.pk)
    membership_end(user=user)
    was_online = Presence.objects.filter(user_id=user.pk, online=True).update(
        online=False, offline_due_at=None
    )
    if was_online:
        publish(UserOffline(user=user_ref(user)), to=Everyone())
    user_close(user=user)
