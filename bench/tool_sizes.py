"""Print the size of tools/list (compact JSON bytes) per tool and per toolset, against the budgets.

    python bench/tool_sizes.py            # all tools
    python bench/tool_sizes.py --read-only
"""

from __future__ import annotations

import sys

import anyio

from kinsta_mcp.budget import ALL_BUDGET, BUDGETS, TOTAL_BUDGET, measure
from kinsta_mcp.config import Settings
from kinsta_mcp.registry import load_all
from kinsta_mcp.secret import Secret


async def main() -> None:
    settings = Settings(api_key=Secret("measure"), company_id="measure", read_only="--read-only" in sys.argv)
    per_tool, per_set, total = await measure(settings.with_(toolsets=("all",)))
    *_, default_total = await measure(settings)
    defs = load_all()
    for toolset, used in sorted(per_set.items()):
        budget = BUDGETS.get(toolset, 0)
        flag = "" if used <= budget else "  OVER"
        print(f"{toolset:<16} {used:>6} / {budget:>6} bytes{flag}")
        for name, n in sorted(per_tool.items()):
            if defs[name].toolset == toolset:
                print(f"    {name:<28} {n:>6}")
    print(f"{'default list':<16} {default_total:>6} / {TOTAL_BUDGET:>6} bytes (no Sevalla key)")
    print(f"{'all toolsets':<16} {total:>6} / {ALL_BUDGET:>6} bytes ({len(per_tool)} tools)")


if __name__ == "__main__":
    anyio.run(main)
