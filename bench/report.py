"""The machine the run happened on, and the tables printed at the end."""

from __future__ import annotations

import math
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path

from .fanout import Fanout
from .stack import ONEX, SETUPS
from .stats import Latency
from .workloads import Throughput


@dataclass
class SetupResult:
    """Everything measured on one setup."""

    join1: Throughput
    join8: Throughput
    ballot: Latency
    ballot_jail: Latency
    fanout: Fanout
    chat: Latency | None


def machine() -> dict[str, str]:
    """What the figures depend on: CPU, cores, memory, kernel, Python, and how busy it was."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "calibration": f"{calibrate():.0f} ms",
    }


def calibrate() -> float:
    """Milliseconds for a fixed pure-Python loop: tells a quiet machine from a busy one
    (about 300-500 ms on an idle 2-core cloud VM of 2024)."""
    started = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    return (time.perf_counter() - started) * 1000


def _throughput(t: Throughput) -> str:
    return (
        f"{t.requests_per_s:.0f} req/s, p50 {t.latency.p50_ms:.2f} ms, "
        f"p99 {t.latency.p99_ms:.1f} ms, CPU {t.cpu_ms_per_request:.2f} ms/join"
    )


def _fanout_cell(fanout: Fanout, clients: int) -> str:
    level = fanout.level(clients)
    if level is None:
        return "not run"
    lost = f", {level.lost} lost" if level.lost else ""
    return (
        f"p50 {level.latency.p50_ms:.1f} ms, p99 {level.latency.p99_ms:.1f} ms, "
        f"CPU {level.cpu_ms_per_event:.1f} ms/event{_client(level.client_cpu_ms_per_event)}{lost}"
    )


def _client(cpu_ms: float) -> str:
    return "" if math.isnan(cpu_ms) else f" (the client's {cpu_ms:.1f})"


def _label(name: str) -> str:
    return ONEX if name == "1.x" else f"{name}: {SETUPS[name]}"


def _kib(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.0f}"


def table(results: dict[str, SetupResult]) -> str:
    """A Markdown table: one row per workload, one column per setup (1.x first if it ran)."""
    names = list(results)
    header = ["workload", *(_label(n) for n in names)]
    levels = sorted({lvl.clients for r in results.values() for lvl in r.fanout.levels})
    rows: list[list[str]] = [
        ["`POST /api/rooms/{id}/join`, c=1 keep-alive"]
        + [_throughput(results[n].join1) for n in names],
        ["join, c=8 distinct users"] + [_throughput(results[n].join8) for n in names],
    ]
    for clients in levels:
        rows.append(
            [f"`user:room_join` to N={clients} event clients"]
            + [_fanout_cell(results[n].fanout, clients) for n in names]
        )
    rows.append(
        ["server memory per connected event client (N=50 → 500 / → largest)"]
        + [
            f"{_kib(results[n].fanout.memory_per_client_kib_upto(500))} / "
            f"{_kib(results[n].fanout.memory_per_client_kib)} KiB"
            for n in names
        ]
    )
    rows.append(
        ["deciding ballot → `vote:resolved` at every member (room of 3)"]
        + [f"p50 {results[n].ballot.p50_ms:.2f} ms" for n in names]
    )
    rows.append(
        ["the same when the vote passes (jail in the same transaction)"]
        + [_jail_cell(results[n]) for n in names]
    )
    rows.append(
        ["chat line → `chat:message` at the last of a room of 50"]
        + [_chat_cell(results[n]) for n in names]
    )
    return _markdown(header, rows)


def _chat_cell(result: SetupResult) -> str:
    if result.chat is None:
        return "no chat"
    return f"p50 {result.chat.p50_ms:.1f} ms, p99 {result.chat.p99_ms:.1f} ms"


def _jail_cell(result: SetupResult) -> str:
    return f"p50 {result.ballot_jail.p50_ms:.2f} ms" if result.ballot_jail.count else "not run"


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def details(results: dict[str, SetupResult]) -> str:
    """Per-level connect times and memory, which the table folds away."""
    lines = []
    for name, result in results.items():
        lines.append(f"{name}:")
        for level in result.fanout.levels:
            lines.append(
                f"  N={level.clients}: connected in {level.connect_seconds:.1f} s "
                f"({level.connect_retries} retried), "
                f"RSS {level.rss_kib / 1024:.0f} MiB, {level.latency.count} deliveries, "
                f"max {level.latency.max_ms:.1f} ms, lost {level.lost}"
            )
    return "\n".join(lines)
