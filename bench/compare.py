"""The goals, read against figures from the same run: ours beside 1.x, and two processes
beside one."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .report import SetupResult, _markdown

Figure = Callable[[SetupResult], float | None]


@dataclass(frozen=True)
class Metric:
    """One figure, how to print it, and its goal: beside 1.x (`higher` says which way is
    better, the goal being ours ÷ 1.x ≥ 1 or ≤ 1), or a fixed bound on ours (`bound`)."""

    label: str
    unit: str
    figure: Figure
    higher: bool = False
    bound: float | None = None
    beside_1x: bool = True


def _level(clients: int, what: str) -> Figure:
    def figure(result: SetupResult) -> float | None:
        level = result.fanout.level(clients)
        if level is None:
            return None
        value: float = {
            "p99": level.latency.p99_ms,
            "cpu": level.cpu_ms_per_event,
        }[what]
        return value

    return figure


def _connect(clients: int) -> Figure:
    def figure(result: SetupResult) -> float | None:
        if result.fanout.level(clients) is None:
            return None
        return result.fanout.connect_seconds_upto(clients)

    return figure


def _connect_cpu(clients: int) -> Figure:
    """Server CPU per client over connecting every client up to `clients`, from none."""

    def figure(result: SetupResult) -> float | None:
        levels = [x for x in result.fanout.levels if x.clients <= clients]
        if not levels or levels[-1].clients != clients:
            return None
        total, previous = 0.0, 0
        for level in levels:
            total += level.connect_cpu_ms_per_client * (level.clients - previous)
            previous = level.clients
        return total / clients

    return figure


METRICS = [
    Metric("join c=1: throughput", "req/s", lambda r: r.join1.requests_per_s, higher=True),
    Metric("join c=1: p99", "ms", lambda r: r.join1.latency.p99_ms),
    Metric("join c=1: server CPU per join", "ms", lambda r: r.join1.cpu_ms_per_request),
    Metric("join c=8: throughput", "req/s", lambda r: r.join8.requests_per_s, higher=True),
    Metric("join c=8: p99", "ms", lambda r: r.join8.latency.p99_ms),
    Metric("join c=8: server CPU per join", "ms", lambda r: r.join8.cpu_ms_per_request),
    Metric("fan-out of one event to N=500: p99", "ms", _level(500, "p99")),
    Metric("fan-out to N=500: server CPU per event", "ms", _level(500, "cpu")),
    Metric("fan-out to N=5000: p99", "ms", _level(5000, "p99"), bound=100, beside_1x=False),
    Metric("fan-out to N=5000: server CPU per event", "ms", _level(5000, "cpu"), beside_1x=False),
    Metric("deciding ballot → `vote:resolved`: p50", "ms", lambda r: r.ballot.p50_ms),
    Metric("500 clients connect (from none)", "s", _connect(500)),
    Metric("connecting: server CPU per client (to 500)", "ms", _connect_cpu(500)),
    Metric(
        "memory per connected client (N=50 → 500)",
        "KiB",
        lambda r: r.fanout.memory_per_client_kib_upto(500),
        bound=48,
    ),
]


def _number(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "—"
    digits = 0 if value >= 100 else 1 if value >= 10 else 2
    return f"{value:.{digits}f} {unit}"


def _verdict(metric: Metric, ours: float | None, onex: float | None) -> str:
    if ours is None or math.isnan(ours):
        return "—"
    if metric.bound is not None:
        return "met" if ours <= metric.bound else "not met"
    if not metric.beside_1x or onex is None or math.isnan(onex) or onex == 0:
        return "—"
    ratio = ours / onex
    met = ratio >= 1 if metric.higher else ratio <= 1
    return f"{ratio:.2f}x, {'met' if met else 'not met'}"


def _goal(metric: Metric) -> str:
    if metric.bound is not None:
        return f"≤ {metric.bound:g} {metric.unit}"
    if not metric.beside_1x:
        return "—"
    return "≥ 1.0x 1.x" if metric.higher else "≤ 1.x"


def beside_onex(results: dict[str, SetupResult]) -> str:
    """One row per goal figure: 1.x, then each of our setups with ours ÷ 1.x and the verdict."""
    onex = results["1.x"]
    ours = [name for name in results if name != "1.x"]
    header = ["figure", "goal", "1.x"]
    for name in ours:
        header += [name, f"{name} ÷ 1.x"]
    rows = []
    for metric in METRICS:
        theirs = metric.figure(onex) if metric.beside_1x else None
        row = [metric.label, _goal(metric), _number(theirs, metric.unit)]
        for name in ours:
            value = metric.figure(results[name])
            row += [_number(value, metric.unit), _verdict(metric, value, theirs)]
        rows.append(row)
    return _markdown(header, rows)


def two_processes(results: dict[str, SetupResult], name: str = "redis") -> str:
    """Two processes (setup `name`) against one: join throughput at c=8 ≥ 1.6x, fan-out p99 at
    N=500 ≤ 1.5x. Join c=1 is shown without a goal: one client waits for each answer before
    asking again, so it keeps one process busy at a time and measures latency, not capacity."""
    one, two = results["single"], results[name]
    rows = []
    for label, figure, goal, higher in (
        ("join c=1: throughput", lambda r: r.join1.requests_per_s, None, True),
        ("join c=8: throughput", lambda r: r.join8.requests_per_s, 1.6, True),
        ("fan-out to N=500: p99", _level(500, "p99"), 1.5, False),
    ):
        a, b = figure(one), figure(two)
        if a is None or b is None:
            rows.append([label, "—", "—", "—", "—"])
            continue
        ratio = b / a
        if goal is None:
            rows.append([label, "— (one client)", f"{a:.1f}", f"{b:.1f}", f"{ratio:.2f}x"])
            continue
        met = ratio >= goal if higher else ratio <= goal
        rows.append(
            [
                label,
                f"{'≥' if higher else '≤'} {goal}x one",
                f"{a:.1f}",
                f"{b:.1f}",
                f"{ratio:.2f}x, {'met' if met else 'not met'}",
            ]
        )
    return _markdown(["figure", "goal", "single", name, f"{name} ÷ single"], rows)
