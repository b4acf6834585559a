"""DJ Tokoloshe in real pages, through the real LiveKit server, with `run_dj` running beside
the app: a page in the room hears the bot play a known tone (end-to-end encrypted, as every
room is), through the popover a person pauses, changes the station and skips, and every page
gets each change as `music:status` within a second. No internet: the stations are local files
and the queued URL is a local HTTP server."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from harness.call import call_connected, enable_audio, peak, watch_call
from harness.livekit import CallStack, call_stack
from harness.music import dj_process, tone_file
from harness.people import Crowd, Person, gathered
from harness.servers import manage, production_static_server, redis_server

from .conftest import BROWSER_TEST_ENV
from .test_real_call import SILENT, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

STATIONS = """
from music.models import Station
Station.objects.create(slug="tone", name="Tone FM", genre="Sine", url=%r, position=1)
Station.objects.create(slug="fifth", name="Fifth FM", genre="Sine", url=%r, position=2)
"""

# Every music:status frame a page receives, with the time it arrived (the page's clock).
MUSIC_FRAMES = """(() => {
  window.__music = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        try {
          const frame = JSON.parse(event.data);
          if (frame.type !== 'music:status') return;
          window.__music.push({ at: Date.now(), data: frame.data });
        } catch {}
      });
    }
  };
})();"""

# The strongest frequency the page's speakers play now, in Hz.
PITCH = """() => {
  let best = -Infinity;
  let hertz = 0;
  for (const tap of window.__taps) {
    const bins = new Float32Array(tap.frequencyBinCount);
    tap.getFloatFrequencyData(bins);
    bins.forEach((value, i) => {
      if (value > best) { best = value; hertz = (i * tap.context.sampleRate) / tap.fftSize; }
    });
  }
  return hertz;
}"""


class Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def music_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CallStack, str]]:
    folder = tmp_path_factory.mktemp("music")
    a4 = tone_file(folder / "a4.flac", hertz=440, seconds=900)
    e5 = tone_file(folder / "e5.flac", hertz=660, seconds=900)
    tone_file(folder / "c5.flac", hertz=523, seconds=900)
    files = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Files, directory=str(folder))
    )
    threading.Thread(target=files.serve_forever, daemon=True).start()
    extra = {**BROWSER_TEST_ENV, "MUSIC_POLL_SECONDS": "0.1", "PRESENCE_GRACE_SECONDS": "30"}
    try:
        with (
            redis_server() as redis,
            call_stack(production_static_server, {**extra, "REDIS_URL": redis.url}) as stack,
        ):
            manage("shell", "-c", STATIONS % (str(a4), str(e5)), env=stack.app.env)
            with dj_process(stack.app.env, log_path=folder / "dj.log"):
                yield stack, f"http://127.0.0.1:{files.server_address[1]}"
    finally:
        files.shutdown()


@pytest.fixture
def music_crowd(
    browser: Browser, music_server: tuple[CallStack, str], request: pytest.FixtureRequest
) -> Iterator[Crowd]:
    with gathered(browser, music_server[0].app.url, request.node.name) as crowd:
        yield crowd


def in_music_room(crowd: Crowd, *stems: str) -> list[Person]:
    """People in one fresh room of the first one's, connected, hearing it, music on."""
    people = [crowd.member(stem) for stem in stems]
    for person in people:
        person.context.add_init_script(MUSIC_FRAMES)
        watch_call(person)
    name = crowd.unique("Music")
    people[0].api("POST", "/api/rooms", {"name": name, "type": "voice"})
    for person in people:
        # A page still joining its last room would drop the click (a loaded machine is slow).
        expect(person.page.locator("#room-status")).not_to_contain_text("Joining")
        person.join(name)
        call_connected(person)
        enable_audio(person)
    people[0].api("POST", "/api/music/settings", {"enabled": True})
    return people


def hears_pitch(page: Page, hertz: float, *, timeout: float = 30.0) -> bool:
    def near() -> bool:
        return peak(page, over=0.5) > SILENT and abs(float(page.evaluate(PITCH)) - hertz) < 8

    return bool(wait_for(near, timeout=timeout))


def frames_since(page: Page, since_ms: float) -> list[dict[str, Any]]:
    frames: list[dict[str, Any]] = page.evaluate("() => window.__music")
    return [frame for frame in frames if frame["at"] >= since_ms]


def reaches_everyone(people: list[Person], since_ms: float, what: Any) -> list[float]:
    """How long after `since_ms` each page got a music:status for which `what(data)` holds."""
    delays = []
    for person in people:

        def matching(page: Page = person.page) -> list[dict[str, Any]]:
            return [f for f in frames_since(page, since_ms) if what(f["data"])]

        match = wait_for(matching, timeout=10, step=0.1)
        assert match, f"{person.display_name}'s page got no such music:status"
        delays.append(match[0]["at"] - since_ms)
    return delays


def open_music(person: Person) -> None:
    button = person.page.locator("#music-button")
    expect(button).to_be_visible(timeout=30_000)
    button.click()
    expect(person.page.locator("#music-popover")).to_be_visible()


def test_a_page_hears_the_dj_play_a_known_tone_end_to_end_encrypted(music_crowd: Crowd) -> None:
    alice, bob = in_music_room(music_crowd, "alice", "bob")
    # The DJ joined: its tile scrolls the station; the call stays end-to-end encrypted.
    tile = bob.page.locator("#bot-tiles .bot-tile")
    expect(tile).to_have_count(1, timeout=30_000)
    expect(tile.locator(".marquee-text")).to_have_text("Tone FM")
    expect(tile.locator(".tile-name")).to_have_text("DJ Tokoloshe")
    expect(bob.page.locator("#e2ee-lock")).to_have_attribute("aria-label", "End-to-end encrypted")
    assert hears_pitch(bob.page, 440), "Bob's page never played the station's 440 Hz tone"
    # At the shared bot volume of 5 %: quiet under the voices.
    assert peak(bob.page, over=1.0) < 0.1
    assert hears_pitch(alice.page, 440)


def test_pause_station_and_skip_reach_every_page_within_a_second(
    music_crowd: Crowd, music_server: tuple[CallStack, str]
) -> None:
    # Two pages keep a loaded machine responsive; a third would prove nothing more.
    alice, bob = in_music_room(music_crowd, "alice", "bob")
    _, files = music_server
    assert hears_pitch(alice.page, 440)
    open_music(bob)
    expect(bob.page.locator("#music-now-playing")).to_have_text("Tone FM")
    delays: list[float] = []

    station = bob.page.locator("#music-station")
    since = time.time() * 1000
    station.select_option(label="Fifth FM (Sine)")
    delays += reaches_everyone(
        [alice, bob], since, lambda s: (s["currentStation"] or {}).get("id") == "fifth"
    )
    assert hears_pitch(alice.page, 660), "the new station is not heard"

    # A URL on a local HTTP server plays at once during radio; skipping it falls back to radio.
    since = time.time() * 1000
    bob.page.locator("#music-url").fill(f"{files}/c5.flac")
    bob.page.get_by_role("button", name="Queue", exact=True).click()
    delays += reaches_everyone([alice, bob], since, lambda s: s["mode"] == "queue")
    assert hears_pitch(alice.page, 523), "the queued URL is not heard"
    since = time.time() * 1000
    bob.page.get_by_role("button", name="Skip").click()
    delays += reaches_everyone([alice, bob], since, lambda s: s["mode"] == "radio")
    assert hears_pitch(alice.page, 660)

    since = time.time() * 1000
    bob.page.get_by_role("button", name="Pause").click()
    delays += reaches_everyone([alice, bob], since, lambda s: s["paused"] is True)
    expect(bob.page.locator("#music-now-playing")).to_have_text("(Paused) Fifth FM")
    assert wait_for(lambda: peak(alice.page, over=0.5) < SILENT, timeout=10), "pause is not heard"

    print(f"music:status delays (ms): {sorted(round(d) for d in delays)}")
    assert max(delays) < 1000, f"a page got music:status only after {max(delays):.0f} ms"
