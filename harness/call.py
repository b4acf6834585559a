"""What a person on a real call sees and hears, read from their page without changing it.

An init script keeps every RTCPeerConnection the page makes (for WebRTC statistics: what
arrived, decoded, with which codec) and taps every Web Audio connection into the speakers with
an analyser (what the page actually plays, after its own volume, mute and deafen).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from livekit import api
from playwright.sync_api import Page, expect

from harness.people import Person

WATCH = """(() => {
  const peers = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); peers.push(this); }
  };
  window.__peers = peers;
  const taps = [];
  window.__taps = taps;
  const connect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (target, ...rest) {
    if (target instanceof AudioDestinationNode) {
      const ctx = target.context;
      if (!ctx.__tap) {
        ctx.__tap = ctx.createAnalyser();
        ctx.__tap.fftSize = 32768;
        taps.push(ctx.__tap);
      }
      connect.call(this, ctx.__tap);
    }
    return connect.call(this, target, ...rest);
  };
})();"""

# The loudest sample the speakers played in the last ~0.7 s, over every tapped context.
PEAK = """() => {
  let peak = 0;
  for (const tap of window.__taps) {
    const samples = new Float32Array(tap.fftSize);
    tap.getFloatTimeDomainData(samples);
    for (const value of samples) peak = Math.max(peak, Math.abs(value));
  }
  return peak;
}"""

# Inbound RTP streams across the page's peer connections, with their codec.
INBOUND = """async () => {
  const streams = [];
  for (const pc of window.__peers) {
    if (pc.connectionState === 'closed') continue;
    const report = await pc.getStats();
    const byId = new Map();
    report.forEach((stat) => byId.set(stat.id, stat));
    report.forEach((stat) => {
      if (stat.type !== 'inbound-rtp') return;
      streams.push({
        kind: stat.kind,
        track: stat.trackIdentifier,
        bytes: stat.bytesReceived || 0,
        framesDecoded: stat.framesDecoded || 0,
        width: stat.frameWidth || 0,
        energy: stat.totalAudioEnergy || 0,
        codec: byId.get(stat.codecId)?.mimeType || null,
      });
    });
  }
  return streams;
}"""


@dataclass
class Inbound:
    kind: str
    track: str
    bytes: int
    framesDecoded: int
    width: int
    energy: float
    codec: str | None


def watch_call(person: Person) -> None:
    """Installs the watch on this person's pages (before the next navigation)."""
    person.context.add_init_script(WATCH)
    person.page.reload()


def enable_audio(person: Person) -> None:
    """Clicks "Enable audio" when the browser held the call's sound back, as a person would."""
    banner = person.page.locator("#audio-blocked")
    button = banner.get_by_role("button", name="Enable audio")
    try:
        button.wait_for(state="visible", timeout=3_000)
    except Exception:
        return
    button.click()
    expect(banner).to_be_hidden()


def peak(page: Page, *, over: float = 2.0) -> float:
    """The loudest sample played over `over` seconds."""
    loudest = 0.0
    for _ in range(max(1, int(over / 0.25))):
        loudest = max(loudest, float(page.evaluate(PEAK)))
        page.wait_for_timeout(250)
    return loudest


def inbound(page: Page, kind: str | None = None) -> list[Inbound]:
    streams = [Inbound(**stream) for stream in page.evaluate(INBOUND)]
    return [s for s in streams if kind is None or s.kind == kind]


def flowing(page: Page, kind: str, *, over: float = 1.5) -> list[Inbound]:
    """Inbound streams of `kind` whose byte count grew over `over` seconds."""
    before = {s.track: s.bytes for s in inbound(page, kind)}
    page.wait_for_timeout(int(over * 1000))
    return [s for s in inbound(page, kind) if s.bytes > before.get(s.track, 0)]


def call_connected(person: Person, *, timeout: float = 30_000) -> None:
    """The call is up: the control bar shows and no unreachable banner."""
    expect(person.page.locator("#control-bar")).to_be_visible(timeout=timeout)
    expect(person.page.locator("#media-unreachable")).to_be_hidden()


def unmute(person: Person) -> None:
    mic = person.page.locator("#media-mic-button")
    expect(mic).to_have_attribute("aria-pressed", "true")
    mic.click()
    expect(mic).to_have_attribute("aria-pressed", "false")


def livekit_participants(sfu_url: str, env: dict[str, str], room: str) -> list[Any]:
    """The SFU's own list of participants in `room` (its RoomService API)."""

    async def listed() -> list[Any]:
        async with api.LiveKitAPI(
            sfu_url, env["LIVEKIT_API_KEY"], env["LIVEKIT_API_SECRET"]
        ) as client:
            reply = await client.room.list_participants(api.ListParticipantsRequest(room=room))
            return list(reply.participants)

    # Playwright's sync API keeps an event loop running on this thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, listed()).result(timeout=20)
