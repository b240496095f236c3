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

# Bytes per toolset (compact JSON of its tools in tools/list), set from measurements: a change that
# makes a toolset bigger has to take the bytes from somewhere else.
BUDGETS: dict[str, int] = {
    # WordPress hosting (the default list): sums to 34,940, under TOTAL_BUDGET with the list's framing.
    "sites": 4_870,
    "environments": 5_500,
    "cache": 4_080,
    "plugins": 2_535,
    "domains": 2_475,
    "backups": 2_470,
    "logs": 920,
    "ssh": 2_825,
    "analytics": 1_890,
    "bot_protection": 1_700,
    "dns": 2_515,
    "company": 2_190,
    "operations": 970,
    # Sevalla (on with SEVALLA_API_KEY): under ALL_BUDGET together with the above.
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
