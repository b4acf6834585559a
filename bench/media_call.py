"""`python -m bench.media_call`: what a call costs and how soon it is heard, through the real
LiveKit server.

An app server with the real SFU beside it (loopback only, as the browser tests run them) and the
real room page in headless Chromium, one browser context per person:

- click to hear: a listener in an empty room clicks the room where a speaker talks (a steady
  tone); from the click to the first loud sample of the speaker's decoded audio on the listener's
  page;
- mouth to ear: the speaker's microphone is a tone behind a gain, opened at a known moment; from
  then to the first loud sample at the listener's, end-to-end encryption on and off;
- publishers: 8 and 16 pages in one room, each publishing Chromium's fake microphone and camera;
  CPU of the SFU, the app server and our Chromium's processes over a fixed window.

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

from .media_probe import DECODED, PEERS, PROBE, CpuWindow, chromium_processes, cpu_seconds
from .report import machine
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
    levels: tuple[int, ...]
    window_s: float
    settle_s: float


FULL = Plan(joins=20, bursts=20, levels=(8, 16), window_s=20, settle_s=45)
PARTS = ("speech", "publishers")
QUICK = Plan(joins=5, bursts=5, levels=(4,), window_s=5, settle_s=20)


@dataclass
class Level:
    """CPU over one window with `publishers` pages in the call, in % of one core."""

    publishers: int
    sfu: float
    app: float
    renderers: list[float]
    browser_other: dict[str, float]
    videos_decoding: int
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


def publisher(crowd: Crowd, room: str, first: bool) -> Person:
    """A page in `room` publishing Chromium's fake microphone and camera."""
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
    person.page.locator("#media-camera-button").click()
    expect(person.page.locator("#media-camera-button")).to_have_attribute("aria-pressed", "true")
    return person


def videos_decoding(person: Person, over_ms: int = 1500) -> int:
    before: dict[str, int] = person.page.evaluate(DECODED)
    person.page.wait_for_timeout(over_ms)
    after: dict[str, int] = person.page.evaluate(DECODED)
    return sum(1 for track, frames in after.items() if frames > before.get(track, 0))


def settle(pages: list[Person], seconds: float) -> int:
    """Waits until the newest page decodes everyone else's camera (or `seconds` pass)."""
    deadline = time.monotonic() + seconds
    decoding = 0
    while time.monotonic() < deadline:
        decoding = videos_decoding(pages[-1])
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


def publishers(crowd: Crowd, stack: CallStack, plan: Plan, results: Results) -> None:
    room, pages = crowd.unique("Crowd"), list[Person]()
    for count in plan.levels:
        while len(pages) < count:
            pages.append(publisher(crowd, room, first=not pages))
        decoding = settle(pages, plan.settle_s)
        pages[0].page.wait_for_timeout(3000)
        kinds = chromium_processes()
        sfu, app = stack.sfu.process, stack.app.process
        assert sfu is not None and app is not None
        window = cpu_window([sfu.pid, app.pid, *kinds], pages, plan.window_s)
        renderers = [window.percent([pid]) for pid, kind in kinds.items() if kind == "renderer"]
        others: dict[str, float] = {}
        for pid, kind in kinds.items():
            if kind != "renderer":
                others[kind] = others.get(kind, 0.0) + window.percent([pid])
        level = Level(
            count,
            window.percent([sfu.pid]),
            window.percent([app.pid]),
            renderers,
            others,
            decoding,
            window.seconds,
        )
        results.levels.append(level)
        # Printed at once too: on a busy machine a larger level may not finish.
        print(f"{count} publishers: {level_row(level)}", file=sys.stderr, flush=True)


def summary(ms: list[float]) -> str:
    p50, p95 = percentile(ms, 50), percentile(ms, 95)
    return f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, min {min(ms):.0f}, max {max(ms):.0f} (n={len(ms)})"


def level_row(lv: Level) -> str:
    total = sum(lv.renderers) + sum(lv.browser_other.values())
    per_page = sum(lv.renderers) / lv.publishers
    other = ", ".join(f"{kind} {pct:.0f}" for kind, pct in sorted(lv.browser_other.items()))
    cells = [
        str(lv.publishers),
        f"{lv.sfu:.1f} %",
        f"{lv.app:.1f} %",
        f"{per_page:.1f} % (max {max(lv.renderers, default=0):.1f} %, {len(lv.renderers)})",
        f"{total:.0f} % ({other})",
        f"{lv.videos_decoding} of {lv.publishers - 1}",
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
        "| publishers (mic + camera each) | SFU | app server | Chromium per page (max, renderers) "
        "| all of Chromium (other processes) | cameras decoding at the newest page |"
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
        if "publishers" in parts:
            try:
                publishers(crowd, stack, plan, results)
            except Exception as error:  # report what was measured, and why it stopped
                print(f"publishers stopped: {error}", file=sys.stderr)
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
        help="speech: click to hear and mouth to ear; publishers: CPU with 8 and 16 publishers",
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
