"""A user's own settings that other people's pages must honour: 2.x's soundbite opt-out.

Upstream only put the opt-out in the next LiveKit token, so a change reached others at the
user's next join. Here it reaches them at once, two ways: the participant metadata of the
LiveKit room the user is in (what 2.x pages read), and a realtime event (what our pages read,
with the hello snapshot for pages that load later).
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from accounts.selectors import user_lock, user_ref
from realtime.events import SoundbiteOptOutChanged
from realtime.publish import Everyone, publish
from rooms.models import Membership
from sfu import livekit, outbox


@transaction.atomic
def soundbite_opt_out_set(*, user: User, opt_out: bool) -> bool:
    """Records whether others may keep soundbites of `user`. On a change: publishes
    `user:soundbite_opt_out` to everyone (every page lists everyone, and any of them may meet
    the user in a room) and owes LiveKit the new participant metadata in the user's room.
    Returns whether anything changed."""
    user_lock(user.pk)
    changed = (
        User.objects.filter(pk=user.pk)
        .exclude(soundbite_opt_out=opt_out)
        .update(soundbite_opt_out=opt_out)
    )
    user.soundbite_opt_out = opt_out
    if not changed:
        return False
    publish(SoundbiteOptOutChanged(user=user_ref(user), soundbiteOptOut=opt_out), to=Everyone())
    room_name = (
        Membership.objects.filter(user_id=user.pk).values_list("room__name", flat=True).first()
    )
    if room_name is not None:
        outbox.metadata_update(
            room_name=room_name,
            identity=user.username,
            metadata=livekit.participant_metadata(soundbite_opt_out=opt_out),
        )
    return True
