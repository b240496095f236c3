"""Start-up cost as a desktop client sees it: spawn `kinsta-mcp --sandbox` over stdio, time the
`initialize` handshake and the first `tools/list`, and read the server's peak memory.

    python bench/startup.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import anyio
from mcp import Client, StdioServerParameters

ROOT = Path(__file__).resolve().parents[1]


async def once() -> tuple[float, float]:
    params = StdioServerParameters(command=sys.executable, args=["-m", "kinsta_mcp", "--sandbox"], cwd=ROOT, env={})
    started = time.perf_counter()
    async with Client(params, mode="legacy") as client:
        ready = time.perf_counter() - started
        await client.list_tools()
        listed = time.perf_counter() - started
    return ready, listed


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux


async def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    results = [await once() for _ in range(runs)]
    ready = [r[0] for r in results]
    listed = [r[1] for r in results]
    print(f"runs: {runs}")
    print(f"spawn → initialized: median {statistics.median(ready):.2f} s (min {min(ready):.2f}, max {max(ready):.2f})")
    print(f"spawn → tools listed: median {statistics.median(listed):.2f} s")
    print(f"server peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    anyio.run(main)
