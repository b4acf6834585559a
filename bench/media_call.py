"""`python -m bench.media_call`: what a call costs and how soon it is heard, through the real
LiveKit server.

An app server with the real SFU beside it (loopback only, as the browser tests run them) and the
real room page in headless Chromium, one browser context per person:

- click to hear: a listener in an empty room clicks the room where a speaker talks (a steady
  tone); from the click to the first loud sample of the speaker's decoded audio on the listener's
  page;
- mouth to ear: the speaker's microphone is a tone behind a gain, opened at a known moment; from
  then to the first loud sample at the listener's, end-to-end encryption on and off;
- voices: 8 and 16 pages in one room, each publishing Chromium's fake microphone (an evening's
  talk); cameras: 4 and 8 pages publishing the microphone and the camera; for each, CPU of the
  SFU, the app server and our Chromium's processes over a fixed window. (A 2-core machine cannot
  run 16 pages at once: each decodes everyone else.)
- crowd: one page among 7, then 15, members talking on LiveKit's Python SDK (bench.sdk_voices),
  all joined through the app and encrypted: what the page's person pays in a room of 8 and 16,
  and the SFU's and app's CPU with 8 and 16 publishers.

Figures only: nothing fails on a slow result.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field

from playwright.sync_api import Browser, Route, expect, sync_playwright

from harness.call import call_connected, unmute
from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.livekit import CallStack, call_stack
from harness.people import PASSWORD, Crowd, Person
from harness.servers import production_static_server

from .media_probe import INBOUND, PEERS, PROBE, CpuWindow, chromium_processes, cpu_seconds
from .report import machine
from .sdk_voices import Voices
from .stats import percentile

SERVER_ENV = {"RATELIMIT_ENABLE": "0", "PRESENCE_GRACE_SECONDS": "30"}
# The speaker's tone must play without a gesture in a page nobody clicks.
ARGS = [*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"]
HEARD_TIMEOUT_MS = 15_000
# A shared 2-core machine under other people's test suites can take this long to load a page.
PATIENCE_MS = 90_000
QUIET = 0.01  # below this the listener hears nothing (the tone peaks at 0.5)


@dataclass(frozen=True)
class Plan:
    """Counts and windows: the whole run stays within a few minutes."""

    joins: int
    bursts: int
    voices: tuple[int, ...]
    cameras: tuple[int, ...]
    crowd: tuple[int, ...]
    window_s: float
    settle_s: float


FULL = Plan(
    joins=20, bursts=20, voices=(8, 16), cameras=(4, 8), crowd=(8, 16), window_s=20, settle_s=45
)
PARTS = ("speech", "voices", "cameras", "crowd")
QUICK = Plan(joins=5, bursts=5, voices=(4,), cameras=(2,), crowd=(4,), window_s=5, settle_s=20)


@dataclass
class Level:
    """CPU over one window with `publishers` pages in the call, in % of one core."""

    publishers: int
    kind: str  # "mic", "mic + camera" or "1 page + SDK voices"
    pages: int
    sfu: float
    app: float
    renderers: list[float]
    browser_other: dict[str, float]
    streams_flowing: int
    seconds: float


@dataclass
class Results:
    click_to_hear_ms: list[float] = field(default_factory=list)
    mouth_to_ear_ms: dict[str, list[float]] = field(default_factory=dict)
    locks: dict[str, str] = field(default_factory=dict)
    levels: list[Level] = field(default_factory=list)


def probed(crowd: Crowd, stem: str) -> Person:
    """A member whose page carries the probe (tone microphone, ear on remote audio)."""
    person = crowd.member(stem)
    person.context.add_init_script(PROBE)
    person.page.reload()
    return person


def enter(person: Person, room: str) -> None:
    person.join(room)
    call_connected(person, timeout=PATIENCE_MS)


def click_to_hear(listener: Person, talk: str, lobby: str, joins: int) -> list[float]:
    """Milliseconds from the listener's click on `talk` to the speaker's voice on their page."""
    out = []
    for _ in range(joins):
        enter(listener, lobby)
        listener.page.wait_for_timeout(300)
        listener.page.evaluate("() => window.__probe.arm(true)")
        listener.room_button(talk).click()
        listener.page.wait_for_function("() => window.__probe.heardAt", timeout=HEARD_TIMEOUT_MS)
        clicked, heard = listener.page.evaluate("() => [__probe.clickAt, __probe.heardAt]")
        out.append(float(heard) - float(clicked))
    return out


def mouth_to_ear(speaker: Person, listener: Person, bursts: int) -> list[float]:
    """Milliseconds from the gain opening in the speaker's page to loud samples at the
    listener's; each burst starts from silence at the listener's."""
    out = []
    for i in range(bursts):
        speaker.page.evaluate("() => window.__probe.tone(false)")
        listener.page.wait_for_function(f"() => window.__probe.level() < {QUIET}")
        # Uneven gaps, so bursts do not line up with the 20 ms audio frames.
        listener.page.wait_for_timeout(400 + 37 * (i % 7))
        listener.page.evaluate("() => window.__probe.arm(false)")
        opened = float(speaker.page.evaluate("() => window.__probe.tone(true)"))
        listener.page.wait_for_function("() => window.__probe.heardAt", timeout=HEARD_TIMEOUT_MS)
        out.append(float(listener.page.evaluate("() => window.__probe.heardAt")) - opened)
    speaker.page.evaluate("() => window.__probe.tone(false)")
    return out


def without_e2ee(route: Route) -> None:
    """The join reply without its key: the page then calls with transport encryption only."""
    response = route.fetch()
    body = response.json()
    body.pop("e2eeKey", None)
    route.fulfill(response=response, json=body)


def lock(person: Person) -> str:
    return str(person.page.locator("#e2ee-lock").get_attribute("aria-label"))


def speech(crowd: Crowd, plan: Plan, results: Results) -> None:
    """Click to hear, then mouth to ear with and without end-to-end encryption."""
    speaker, listener = probed(crowd, "speaker"), probed(crowd, "listener")
    talk, lobby = crowd.unique("Talk"), crowd.unique("Lobby")
    speaker.api("POST", "/api/rooms", {"name": talk, "type": "voice"})
    listener.api("POST", "/api/rooms", {"name": lobby, "type": "voice"})
    enter(speaker, talk)
    unmute(speaker)
    speaker.page.evaluate("() => window.__probe.tone(true)")
    results.click_to_hear_ms = click_to_hear(listener, talk, lobby, plan.joins)
    print(f"click to hear: {summary(results.click_to_hear_ms)}", file=sys.stderr, flush=True)

    results.locks["on"] = lock(listener)
    results.mouth_to_ear_ms["on"] = mouth_to_ear(speaker, listener, plan.bursts)
    plain = crowd.unique("Plain")
    speaker.api("POST", "/api/rooms", {"name": plain, "type": "voice"})
    for person in (speaker, listener):
        person.page.route("**/api/rooms/*/join", without_e2ee)
        enter(person, plain)
    unmute(speaker)
    results.locks["off"] = lock(listener)
    results.mouth_to_ear_ms["off"] = mouth_to_ear(speaker, listener, plan.bursts)
    for mode, ms in results.mouth_to_ear_ms.items():
        print(f"mouth to ear, E2EE {mode}: {summary(ms)}", file=sys.stderr, flush=True)
    for person in (speaker, listener):
        person.context.close()
        crowd.people.remove(person)


def publisher(crowd: Crowd, room: str, *, first: bool, camera: bool) -> Person:
    """A page in `room` publishing Chromium's fake microphone (and camera)."""
    person = crowd.newcomer(f"pub{len(crowd.people):02d}")
    person.context.add_init_script(PEERS)
    body = {"username": person.username, "display_name": person.username, "password": PASSWORD}
    person.api("POST", "/api/session/register", body)
    # Not waiting for "load": on a busy machine a page with a call can take long to reach it.
    person.page.goto("/", wait_until="domcontentloaded")
    if first:
        person.api("POST", "/api/rooms", {"name": room, "type": "voice"})
    enter(person, room)
    unmute(person)
    if camera:
        person.page.locator("#media-camera-button").click()
        button = person.page.locator("#media-camera-button")
        expect(button).to_have_attribute("aria-pressed", "true")
    return person


def streams_flowing(person: Person, over_ms: int = 1500, *, kind: str = "video") -> int:
    """How many inbound `kind` streams (video: frames decoded, audio: samples decoded from real
    packets) progressed on `person`'s page over `over_ms`."""
    before: dict[str, float] = person.page.evaluate(INBOUND, kind)
    person.page.wait_for_timeout(over_ms)
    after: dict[str, float] = person.page.evaluate(INBOUND, kind)
    return sum(1 for track, frames in after.items() if frames > before.get(track, 0))


def settle(pages: list[Person], seconds: float, *, camera: bool) -> int:
    """Waits until the newest page decodes everyone else's camera (or `seconds` pass)."""
    if not camera:
        # Voices: nothing to decode but sound; a moment for every subscription to settle.
        pages[-1].page.wait_for_timeout(5000)
        return 0
    deadline = time.monotonic() + seconds
    decoding = 0
    while time.monotonic() < deadline:
        decoding = streams_flowing(pages[-1])
        if decoding >= len(pages) - 1:
            break
    return decoding


def cpu_window(pids: list[int], pages: list[Person], seconds: float) -> CpuWindow:
    before = {pid: cpu_seconds(pid) for pid in pids}
    started = time.monotonic()
    pages[0].page.wait_for_timeout(seconds * 1000)
    after = {pid: cpu_seconds(pid) for pid in pids}
    used = {
        pid: end - start
        for pid, start in before.items()
        if start is not None and (end := after[pid]) is not None
    }
    return CpuWindow(time.monotonic() - started, used)


def publishers(
    crowd: Crowd, stack: CallStack, plan: Plan, results: Results, *, camera: bool
) -> None:
    room, pages = crowd.unique("Cameras" if camera else "Voices"), list[Person]()
    for count in plan.cameras if camera else plan.voices:
        while len(pages) < count:
            pages.append(publisher(crowd, room, first=not pages, camera=camera))
        decoding = settle(pages, plan.settle_s, camera=camera)
        kind = "mic + camera" if camera else "mic"
        results.levels.append(measure(stack, pages, plan, count, kind, decoding))
    # The next part starts from an empty machine.
    for person in pages:
        person.context.close()
        crowd.people.remove(person)


def measure(
    stack: CallStack, pages: list[Person], plan: Plan, count: int, kind: str, decoding: int
) -> Level:
    """CPU of the SFU, the app and our Chromium's processes over one window, now."""
    pages[0].page.wait_for_timeout(3000)
    kinds = chromium_processes()
    sfu, app = stack.sfu.process, stack.app.process
    assert sfu is not None and app is not None
    window = cpu_window([sfu.pid, app.pid, *kinds], pages, plan.window_s)
    renderers = [window.percent([pid]) for pid, what in kinds.items() if what == "renderer"]
    others: dict[str, float] = {}
    for pid, what in kinds.items():
        if what != "renderer":
            others[what] = others.get(what, 0.0) + window.percent([pid])
    level = Level(
        count,
        kind,
        len(pages),
        window.percent([sfu.pid]),
        window.percent([app.pid]),
        renderers,
        others,
        decoding,
        window.seconds,
    )
    # Printed at once too: on a busy machine a larger level may not finish.
    print(f"{count} publishers: {level_row(level)}", file=sys.stderr, flush=True)
    return level


def crowd_of_voices(crowd: Crowd, stack: CallStack, plan: Plan, results: Results) -> None:
    """One page talking among SDK voices, for each size of room in the plan."""
    page = publisher(crowd, crowd.unique("Crowd"), first=True, camera=False)
    room_id = int(page.api("GET", "/api/auth/me")["user"]["last_room_id"])
    voices = Voices(app_url=stack.app.url, sfu_url=stack.sfu.url)
    try:
        for count in plan.crowd:
            while len(voices.rooms) < count - 1:
                name = crowd.unique(f"voice{len(voices.rooms):02d}")
                voices.add(username=name, password=PASSWORD, room_id=room_id)
            page.page.wait_for_timeout(5000)
            heard = streams_flowing(page, kind="audio")
            results.levels.append(measure(stack, [page], plan, count, "1 page + SDK voices", heard))
    finally:
        voices.close()


def summary(ms: list[float]) -> str:
    p50, p95 = percentile(ms, 50), percentile(ms, 95)
    return f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, min {min(ms):.0f}, max {max(ms):.0f} (n={len(ms)})"


def level_row(lv: Level) -> str:
    total = sum(lv.renderers) + sum(lv.browser_other.values())
    per_page = sum(lv.renderers) / lv.pages
    other = ", ".join(f"{kind} {pct:.0f}" for kind, pct in sorted(lv.browser_other.items()))
    cells = [
        f"{lv.publishers} ({lv.kind})",
        f"{lv.sfu:.1f} %",
        f"{lv.app:.1f} %",
        f"{per_page:.1f} % (max {max(lv.renderers, default=0):.1f} %, {len(lv.renderers)})",
        f"{total:.0f} % ({other})",
        f"{lv.streams_flowing} of {lv.publishers - 1}" if lv.kind != "mic" else "not counted",
    ]
    return "| " + " | ".join(cells) + " |"


def report(results: Results, plan: Plan, before: dict[str, str], after: dict[str, str]) -> None:
    print("\nmachine: " + ", ".join(f"{k} {v}" for k, v in before.items()))
    print(f"after:   load {after['load']}, calibration {after['calibration']}\n")
    if results.click_to_hear_ms:
        print(f"click a room → hear the speaker: {summary(results.click_to_hear_ms)}")
    for mode, ms in results.mouth_to_ear_ms.items():
        print(f"mouth to ear, E2EE {mode} (lock: {results.locks[mode]}): {summary(ms)}")
    print(f"\nCPU over {plan.window_s:.0f} s, % of one core:\n")
    print(
        "| publishers (each) | SFU | app server | Chromium per page (max, renderers) "
        "| all of Chromium (other processes) | streams decoding at the newest page "
        "(cameras; with SDK voices, voices heard) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for lv in results.levels:
        print(level_row(lv))


def run(
    browser: Browser, stack: CallStack, plan: Plan, parts: list[str]
) -> tuple[Results, list[str]]:
    crowd = Crowd(
        browser=browser, base_url=stack.app.url, tag="media_call", patience_ms=PATIENCE_MS
    )
    results = Results()
    try:
        if "speech" in parts:
            speech(crowd, plan, results)
        for part in ("crowd", "voices", "cameras"):
            if part not in parts:
                continue
            try:
                if part == "crowd":
                    crowd_of_voices(crowd, stack, plan, results)
                else:
                    publishers(crowd, stack, plan, results, camera=part == "cameras")
            except Exception as error:  # report what was measured, and why it stopped
                print(f"{part} stopped: {error}", file=sys.stderr)
                print(stack.app.log_text()[-4000:], file=sys.stderr)
        return results, [p for someone in crowd.people for p in someone.problems]
    finally:
        crowd.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.media_call", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer of everything")
    parser.add_argument(
        "--parts",
        nargs="+",
        choices=PARTS,
        default=list(PARTS),
        help="speech: click to hear and mouth to ear; voices: CPU with 8 and 16 microphones; "
        "cameras: CPU with 4 and 8 microphones and cameras; crowd: one page among 7 and 15 "
        "SDK voices",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    expect.set_options(timeout=PATIENCE_MS)
    before = machine()
    started = time.monotonic()
    with call_stack(production_static_server, SERVER_ENV) as stack, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            results, problems = run(browser, stack, plan, args.parts)
        finally:
            browser.close()
    report(results, plan, before, machine())
    print(f"\nwhole run: {time.monotonic() - started:.0f} s")
    for problem in problems[:10]:
        print(f"page problem: {problem}")


if __name__ == "__main__":
    main()
