"""How soon a waiting tool returns after its job ended, and what the waiting costs in requests.

Runs the sandbox on 127.0.0.1 and the server in-process, clears the cache of three sites at once
with operations that take 2, 10 and 45 seconds, and prints per duration: the median and worst time
from the operation's end to the tool's return, polls per job and per second, and 429s seen.
Goals: median ≤ 1.5 s, ≤ 1 poll per second per job, no 429.

    .venv/bin/python bench/jobs.py [--durations 2,10,45] [--jobs 3]
"""

from __future__ import annotations

import argparse
import logging
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

import anyio
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mcp import Client  # noqa: E402

from kinsta_mcp.config import Settings  # noqa: E402
from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID, SandboxState, create_app  # noqa: E402
from kinsta_mcp.secret import Secret  # noqa: E402
from kinsta_mcp.server import build_server  # noqa: E402

SITES = ("acmeshop", "blog-acme", "client-bakery")


def serve(state: SandboxState) -> tuple[str, uvicorn.Server]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(state), log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{port}/v2", server


async def one_round(base_url: str, state: SandboxState, seconds: float, count: int) -> dict[str, float]:
    state.operation_seconds = seconds
    settings = Settings(api_key=Secret(DEMO_API_KEY), company_id=DEMO_COMPANY_ID, base_url=base_url)
    lags: list[float] = []
    before = len(state.requests)
    async with Client(build_server(settings)) as client:
        await client.call_tool("list_sites", {})  # warm the listing, as a running server has it

        async def clear(site: str) -> None:
            result = await client.call_tool("clear_cache", {"site": site, "max_wait_seconds": seconds + 30})
            returned = time.monotonic()
            assert result.structured_content and result.structured_content["state"] == "done", result
            key = next(iter(result.structured_content["jobs"])).removeprefix("op:")
            op = state.operations[key]
            lags.append(returned - (op.created_at + op.duration))

        began = time.monotonic()
        async with anyio.create_task_group() as group:
            for site in SITES[:count]:
                group.start_soon(clear, site)
        took = time.monotonic() - began
    sent = state.requests[before:]
    polls = [r for r in sent if r.path.startswith("/operations/")]
    return {"median": statistics.median(lags), "worst": max(lags), "polls_per_job": len(polls) / count,
            "polls_per_second_per_job": len(polls) / count / took, "429s": sum(r.status == 429 for r in sent)}


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    for name in ("httpx2", "mcp", "kinsta_mcp"):
        logging.getLogger(name).setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--durations", default="2,10,45")
    parser.add_argument("--jobs", type=int, default=3)
    args = parser.parse_args()
    state = SandboxState()
    base_url, server = serve(state)
    print(f"{'operation':>10} {'median lag':>11} {'worst lag':>10} {'polls/job':>10} {'polls/s/job':>12} {'429s':>5}")
    lags = []
    for seconds in (float(s) for s in args.durations.split(",")):
        row = anyio.run(one_round, base_url, state, seconds, args.jobs)
        lags.append(row["median"])
        print(f"{seconds:>9.0f}s {row['median']:>10.2f}s {row['worst']:>9.2f}s {row['polls_per_job']:>10.1f} "
              f"{row['polls_per_second_per_job']:>12.2f} {row['429s']:>5.0f}")
    print(f"median of medians: {statistics.median(lags):.2f} s (goal ≤ 1.5 s)")
    server.should_exit = True


if __name__ == "__main__":
    main()
