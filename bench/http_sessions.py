"""What abandoned Streamable HTTP sessions cost a long-running `kinsta-mcp --http` server.

    .venv/bin/python bench/http_sessions.py [--sessions N] [--concurrency C] [--wait S]
                                            [--no-list] [--compare OTHER_CHECKOUT] [-- SERVER OPTIONS ...]

Starts `python -m kinsta_mcp --transport http --sandbox` on a free 127.0.0.1 port with a bearer
token, as a separate process, and opens N sessions the way a client that then goes away does:
`initialize`, `notifications/initialized`, `tools/list` (`ping` with `--no-list`), and never a
DELETE. It prints the server's RSS (VmRSS from /proc) once it has served one session, after the N
sessions, and after `--wait` seconds; and how many of the N sessions the server still keeps, found
by sending each one a `ping` (200: kept; 404: dropped). Options after `--` go to the server, e.g.
`-- --http-session-idle 5`.

`--compare DIR` runs the same against another checkout first (e.g. after
`git archive HEAD | tar -x -C /tmp/before`), for before/after figures.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import anyio
import httpx2

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-http-sessions-token"
ACCEPT = "application/json, text/event-stream"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def open_session(http: httpx2.AsyncClient, url: str, method: str = "tools/list") -> str:
    """One session as a client opens it, left open: its id. The SDK keeps each session's last answer, so
    what that was (`tools/list`: ~350 KB) shows in the figures."""
    answer = await http.post(url, json=INITIALIZE)
    answer.raise_for_status()
    session = answer.headers["mcp-session-id"]
    headers = {"mcp-session-id": session, "mcp-protocol-version": "2025-11-25"}
    await http.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=headers)
    listed = await http.post(url, json={"jsonrpc": "2.0", "id": 2, "method": method}, headers=headers)
    listed.raise_for_status()
    return session


async def kept(http: httpx2.AsyncClient, url: str, session: str) -> bool:
    headers = {"mcp-session-id": session, "mcp-protocol-version": "2025-11-25"}
    answer = await http.post(url, json={"jsonrpc": "2.0", "id": 3, "method": "ping"}, headers=headers)
    return answer.status_code == 200


async def each(items: list[str] | range, concurrency: int, work) -> list:  # type: ignore[no-untyped-def]
    results: list = [None] * len(items)
    queue = list(enumerate(items))

    async def worker() -> None:
        while queue:
            index, item = queue.pop()
            results[index] = await work(item)

    async with anyio.create_task_group() as tg:
        for _ in range(concurrency):
            tg.start_soon(worker)
    return results


async def measure(
    checkout: Path, sessions: int, concurrency: int, wait: float, method: str, server_args: list[str]
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINSTA_", "SEVALLA_"))}
    env |= {"KINSTA_MCP_HTTP_TOKEN": TOKEN, "PYTHONPATH": str(checkout)}
    command = [sys.executable, "-m", "kinsta_mcp", "--transport", "http", "--port", str(port), "--sandbox"]
    server = subprocess.Popen(
        [*command, *server_args], cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    limits = httpx2.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": ACCEPT}
    try:
        async with httpx2.AsyncClient(headers=headers, limits=limits, timeout=60) as http:
            for _ in range(200):
                try:
                    first = await open_session(http, url)
                    break
                except httpx2.TransportError:
                    await anyio.sleep(0.05)
            else:
                raise SystemExit("the server did not start")
            await http.delete(url, headers={"mcp-session-id": first})
            before = rss_mb(server.pid)
            started = time.monotonic()
            ids = await each(range(sessions), concurrency, lambda _: open_session(http, url, method))
            took = time.monotonic() - started
            after = rss_mb(server.pid)
            print(f"{checkout}: {' '.join(server_args) or '(defaults)'}; each session sent {method}")
            print(f"  RSS after one session      {before:7.1f} MB")
            print(
                f"  RSS after {sessions:>5} sessions  {after:7.1f} MB  (+{after - before:.1f} MB; "
                f"opened in {took:.1f} s)"
            )
            if wait:
                await anyio.sleep(wait)
                print(f"  RSS {wait:g} s later            {rss_mb(server.pid):7.1f} MB")
            alive = await each(ids, concurrency, lambda session: kept(http, url, session))
            print(f"  sessions still kept        {sum(alive):7d} of {sessions}")
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    argv = sys.argv[1:]
    server_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description="RSS and kept sessions after N abandoned HTTP sessions.")
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait before counting kept sessions")
    parser.add_argument("--compare", type=Path, help="another checkout to measure first")
    parser.add_argument("--no-list", action="store_true", help="sessions send ping instead of tools/list")
    args = parser.parse_args(argv)
    for checkout in [args.compare, ROOT] if args.compare else [ROOT]:
        method = "ping" if args.no_list else "tools/list"
        anyio.run(measure, checkout.resolve(), args.sessions, args.concurrency, args.wait, method, server_args)


if __name__ == "__main__":
    main()
