"""Print what the tool list costs in context, per tool, per toolset, and the four totals against the budgets.

    python bench/tool_sizes.py            # as served
    python bench/tool_sizes.py --read-only

Bytes of compact JSON (KB = 1,000 bytes), two figures each (see kinsta_mcp/budget.py): "read" is the
name, description and input schema (what the model reads), "whole" the full tool object of tools/list.
Per tool and per toolset with every toolset on; the budgets are checked by tests/test_tool_snapshots.py
on the list that is not read-only (read-only mode serves fewer tools).
"""

from __future__ import annotations

import sys
from collections import defaultdict

import anyio

from kinsta_mcp.budget import BUDGETS, KB, measure


def toolset_of() -> dict[str, str]:
    try:
        from kinsta_mcp.registry import load_all

        return {name: getattr(d, "toolset", "?") for name, d in load_all().items()}
    except (ImportError, AttributeError):  # the registry is being redesigned: print the sizes regardless
        return {}


def kb(n: int) -> str:
    return f"{n / KB:6.2f} KB"


async def main() -> None:
    read_only = "--read-only" in sys.argv
    measured = [(b, await measure(b.settings.with_(read_only=read_only))) for b in BUDGETS]
    _, every = measured[-1]  # every toolset on
    sets = toolset_of()
    per_set: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for name, (read, whole) in every.per_tool().items():
        per_set[sets.get(name, "?")].append((name, read, whole))

    print(f"{'toolset / tool':<34} {'read':>7} {'whole':>7}  (bytes of compact JSON, every toolset on)")
    for toolset, tools in sorted(per_set.items()):
        print(f"{toolset:<34} {sum(r for _, r, _ in tools):>7} {sum(w for *_, w in tools):>7}")
        for name, read, whole in sorted(tools):
            print(f"    {name:<30} {read:>7} {whole:>7}")

    print(f"\nTotals{' (read-only)' if read_only else ''} against the budgets (KB = {KB:,} bytes):")
    for budget, sizes in measured:
        for what, used, cap in (("read", sizes.read, budget.read), ("whole", sizes.whole, budget.whole)):
            flag = "" if used <= cap else "  OVER target"
            print(f"  {budget.label:<36} {what:<5} {used:>6,} / {cap:>6,} bytes"
                  f"  ({kb(used)} / {kb(cap)}, {cap - used:+,} spare){flag}  [{len(sizes.tools)} tools]")


if __name__ == "__main__":
    anyio.run(main)
