"""How much of a model's context the tool list costs, measured on the `tools/list` the server serves.

Two figures per tool list, both in bytes of compact JSON (`separators=(",", ":")`, UTF-8):

- **read**: what the model reads, the name, description and input schema of every tool
  (a JSON array of `{"name", "description", "inputSchema"}` objects);
- **whole**: the whole `tools/list` result as the wire sends it (`{"tools": [...]}`, each tool dumped
  with `model_dump(by_alias=True, exclude_none=True, mode="json")`): titles, annotations and output
  schemas included.

The budgets are a promise to users (README, "Context budget"), in KB of 1,000 bytes: the default
tool list (WordPress hosting and the endpoint catalogue, no Sevalla key) ≤ 21 KB read / ≤ 38 KB whole,
and every toolset on ≤ 28 KB read / ≤ 52 KB whole. There are no per-toolset caps: tools may trade bytes
freely as long as the totals hold. tests/test_tool_snapshots.py enforces the totals, `bench/tool_sizes.py` prints them
with the figures per tool and per toolset.

Nothing here knows a tool's name or schema: everything is measured from what `build_server` serves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mcp import Client

from kinsta_mcp.config import Settings
from kinsta_mcp.secret import Secret

KB = 1_000  # bytes; the budgets below are in bytes

READ_FIELDS = ("name", "description", "inputSchema")

# No Sevalla key, no --toolsets: the WordPress hosting toolsets a default install offers.
DEFAULT_SETTINGS = Settings(api_key=Secret("measure"), company_id="measure")
# Every toolset on (and a Sevalla key, so the PaaS tools are configured as a Sevalla user sees them).
ALL_SETTINGS = DEFAULT_SETTINGS.with_(toolsets=("all",), sevalla_api_key=Secret("measure"))


@dataclass(frozen=True)
class Budget:
    label: str
    settings: Settings
    read: int  # bytes
    whole: int  # bytes


# The default list carries the endpoint catalogue pair (find_endpoint, call_endpoint: ≤ 3 KB read) on top
# of the WordPress tools; every toolset adds the typed Sevalla v3 tools.
BUDGETS = (
    Budget("default toolsets (no Sevalla key)", DEFAULT_SETTINGS, read=21_000, whole=38_000),
    Budget("every toolset on", ALL_SETTINGS, read=28_000, whole=52_000),
)


def size(obj: object) -> int:
    """Bytes of `obj` as compact UTF-8 JSON."""
    return len(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode())


def read_part(tool: dict[str, Any]) -> dict[str, Any]:
    """The part of a served tool the model reads: name, description, input schema."""
    return {k: tool[k] for k in READ_FIELDS if k in tool}


async def served(settings: Settings) -> list[dict[str, Any]]:
    """The tools of this configuration's `tools/list`, in order, as the wire sends them."""
    from kinsta_mcp.server import build_server

    async with Client(build_server(settings)) as client:
        tools = (await client.list_tools()).tools
    return [t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in tools]


@dataclass(frozen=True)
class Sizes:
    tools: list[dict[str, Any]]

    @property
    def read(self) -> int:
        return size([read_part(t) for t in self.tools])

    @property
    def whole(self) -> int:
        return size({"tools": self.tools})

    def per_tool(self) -> dict[str, tuple[int, int]]:
        """(read, whole) bytes of each tool on its own."""
        return {t["name"]: (size(read_part(t)), size(t)) for t in self.tools}


async def measure(settings: Settings = DEFAULT_SETTINGS) -> Sizes:
    return Sizes(await served(settings))


def over_budget(budget: Budget, sizes: Sizes) -> list[str]:
    """What exceeds the budget, as readable lines (empty when it fits)."""
    return [
        f"{budget.label}: {what} {used:,} bytes > {cap:,} bytes"
        for what, used, cap in (("read", sizes.read, budget.read), ("whole", sizes.whole, budget.whole))
        if used > cap
    ]
