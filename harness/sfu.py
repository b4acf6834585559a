"""The in-page fake LiveKit for browser tests: the vendored livekit-client is replaced by
`fake_sfu.mjs`, so the real page, media layer and views run against a Room that connects at
once, and a test drives what the SFU would do through `window.__sfu`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page

FAKE_MODULE = (Path(__file__).parent / "fake_sfu.mjs").read_text()
# The node tests' fake Room, which the fake SDK builds on; test code is never a static file, so
# the browser gets it from this route only.
FAKE_ROOM = (Path(__file__).parents[1] / "tests" / "js" / "media" / "fake-livekit.js").read_text()
FAKE_ROOM_URL = "**/test-support/fake-livekit.js"
# The import map points `livekit-client` at the vendored ESM build, under its hashed name.
SDK_URL = "**/static/vendor/livekit-client/livekit-client.esm*.mjs"


def install_fake_sfu(context: BrowserContext) -> None:
    """Serves the fake SDK to every page of this context; call before the first page loads."""

    def fulfil(body: str) -> Any:
        return lambda route: route.fulfill(status=200, content_type="text/javascript", body=body)

    context.route(SDK_URL, fulfil(FAKE_MODULE))
    context.route(FAKE_ROOM_URL, fulfil(FAKE_ROOM))


class FakeSfu:
    """What the SFU would do to one person's room."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def _call(self, name: str, *args: Any) -> Any:
        return self.page.evaluate(
            "([name, args]) => window.__sfu[name](...args)", [name, list(args)]
        )

    def add_remote(self, identity: str, name: str) -> None:
        self._call("addRemote", identity, name)

    def remove_remote(self, identity: str) -> None:
        self._call("removeRemote", identity)

    def publish(self, identity: str, source: str) -> None:
        """A remote track (microphone, camera, screen_share, screen_share_audio) is subscribed."""
        self._call("publish", identity, source)

    def unpublish(self, identity: str, source: str) -> None:
        self._call("unpublish", identity, source)

    def speaking(self, identities: list[str]) -> None:
        self._call("speaking", identities)

    def drop(self) -> None:
        """The connection is lost without the page asking (a network failure)."""
        self._call("drop")

    def remove(self) -> None:
        """The server removes this person from the call."""
        self._call("remove")

    def encryption_error(self, identity: str) -> None:
        self._call("encryptionError", identity)

    def unencrypted(self, identity: str) -> None:
        self._call("unencrypted", identity)

    def block_autoplay(self) -> None:
        self._call("blockAutoplay")

    def fail_next_connect(self) -> None:
        self._call("failNextConnect")

    def peer_state(self, identity: str, *, deafened: bool) -> None:
        """A remote participant's client shares its call state."""
        self._call("peerState", identity, {"deafened": deafened})

    def sent_peer_states(self) -> list[dict[str, Any]]:
        """The call states this page shared with the others, oldest first."""
        result: list[dict[str, Any]] = self._call("sentPeerStates")
        return result

    def stats(self, reports: list[dict[str, Any]]) -> None:
        """RTC stats the local tracks report from now on."""
        self._call("stats", reports)

    def calls(self) -> list[list[Any]]:
        """What the page asked of the Room, in order (connect, setMicrophoneEnabled, ...)."""
        result: list[list[Any]] = self._call("calls")
        return result

    def room_count(self) -> int:
        """How many Rooms the page has made (one per join or rejoin)."""
        result: int = self._call("roomCount")
        return result

    def state(self) -> str:
        result: str = self.page.evaluate("() => window.__sfu.room()?.state ?? 'none'")
        return result
