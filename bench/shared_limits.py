"""Several server processes sharing one company key against one rate-limited sandbox.

The sandbox (this process, 127.0.0.1) limits the company to `--limit` requests per `--window` seconds,
as Kinsta does (120 a minute; logs and creation have their own, lower limits), and sends the
`RateLimit-*` headers and 429 + Retry-After. Each worker is a separate process running the real server
in-process with an MCP client, `--concurrency` tool calls at a time (reads, some logs, some cache
clears), for `--seconds`. First one process alone (it must never see a 429), then `--processes`
together. Prints failed calls, the requests the company was served in the phase's whole windows as a
share of its limit, and the 429s.
Goals: 0 failed calls, ≥ 85 % of the limit, 0 × 429 for a single process.

    .venv/bin/python bench/shared_limits.py [--processes 3] [--limit 60 --window 30] [--seconds 90]
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from itertools import cycle
from pathlib import Path
from typing import Any

import anyio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SITES = ("acmeshop", "blog-acme", "client-bakery")
# What people run: mostly reads of one environment, now and then its logs or a cache clear.
MIX: list[tuple[str, dict[str, Any]]] = [
    *[(tool, {"site": site}) for site in SITES for tool in ("list_domains", "list_plugins", "list_backups")],
    ("environment_info", {"site": "acmeshop", "show": "blocked_ips"}),
    ("list_sites", {"site": "acmeshop"}),
    ("get_logs", {"site": "blog-acme", "file": "error", "lines": 20}),
    ("clear_cache", {"site": "client-bakery", "max_wait_seconds": 0}),
]


# -- a worker process ---------------------------------------------------------------------------------


async def work(base_url: str, limit: int, window: float, seconds: float, concurrency: int) -> dict[str, Any]:
    from mcp import Client

    from kinsta_mcp.client import KinstaClient
    from kinsta_mcp.config import Settings
    from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID
    from kinsta_mcp.secret import Secret
    from kinsta_mcp.server import build_server

    settings = Settings(
        api_key=Secret(DEMO_API_KEY), company_id=DEMO_COMPANY_ID, base_url=base_url, rate_limit=limit,
        rate_window=window, max_wait=0,
    )  # fmt: skip
    calls, failed, errors = 0, 0, []
    async with KinstaClient(settings) as kinsta, Client(build_server(settings, client=kinsta)) as client:
        await client.call_tool("list_sites", {})
        print("ready", flush=True)
        sys.stdin.readline()  # "go": every worker starts at once
        sent_before = kinsta.requests_sent
        end = time.monotonic() + seconds
        mix = cycle(MIX)

        async def worker() -> None:
            nonlocal calls, failed
            while time.monotonic() < end:
                name, args = next(mix)
                result = await client.call_tool(name, args)
                calls += 1
                if result.is_error:
                    failed += 1
                    errors.append(f"{name}: {result.content[0].text[:160]}")  # type: ignore[union-attr]

        async with anyio.create_task_group() as group:
            for _ in range(concurrency):
                group.start_soon(worker)
    return {"calls": calls, "failed": failed, "errors": errors[:3], "throttled": getattr(kinsta, "throttled", -1),
            "requests": kinsta.requests_sent - sent_before}  # fmt: skip


# -- the sandbox and the phases -------------------------------------------------------------------------


def phase(base_url: str, state: Any, args: argparse.Namespace, processes: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", base_url, "--limit", str(args.limit), "--window",
               str(args.window), "--seconds", str(args.seconds), "--concurrency", str(args.concurrency)]  # fmt: skip
    workers = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        for _ in range(processes)
    ]
    for proc in workers:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    answered: list[tuple[float, int]] = []
    state.rate_limiter.reset_all()  # the warm-up listings do not count
    state.observers.append(lambda r: answered.append((time.monotonic(), r.status)))
    started = time.monotonic()
    for proc in workers:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [json.loads(proc.communicate(timeout=args.seconds + 600)[0].splitlines()[-1]) for proc in workers]
    state.observers.pop()
    # Whole windows only, while every worker was busy: a sliding window lets at most `limit` through in
    # each, so this is the share of the limit the processes used together.
    windows = max(1, int(args.seconds // args.window))
    served = [s for when, s in answered if when < started + windows * args.window and s != 429]
    return {
        "calls": sum(r["calls"] for r in results),
        "failed": sum(r["failed"] for r in results),
        "errors": [e for r in results for e in r["errors"]][:3],
        "429s": sum(status == 429 for _, status in answered),
        "share": len(served) / (args.limit * windows),
        "per_process": [r["calls"] for r in results],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--limit", type=int, default=60, help="company requests per window (Kinsta: 120)")
    parser.add_argument("--window", type=float, default=30.0, help="seconds (Kinsta: 60)")
    parser.add_argument("--seconds", type=float, default=90.0, help="each phase's length")
    parser.add_argument("--concurrency", type=int, default=12, help="tool calls at a time per process")
    parser.add_argument("--worker", metavar="BASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for name in ("httpx2", "mcp", "kinsta_mcp", "uvicorn"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if args.worker:
        print(json.dumps(anyio.run(work, args.worker, args.limit, args.window, args.seconds, args.concurrency)))
        return

    from bench.jobs import serve
    from kinsta_mcp.sandbox import SandboxState

    state = SandboxState()
    state.operation_seconds = 2.0
    state.rate_limit = args.limit
    state.rate_limiter.window = args.window
    base_url, server = serve(state)
    print(f"company limit {args.limit} requests / {args.window:g} s; {args.seconds:g} s per phase, "
          f"{args.concurrency} calls at a time per process")  # fmt: skip
    print(f"{'processes':>9} {'calls':>6} {'failed':>6} {'of limit':>8} {'429s':>5}  calls per process")
    for count in (1, args.processes):
        row = phase(base_url, state, args, count)
        print(f"{count:>9} {row['calls']:>6} {row['failed']:>6} {row['share']:>7.0%} {row['429s']:>5}  "
              f"{row['per_process']}")  # fmt: skip
        for error in row["errors"]:
            print(f"          e.g. {error}")
    print("goals: 0 failed calls, ≥ 85 % of the limit, 0 × 429 for a single process")
    server.should_exit = True


if __name__ == "__main__":
    main()
