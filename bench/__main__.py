"""`python -m bench`: start each setup, run every workload against it, print the tables.

With `--beside-1x DIR` the 1.x server built in DIR runs the same workloads first, in the same
run, and the tables show its figures beside ours with ours ÷ 1.x."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
import time
from functools import partial
from pathlib import Path

from .ballot import deciding_ballot
from .chat import chat_to_room
from .compare import beside_onex, two_processes
from .fanout import fanout
from .onex import check_built, running_onex
from .report import SetupResult, details, machine, table
from .stack import MULTI_PROCESS, SETUPS, Events, Stack, raise_open_files_limit, running
from .stats import Latency
from .workloads import join_throughput

RESULTS = Path(__file__).resolve().parent / "results"


@dataclasses.dataclass(frozen=True)
class Plan:
    """How much of each workload to run: counts and time limits."""

    join_count: int
    join_seconds: float
    join_warmup: int
    ballot_rounds: int
    ballot_seconds: float
    levels: list[int]
    fanout_rounds: int
    fanout_seconds: float
    chat_lines: int
    chat_seconds: float


FULL = Plan(5000, 15, 200, 50, 30, [50, 200, 500, 5000], 30, 60, 1000, 30)
QUICK = Plan(100, 2, 10, 3, 10, [5, 20], 3, 10, 100, 10)


async def _measure(stack: Stack, plan: Plan) -> SetupResult:
    def say(what: str) -> None:
        print(f"[{stack.name}] {what}", file=sys.stderr, flush=True)

    join = partial(
        join_throughput,
        stack,
        count=plan.join_count,
        seconds=plan.join_seconds,
        warmup=plan.join_warmup,
    )
    join1 = await join(concurrency=1)
    say(f"join, c=1: {join1}")
    join8 = await join(concurrency=8)
    say(f"join, c=8: {join8}")
    rounds, seconds = plan.ballot_rounds, plan.ballot_seconds
    ballot = await deciding_ballot(stack, passing=False, iterations=rounds, seconds=seconds)
    say(f"deciding ballot: {ballot}")
    try:
        jail = await deciding_ballot(stack, passing=True, iterations=rounds, seconds=seconds)
    except RuntimeError as error:
        # Only the failing-vote ballot is a goal; a server that cannot jail here is reported.
        say(f"deciding ballot, jail: not measured ({error})")
        jail = Latency(0, float("nan"), float("nan"), float("nan"))
    say(f"deciding ballot, jail: {jail}")
    spread = await fanout(
        stack, levels=plan.levels, iterations=plan.fanout_rounds, seconds=plan.fanout_seconds
    )
    say(f"fan-out: {spread}")
    chat = None
    if stack.name != "1.x":  # 1.x has no chat
        chat = await chat_to_room(stack, iterations=plan.chat_lines, seconds=plan.chat_seconds)
        say(f"chat line to a room of 50: {chat}")
    return SetupResult(join1, join8, ballot, jail, spread, chat)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--setups", nargs="+", choices=list(SETUPS), default=list(SETUPS))
    parser.add_argument("--levels", nargs="+", type=int, help="event clients per fan-out level")
    parser.add_argument("--quick", action="store_true", help="a smoke run with small counts")
    parser.add_argument("--json", type=Path, help="where to write the raw figures")
    parser.add_argument(
        "--beside-1x",
        type=Path,
        metavar="DIR",
        help="also measure the 1.x server built in DIR (its apps/server, after npm run build)",
    )
    parser.add_argument(
        "--events",
        choices=["sse", "ws"],
        help="our event stream: the 1.x SSE one (the default beside 1.x) or our WebSocket",
    )
    args = parser.parse_args()
    if args.beside_1x is not None and (problem := check_built(args.beside_1x.resolve())):
        parser.error(problem)
    events: Events = args.events or ("sse" if args.beside_1x else "ws")
    plan = QUICK if args.quick else FULL
    if args.levels:
        plan = dataclasses.replace(plan, levels=sorted(args.levels))
    limit = raise_open_files_limit()
    if limit < max(plan.levels) * 2 + 1000:
        parser.error(f"open-file limit {limit} is too low for {max(plan.levels)} clients")

    before = machine()
    results: dict[str, SetupResult] = {}
    if args.beside_1x is not None:
        with running_onex(args.beside_1x.resolve(), listeners=max(plan.levels)) as stack:
            results["1.x"] = asyncio.run(_measure(stack, plan))
    for name in args.setups:
        with running(name, listeners=max(plan.levels), events=events) as stack:
            results[name] = asyncio.run(_measure(stack, plan))
    after = machine()
    # The raw figures first: a run takes minutes, and no fault in the tables below may lose it.
    out = args.json or RESULTS / time.strftime("%Y%m%d-%H%M%S.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    raw = {"machine": before, "after": after, "plan": dataclasses.asdict(plan), "events": events}
    raw["results"] = {name: dataclasses.asdict(result) for name, result in results.items()}
    out.write_text(json.dumps(raw, indent=2))

    print("\nmachine: " + ", ".join(f"{k} {v}" for k, v in before.items()))
    print(f"after:   load {after['load']}, calibration {after['calibration']}")
    print(f"event stream: {'/api/events (SSE)' if events == 'sse' else '/ws/events'}\n")
    print(table(results))
    if "1.x" in results and len(results) > 1:
        print("\nThe goals, ours beside 1.x in this run:\n")
        print(beside_onex(results))
    for name in MULTI_PROCESS:
        if "single" in results and name in results:
            print(f"\nTwo processes ({name}) beside one:\n")
            print(two_processes(results, name))
    print()
    print(details(results))
    print(f"\nraw figures: {out}")


if __name__ == "__main__":
    main()
