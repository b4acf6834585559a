"""`python -m bench.media_ui`: what the browser media UI costs with N people in the call.

The real room page in Chromium against a real app server with hashed static files, as the browser
tests run them, with the tests' in-page fake LiveKit. The N remotes are real members of the room
(registered and joined over the 1.x API) and each publishes a microphone (a tone) and a camera
(an animated canvas). Figures only: nothing fails on a slow result.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import APIRequestContext, CDPSession, expect, sync_playwright

from harness.chromium import CHROMIUM, CHROMIUM_ARGS
from harness.people import PASSWORD, Crowd, Person
from harness.servers import production_static_server

from .report import machine

LEVELS = (1, 8, 24)
ROUNDS = 100  # speaking rounds per level, or fewer when ROUND_BUDGET_S runs out
ROUND_BUDGET_S = 20
WINDOW_S = 10  # each long-task window
CHANGE_MS = 200  # how often the speakers change in the busy window
RELOADS = 5

# As the browser tests' server, except that members who never open a socket (the remotes)
# must not lapse while a level runs.
SERVER_ENV = {"RATELIMIT_ENABLE": "0", "PRESENCE_GRACE_SECONDS": "600"}

# Notes when the control bar first shows (the call is connected), in the page's own clock,
# whose zero is the start of the navigation.
BAR_WATCH = """
const barWatch = new MutationObserver(() => {
  const bar = document.getElementById('control-bar');
  if (!bar || bar.hidden || window.__barShownAt !== undefined) return;
  window.__barShownAt = performance.now();
  barWatch.disconnect();
});
barWatch.observe(document, {
  subtree: true, childList: true, attributes: true, attributeFilter: ['hidden'],
});
"""

# From the SFU's speaker report to the ring on the tile, one speaker at a time; the ring is
# cleared and two frames painted between rounds, so each round starts from a settled page.
SPEAKING = """
async ([ids, identities, rounds, budgetMs]) => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const [begun, out] = [performance.now(), []];
  let watch;
  for (let i = 0; i < rounds && performance.now() - begun < budgetMs; i += 1) {
    const k = i % ids.length;
    const tile = document.querySelector(`#tile-grid li.tile[data-user-id="${ids[k]}"]`);
    window.__sfu.speaking([]);
    await frame().then(frame);
    const ringed = new Promise((resolve, reject) => {
      const ring = () => tile.classList.contains('is-speaking') && resolve(performance.now());
      watch = new MutationObserver(ring);
      watch.observe(tile, { attributes: true, attributeFilter: ['class'] });
      setTimeout(() => reject(new Error(`no ring on ${identities[k]}`)), 5000);
    });
    const started = performance.now();
    window.__sfu.speaking([identities[k]]);
    out.push((await ringed) - started);
    watch.disconnect();
  }
  window.__sfu.speaking([]);
  return out;
}
"""

# Long tasks over a window, with the speakers changing every `every` ms (or not at all).
WINDOW = """
async ([identities, seconds, every]) => {
  const tasks = [];
  const watch = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
  watch.observe({ type: 'longtask' });
  let i = 0;
  const who = (n) => (identities.length === 1 && n % 2 ? [] : [identities[n % identities.length]]);
  const timer = every ? setInterval(() => window.__sfu.speaking(who(i++)), every) : null;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  if (timer !== null) clearInterval(timer);
  tasks.push(...watch.takeRecords());
  watch.disconnect();
  window.__sfu.speaking([]);
  return tasks.map((task) => task.duration);
}
"""

DOM_LOADED = "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"

# The stream on every tile's video, to tell whether renders attached any track again.
VIDEOS = "() => [...document.querySelectorAll('#tile-grid .tile-video')].map((v) => v.srcObject)"
KEEP_VIDEOS = f"() => {{ window.__videos = ({VIDEOS})(); }}"
VIDEOS_CHANGED = f"() => ({VIDEOS})().filter((s, i) => s !== window.__videos[i]).length"


@dataclass
class Remote:
    id: int
    username: str
    token: str


@dataclass
class Window:
    long_tasks: list[float]
    script_ms_per_s: float


@dataclass
class Level:
    remotes: int
    speaking_ms: list[float]
    idle: Window
    busy: Window
    heap_mib: float
    reattached: int


class Roster:
    """The remote members, kept in the room in the numbers each level needs."""

    def __init__(self, http: APIRequestContext, count: int) -> None:
        self.http = http
        self.remotes = [self._register(i) for i in range(count)]
        rooms = self._call("GET", "/api/rooms", self.remotes[0].token)["rooms"]
        self.room_id = next(room["id"] for room in rooms if room["name"] == "General")

    def _call(self, method: str, path: str, token: str, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.http.fetch(path, method=method, data=body, headers=headers)
        if not response.ok:
            raise RuntimeError(f"{method} {path}: {response.status} {response.text()}")
        return response.json()

    def _register(self, i: int) -> Remote:
        name = f"remote{i:02d}"
        body = {"username": name, "display_name": f"Remote {i:02d}", "password": PASSWORD}
        user = self._call("POST", "/api/auth/register", "", body)
        return Remote(user["user"]["id"], name, user["token"])

    def place(self, count: int) -> list[Remote]:
        """The first `count` remotes in the room, the others out of it."""
        for i, remote in enumerate(self.remotes):
            action = "join" if i < count else "leave"
            self._call("POST", f"/api/rooms/{self.room_id}/{action}", remote.token)
        return self.remotes[:count]


def _window(person: Person, cdp: CDPSession, remotes: list[Remote], every: int) -> Window:
    def script_seconds() -> float:
        metrics = cdp.send("Performance.getMetrics")["metrics"]
        return float(next(m["value"] for m in metrics if m["name"] == "ScriptDuration"))

    before = script_seconds()
    identities = [remote.username for remote in remotes]
    tasks: list[float] = person.page.evaluate(WINDOW, [identities, WINDOW_S, every])
    return Window(tasks, (script_seconds() - before) * 1000 / WINDOW_S)


def measure_level(person: Person, cdp: CDPSession, roster: Roster, count: int) -> Level:
    page = person.page
    remotes = roster.place(count)
    page.reload()
    page.wait_for_function("() => window.__sfu?.room()?.state === 'connected'")
    expect(page.locator("#tile-grid li.tile")).to_have_count(count + 1)
    for remote in remotes:
        person.sfu.add_remote(remote.username, remote.username)
        person.sfu.publish(remote.username, "microphone")
        person.sfu.publish(remote.username, "camera")
    expect(page.locator("#tile-grid li.tile.has-video")).to_have_count(count, timeout=30_000)
    page.evaluate(KEEP_VIDEOS)
    ids, identities = [r.id for r in remotes], [r.username for r in remotes]
    speaking: list[float] = page.evaluate(SPEAKING, [ids, identities, ROUNDS, ROUND_BUDGET_S * 1e3])
    idle = _window(person, cdp, remotes, 0)
    busy = _window(person, cdp, remotes, CHANGE_MS)
    reattached: int = page.evaluate(VIDEOS_CHANGED)
    cdp.send("HeapProfiler.collectGarbage")
    heap: int = page.evaluate("() => performance.memory.usedJSHeapSize")
    return Level(count, speaking, idle, busy, heap / 2**20, reattached)


def time_to_control_bar(person: Person, roster: Roster) -> tuple[list[float], list[float]]:
    """Milliseconds from navigation start to the connected control bar, alone in the room, and
    to DOMContentLoaded (the page's own loading, before the join and the connect)."""
    roster.place(0)
    person.context.add_init_script(BAR_WATCH)
    shown, loaded = [], []
    for _ in range(RELOADS):
        person.page.reload()
        person.page.wait_for_function("() => window.__barShownAt !== undefined")
        shown.append(float(person.page.evaluate("() => window.__barShownAt")))
        loaded.append(float(person.page.evaluate(DOM_LOADED)))
    return shown, loaded


def _row(lv: Level) -> list[str]:
    ms, idle, busy = lv.speaking_ms, lv.idle, lv.busy
    p95 = statistics.quantiles(ms, n=20)[18]
    return [
        str(lv.remotes),
        f"{statistics.median(ms):.2f} / {p95:.2f} / {max(ms):.2f} ({len(ms)})",
        f"{len(idle.long_tasks)}, {sum(idle.long_tasks):.0f} ms",
        f"{len(busy.long_tasks)}, {sum(busy.long_tasks):.0f} ms",
        f"{idle.script_ms_per_s:.0f} → {busy.script_ms_per_s:.0f}",
        f"{lv.heap_mib:.1f} MiB",
        f"{lv.reattached} of {lv.remotes}",
    ]


def table(levels: list[Level]) -> str:
    header = [
        "remotes in the call",
        "`speaking()` → `is-speaking` on the tile, ms (p50 / p95 / max, n)",
        f"long tasks in {WINDOW_S} s, no changes (count, total)",
        f"long tasks in {WINDOW_S} s, speakers change every {CHANGE_MS} ms",
        "script ms per s, idle → changing",
        "JS heap after GC",
        "videos reattached",
    ]
    rows = [header, ["---"] * len(header), *map(_row, levels)]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def main() -> None:
    before = machine()
    with production_static_server(SERVER_ENV) as server, sync_playwright() as pw:
        args = [*CHROMIUM_ARGS, "--enable-precise-memory-info"]
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=args)
        crowd = Crowd(browser=browser, base_url=server.url, tag="media_ui")
        try:
            roster = Roster(pw.request.new_context(base_url=server.url), max(LEVELS))
            person = crowd.member("bencher", "Bencher", sfu=True)
            cdp = person.context.new_cdp_session(person.page)
            cdp.send("Performance.enable")
            bar, loaded = time_to_control_bar(person, roster)
            levels = []
            for count in LEVELS:
                started = time.monotonic()
                levels.append(measure_level(person, cdp, roster, count))
                print(f"N={count}: {time.monotonic() - started:.0f} s", file=sys.stderr)
            problems = [p for someone in crowd.people for p in someone.problems]
        finally:
            crowd.close()
            browser.close()
    after = machine()
    print("\nmachine: " + ", ".join(f"{k} {v}" for k, v in before.items()))
    print(f"after:   load {after['load']}, calibration {after['calibration']}\n")
    print(
        f"navigation → connected control bar, nobody else in the room: median of {RELOADS} "
        f"reloads {statistics.median(bar):.0f} ms (min {min(bar):.0f}, max {max(bar):.0f}); "
        f"DOMContentLoaded at {statistics.median(loaded):.0f} ms\n"
    )
    print(table(levels))
    for problem in problems:
        print(f"page problem: {problem}")


if __name__ == "__main__":
    main()
