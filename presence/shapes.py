"""The wire shapes of presence: the snapshot a realtime connection starts with, the user
directory, 2.x's heartbeat and leave, and the webhook's answer."""

from __future__ import annotations

from typing import Annotated, NotRequired, TypedDict

from accounts.shapes import UserListed
from realtime.payloads import ChainEntry, PunishmentPayload, UserRef, VoteSnapshot


class HelloData(TypedDict):
    """The snapshot a WebSocket receives first, as `{"type": "hello", "data": HelloData}`."""

    me: UserRef
    connection: Annotated[
        str, "This connection's id: a page names it when it leaves (POST /api/events/leave)"
    ]
    online: list[UserRef]
    members: dict[str, list[UserRef]]
    votes: list[VoteSnapshot]
    punishments: list[PunishmentPayload]
    chains: dict[str, list[ChainEntry]]
    soundbiteOptOut: Annotated[
        list[str],
        "Usernames (LiveKit identities) of the users who opted out of soundbites: no page "
        "records them; `user:soundbite_opt_out` says when this changes",
    ]
    serverTime: str


class UserList(TypedDict):
    users: list[UserListed]


class WebhookReceived(TypedDict):
    received: Annotated[str, "The LiveKit event name, e.g. participant_left"]


class HeartbeatReceived(TypedDict):
    ok: bool


ConnectionNamed = Annotated[
    str,
    "The id of the connection the page is closing with (its hello's `connection`): the room "
    "is then left only if no other connection of the caller's remains, and going offline "
    "waits for that connection's grace period.",
]


class LeaveBeacon(TypedDict):
    """A leave sent as JSON (2.x's `sendBeacon` with a JSON Blob)."""

    token: NotRequired[Annotated[str, "The bearer JWT, for a beacon, which cannot set a header"]]
    connection: NotRequired[ConnectionNamed]


class LeaveBeaconForm(TypedDict):
    """A leave sent by a signed-in page: its session cookie, and the CSRF token in the form,
    since a beacon cannot set the X-CSRFToken header."""

    csrfmiddlewaretoken: Annotated[str, "The value of the CSRF cookie"]
    connection: NotRequired[ConnectionNamed]


class PresenceLeft(TypedDict):
    left: bool


class UserSettings(TypedDict):
    """2.x's user settings."""

    soundbiteOptOut: Annotated[
        bool,
        "Others' pages keep no recording of my microphone (no soundbites of me). Reaches "
        "everyone at once: the LiveKit participant metadata and `user:soundbite_opt_out`.",
    ]


class UserSettingsRead(TypedDict):
    settings: UserSettings


class UserSettingsChange(TypedDict):
    """A change of settings: absent keys stay as they are; any other key is refused."""

    soundbiteOptOut: NotRequired[bool]


class UserSettingsSaved(TypedDict):
    ok: bool
