"""Who subscribes to whose audio in a LiveKit room, from a whispers chain. Pure computation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def subscription_plan(
    *, chain: Sequence[str], audio_tracks: Mapping[str, Sequence[str]]
) -> dict[str, tuple[list[str], list[str]]]:
    """For each LiveKit participant, the audio track sids to subscribe to and to unsubscribe
    from: only the predecessor's in a chain, everyone's with no chain (normal mode). Anyone
    connected but not in the chain hears nobody."""
    plan: dict[str, tuple[list[str], list[str]]] = {}
    position = {identity: index for index, identity in enumerate(chain)}
    for identity in audio_tracks:
        if not chain:
            hears = [other for other in audio_tracks if other != identity]
        else:
            index = position.get(identity)
            source = None if index is None else chain[(index - 1) % len(chain)]
            hears = [source] if source is not None and source != identity else []
        subscribe = [sid for other in hears for sid in audio_tracks.get(other, ())]
        unsubscribe = [
            sid
            for other, sids in audio_tracks.items()
            if other != identity and other not in hears
            for sid in sids
        ]
        plan[identity] = (subscribe, unsubscribe)
    return plan
