"""The call as a whole on the real room page, against the in-page fake LiveKit: joining
connects the media layer with the join response, and the page's whispers reach the layer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .people import Crowd

pytestmark = pytest.mark.browser


def test_joining_a_room_connects_the_call_with_the_join_token(crowd: Crowd) -> None:
    alice = crowd.member("alice", sfu=True)
    alice.page.wait_for_function("() => window.__sfu?.room()?.state === 'connected'")
    connect = next(call for call in alice.sfu.calls() if call[0] == "connect")
    # The relative wsUrl of the join response, resolved against the page.
    assert connect[1].startswith("ws://127.0.0.1")
    expect(alice.page.locator("#room-status")).not_to_contain_text("unreachable")
