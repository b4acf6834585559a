"""The goals table reads ours ÷ 1.x the right way round for each figure: more is better for
throughput, less for latency, CPU, connect time and memory."""

from __future__ import annotations

from bench.compare import beside_onex, two_processes
from bench.fanout import Fanout, Level
from bench.report import SetupResult, details, table
from bench.stats import Latency
from bench.workloads import Throughput


def _latency(ms: float) -> Latency:
    return Latency(count=10, p50_ms=ms, p99_ms=ms, max_ms=ms)


def _result(
    *, rps: float, ms: float, cpu: float, kib_per_client: float, clients=(50, 200, 500)
) -> SetupResult:
    levels = [
        Level(n, _latency(ms), 0, n * ms / 1000, 0, 100_000 + int(n * kib_per_client), cpu, cpu)
        for n in clients
    ]
    join = Throughput(1, rps, _latency(ms), cpu)
    return SetupResult(join, join, _latency(ms), _latency(ms), Fanout(levels), None)


def _row(table: str, label: str) -> list[str]:
    line = next(x for x in table.splitlines() if x.startswith(f"| {label} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_faster_and_cheaper_than_1x_meets_every_goal_beside_it():
    onex = _result(rps=1000, ms=10, cpu=2, kib_per_client=70)
    ours = _result(rps=2000, ms=5, cpu=1, kib_per_client=30)
    table = beside_onex({"1.x": onex, "single": ours})
    assert _row(table, "join c=1: throughput")[3:] == ["2000 req/s", "2.00x, met"]
    assert _row(table, "join c=1: p99")[3:] == ["5.00 ms", "0.50x, met"]
    assert _row(table, "fan-out to N=500: server CPU per event")[3:] == ["1.00 ms", "0.50x, met"]
    assert _row(table, "500 clients connect (from none)")[4] == "0.50x, met"
    assert _row(table, "memory per connected client (N=50 → 500)")[2:] == [
        "70.0 KiB",
        "30.0 KiB",
        "met",
    ]


def test_slower_and_dearer_than_1x_misses_them_and_says_by_how_much():
    onex = _result(rps=1000, ms=10, cpu=2, kib_per_client=40)
    ours = _result(rps=500, ms=30, cpu=6, kib_per_client=50)
    table = beside_onex({"1.x": onex, "single": ours})
    assert _row(table, "join c=8: throughput")[4] == "0.50x, not met"
    assert _row(table, "deciding ballot → `vote:resolved`: p50")[4] == "3.00x, not met"
    assert _row(table, "join c=8: server CPU per join")[4] == "3.00x, not met"
    assert _row(table, "memory per connected client (N=50 → 500)")[4] == "not met"
    # 1.x caps at 500 clients: N=5000 is ours alone, against its fixed bound.
    assert _row(table, "fan-out to N=5000: p99")[1:3] == ["≤ 100 ms", "—"]


def test_two_processes_are_read_against_one():
    one = _result(rps=100, ms=20, cpu=5, kib_per_client=30)
    two = _result(rps=170, ms=40, cpu=5, kib_per_client=30)
    table = two_processes({"single": one, "redis": two})
    assert _row(table, "join c=8: throughput")[4] == "1.70x, met"
    # One client at a time uses one process: c=1 is shown, not judged.
    assert _row(table, "join c=1: throughput")[1:] == ["— (one client)", "100.0", "170.0", "1.70x"]
    assert _row(table, "fan-out to N=500: p99")[4] == "2.00x, not met"


def test_a_run_of_n_5000_alone_prints_its_tables():
    # `--levels 5000`: no level of 500 or fewer to read memory per client from.
    one = _result(rps=100, ms=200, cpu=150, kib_per_client=30, clients=(5000,))
    two = _result(rps=170, ms=300, cpu=150, kib_per_client=30, clients=(5000,))
    results = {"single": one, "postgres": two}
    cell = _row(table(results), "`user:room_join` to N=5000 event clients")[1]
    assert cell == "p50 200.0 ms, p99 200.0 ms, CPU 150.0 ms/event"
    memory = "server memory per connected event client (N=50 → 500 / → largest)"
    assert _row(table(results), memory)[1] == "— / — KiB"
    assert "N=5000" in details(results)
    assert _row(two_processes(results, "postgres"), "fan-out to N=500: p99")[4] == "—"
