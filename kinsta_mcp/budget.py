"""How much of a model's context the tool list costs: compact JSON bytes of `tools/list`, per toolset.

The budgets are a promise to users (README, "Context budget"): the default tool list (WordPress
hosting) stays under 35 KB, and with the Sevalla toolsets (on when SEVALLA_API_KEY is set) under
ALL_BUDGET. The test suite enforces them and `bench/tool_sizes.py` prints them.
"""

from __future__ import annotations

import json
from collections import defaultdict

from mcp import Client

from kinsta_mcp.config import Settings
from kinsta_mcp.registry import load_all
from kinsta_mcp.secret import Secret

TOTAL_BUDGET = 35_000
ALL_BUDGET = 44_000

# Bytes per toolset; the sum stays under TOTAL_BUDGET.
BUDGETS: dict[str, int] = {
    "sites": 5_000,
    "environments": 6_000,
    "cache": 3_500,
    "plugins": 1_800,
    "domains": 2_000,
    "backups": 2_200,
    "logs": 1_000,
    "ssh": 2_800,
    "analytics": 2_000,
    "bot_protection": 1_800,
    "dns": 1_800,
    "company": 2_200,
    "operations": 1_000,
    "applications": 3_400,
    "app_metrics": 1_700,
    "databases": 2_000,
    "static_sites": 1_800,
}


def size(obj: object) -> int:
    return len(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode())


async def measure(settings: Settings | None = None) -> tuple[dict[str, int], dict[str, int], int]:
    """(bytes per tool, bytes per toolset, total) of the tools/list this configuration serves."""
    from kinsta_mcp.server import build_server

    settings = settings or Settings(api_key=Secret("measure"), company_id="measure")
    defs = load_all()
    async with Client(build_server(settings)) as client:
        tools = (await client.list_tools()).tools
    per_tool = {t.name: size(t.model_dump(mode="json", by_alias=True, exclude_none=True)) for t in tools}
    per_set: dict[str, int] = defaultdict(int)
    for name, n in per_tool.items():
        per_set[defs[name].toolset] += n
    return per_tool, dict(per_set), size({"tools": [t.model_dump(mode="json", by_alias=True, exclude_none=True)
                                                    for t in tools]})
