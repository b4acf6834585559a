"""The 1.x figures to beat, the machine the run happened on, and the table printed at the end."""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path

from .fanout import Fanout
from .stack import SETUPS
from .stats import Latency
from .workloads import Throughput

# Measured on the 1.x Node server on a 2-core machine (issue 8).
ONE_X = {
    "join1": "1155 req/s, p50 0.81 ms",
    "join8": "1357 req/s, p50 4.9 ms, p99 13.6 ms",
    50: "p99 5.3 ms",
    200: "p99 11.6 ms",
    500: "p99 21.7 ms",
    5000: "caps at 500",
    "memory": "≈ 77 KiB",
    "ballot": "p50 1.5 ms",
    "ballot_jail": "—",
    "chat": "—",
}


@dataclass
class SetupResult:
    """Everything measured on one setup."""

    join1: Throughput
    join8: Throughput
    ballot: Latency
    ballot_jail: Latency
    fanout: Fanout
    chat: Latency


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
    text = f"{t.requests_per_s:.0f} req/s, p50 {t.latency.p50_ms:.2f} ms"
    return text + (f", p99 {t.latency.p99_ms:.1f} ms" if t.concurrency > 1 else "")


def _fanout_cell(fanout: Fanout, clients: int) -> str:
    for level in fanout.levels:
        if level.clients == clients:
            lost = f", {level.lost} lost" if level.lost else ""
            return f"p50 {level.latency.p50_ms:.1f} ms, p99 {level.latency.p99_ms:.1f} ms{lost}"
    return "not run"


def table(results: dict[str, SetupResult]) -> str:
    """A Markdown table: one row per workload, 1.x beside each setup."""
    names = list(results)
    header = ["workload", "1.x", *(f"{n}: {SETUPS[n]}" for n in names)]
    levels = sorted({lvl.clients for r in results.values() for lvl in r.fanout.levels})
    rows: list[list[str]] = [
        ["`POST /api/rooms/{id}/join`, c=1 keep-alive", ONE_X["join1"]]
        + [_throughput(results[n].join1) for n in names],
        ["join, c=8 distinct users", ONE_X["join8"]]
        + [_throughput(results[n].join8) for n in names],
    ]
    for clients in levels:
        rows.append(
            [f"`user:room_join` to N={clients} event clients", ONE_X.get(clients, "—")]
            + [_fanout_cell(results[n].fanout, clients) for n in names]
        )
    rows.append(
        ["server memory per connected event client", ONE_X["memory"]]
        + [f"{results[n].fanout.memory_per_client_kib:.0f} KiB" for n in names]
    )
    rows.append(
        ["deciding ballot → `vote:resolved` at every member (room of 3)", ONE_X["ballot"]]
        + [f"p50 {results[n].ballot.p50_ms:.2f} ms" for n in names]
    )
    rows.append(
        ["the same when the vote passes (jail in the same transaction)", ONE_X["ballot_jail"]]
        + [f"p50 {results[n].ballot_jail.p50_ms:.2f} ms" for n in names]
    )
    rows.append(
        ["chat line → `chat:message` at the last of a room of 50", ONE_X["chat"]]
        + [
            f"p50 {results[n].chat.p50_ms:.1f} ms, p99 {results[n].chat.p99_ms:.1f} ms"
            for n in names
        ]
    )
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
