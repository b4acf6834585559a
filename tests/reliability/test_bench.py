"""The benchmark harness still runs end to end (a quick plan on the embedded setup), so the
figures in docs/performance.md can be measured again after any change."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.servers import ROOT

pytestmark = pytest.mark.slow


# The WebSocket is ours; the SSE stream is 1.x's, which the comparison beside 1.x drives.
@pytest.mark.parametrize("events", ["ws", "sse"])
def test_the_quick_benchmark_runs_every_workload_and_loses_no_event(tmp_path: Path, events: str):
    out = tmp_path / "figures.json"
    command = ["--quick", "--setups", "single", "--events", events, "--json", str(out)]
    result = subprocess.run(
        [sys.executable, "-m", "bench", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "| `POST /api/rooms/{id}/join`, c=1 keep-alive | " in result.stdout
    assert "1.x" not in result.stdout.split("| workload |")[1].splitlines()[0]
    raw = json.loads(out.read_text())
    assert raw["events"] == events
    figures = raw["results"]["single"]
    # Counts are bounded by time as well, so a slow machine may fit fewer rounds in.
    assert figures["join1"]["latency"]["count"] > 0
    # A join costs the server some CPU, read from /proc around the workload.
    assert figures["join1"]["cpu_ms_per_request"] > 0
    assert figures["join8"]["concurrency"] == 8
    for ballot in (figures["ballot"], figures["ballot_jail"]):
        assert ballot["count"] > 0 and ballot["count"] % 3 == 0  # every member, every round
    levels = figures["fanout"]["levels"]
    assert [level["clients"] for level in levels] == [5, 20]
    for level in levels:
        assert level["lost"] == 0
        assert level["connect_cpu_ms_per_client"] >= 0 and level["cpu_ms_per_event"] >= 0
        assert level["latency"]["count"] > 0 and level["latency"]["count"] % level["clients"] == 0
    # Every line reached the whole room of 50 (a line that did not fails the run).
    assert figures["chat"]["count"] > 0
