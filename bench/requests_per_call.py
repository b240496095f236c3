"""HTTP requests per tool call for the common tools, warm (the server has listed the company once).

Runs the sandbox on 127.0.0.1 and the server in-process. Each tool is called once on a known
environment to warm up, then again: that second call is what a running server pays. After it, a
`list_sites site=acmeshop` (one request for its environments while the listing is cached) shows whether the
call dropped the cached site listing,
which only a change that can alter the listing (sites, environments, domains, PHP version, edge
caching) may do. Goal: a warm `clear_cache` is its request plus its polls, and nothing else re-lists.

    .venv/bin/python bench/requests_per_call.py [--operation-seconds 0.5]
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mcp import Client

from bench.jobs import serve
from kinsta_mcp.config import Settings
from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID, SandboxState
from kinsta_mcp.secret import Secret
from kinsta_mcp.server import build_server

LIVE = "<live environment of acmeshop>"
JOB = "<the job restart_php started just before>"

# (tool, arguments, whether it may change the listing and so may drop it)
CALLS: list[tuple[str, dict[str, Any], bool]] = [
    ("list_sites", {}, True),  # it shows the listing, so it reads it afresh
    ("list_sites", {"site": "acmeshop"}, False),
    ("list_backups", {"site": "acmeshop"}, False),
    ("list_plugins", {"site": "acmeshop"}, False),
    ("list_domains", {"site": "acmeshop"}, False),
    ("environment_info", {"site": "acmeshop", "show": "blocked_ips"}, False),
    ("get_logs", {"site": "acmeshop", "file": "error", "lines": 20}, False),
    ("clear_cache", {"site": "acmeshop", "max_wait_seconds": 30}, False),
    ("clear_cache", {"site": "blog-acme", "cache": "all", "max_wait_seconds": 30}, False),
    ("restart_php", {"site": "client-bakery", "max_wait_seconds": 30}, False),
    ("restart_php", {"site": "acmeshop", "max_wait_seconds": 0}, False),
    ("wait_for_job", {"jobs": JOB, "max_wait_seconds": 30}, False),
    ("call_endpoint", {"endpoint": "kinsta:restartPhpEngine", "body": {"environment_id": LIVE}}, False),
    ("cache_settings", {"action": "edge_cache_on", "site": "acmeshop"}, True),
]


def _what(method: str, path: str) -> str:
    if path.startswith("/operations/"):
        return "poll"
    if method == "GET" and path == "/sites":
        return "LIST"
    return f"{method} {path}"


def _filled(arguments: dict[str, Any], live: str, job: list[str]) -> dict[str, Any]:
    out = {k: (job if v == JOB else v) for k, v in arguments.items()}
    if out.get("body") == {"environment_id": LIVE}:
        out["body"] = {"environment_id": live}
    return out


async def measure(base_url: str, state: SandboxState) -> list[tuple[str, int, Counter[str], bool, bool]]:
    settings = Settings(
        api_key=Secret(DEMO_API_KEY), company_id=DEMO_COMPANY_ID, base_url=base_url, poll_initial=0.2, poll_max=0.5
    )
    live = next(
        e["id"] for s in state.sites if s["name"] == "acmeshop" for e in s["environments"] if e["name"] == "live"
    )
    rows = []
    job: list[str] = []
    async with Client(build_server(settings)) as client:
        await client.call_tool("list_sites", {})
        for name, arguments, may_drop in CALLS:
            if name != "wait_for_job":
                await client.call_tool(name, _filled(arguments, live, job))  # warm-up (and its job, if any)
            before = len(state.requests)
            result = await client.call_tool(name, _filled(arguments, live, job))
            assert not result.is_error, (name, result.content)
            sent = state.requests[before:]
            if name == "restart_php" and result.structured_content:
                job = list(result.structured_content["jobs"])
            after = len(state.requests)
            await client.call_tool("list_sites", {"site": "acmeshop"})
            dropped = any(_what(r.method, r.path) == "LIST" for r in state.requests[after:])
            rows.append((name, len(sent), Counter(_what(r.method, r.path) for r in sent), dropped, may_drop))
            if dropped:
                await client.call_tool("list_sites", {})  # warm again for the next row
    return rows


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    for name in ("httpx2", "mcp", "kinsta_mcp"):
        logging.getLogger(name).setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operation-seconds", type=float, default=0.5)
    args = parser.parse_args()
    state = SandboxState()
    state.operation_seconds = args.operation_seconds
    base_url, server = serve(state)
    rows = anyio.run(measure, base_url, state)
    print(f"{'tool (warm call)':<18} {'requests':>8}  {'listing':<8} what")
    for name, count, kinds, dropped, _ in rows:
        detail = ", ".join(f"{k} ×{v}" if v > 1 else k for k, v in sorted(kinds.items()))
        print(f"{name:<18} {count:>8}  {'dropped' if dropped else 'kept':<8} {detail}")
    wasted = [name for name, _, _, dropped, may_drop in rows if dropped and not may_drop]
    print(f"dropped by a call that cannot change the listing: {', '.join(wasted) or 'none'} (goal: none)")
    server.should_exit = True


if __name__ == "__main__":
    main()
