"""Hotkeys with real keyboard events in Chromium: M and D act, typing in a field does not,
Ctrl shortcuts are left to the browser, holding a key does not flap, push-to-talk holds."""

from __future__ import annotations

from typing import Any

import pytest

from harness.people import Crowd

pytestmark = pytest.mark.browser

LISTEN = """async () => {
  const { listenHotkeys } = await import('/static/js/media/adapters/keyboard.js');
  const { DEFAULT_HOTKEYS } = await import('/static/js/media/rules/hotkeys.js');
  window.__actions = [];
  window.__prevented = [];
  listenHotkeys({
    target: window,
    document,
    bindings: () => DEFAULT_HOTKEYS,
    mode: () => ({ active: true, pushToTalk: true }),
    onAction: (action) => window.__actions.push(action),
    onPushToTalk: (held) => window.__actions.push(held ? 'talk' : 'quiet'),
  });
  // Registered after the hotkeys, so it sees whether they claimed the key.
  window.addEventListener('keydown', (e) => window.__prevented.push([e.code, e.defaultPrevented]));
  const field = document.createElement('input');
  field.id = 'hotkey-test-field';
  field.setAttribute('aria-label', 'Test field');
  document.body.append(field);
}"""


def actions(page: Any) -> list[str]:
    result: list[str] = page.evaluate("() => window.__actions.splice(0)")
    return result


def test_hotkeys_act_outside_fields_and_leave_browser_shortcuts_alone(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    page = alice.page
    page.evaluate(LISTEN)

    page.keyboard.press("m")
    page.keyboard.press("d")
    assert actions(page) == ["toggleMute", "toggleDeafen"]

    page.keyboard.press("Control+d")
    page.keyboard.press("Alt+m")
    assert actions(page) == []
    prevented = page.evaluate("() => window.__prevented")
    assert ["KeyD", False] in prevented, "Ctrl+D stays the browser's"

    page.locator("#hotkey-test-field").focus()
    page.keyboard.type("mdv")
    assert actions(page) == []
    assert page.locator("#hotkey-test-field").input_value() == "mdv"


def test_holding_keys_toggles_once_and_push_to_talk_holds(crowd: Crowd) -> None:
    alice = crowd.member("alice")
    page = alice.page
    page.evaluate(LISTEN)

    page.keyboard.down("m")
    page.keyboard.down("m")  # auto-repeat
    page.keyboard.up("m")
    assert actions(page) == ["toggleMute"]

    page.keyboard.down("v")
    page.keyboard.down("v")
    assert actions(page) == ["talk"]
    page.keyboard.up("v")
    assert actions(page) == ["quiet"]
