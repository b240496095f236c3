"""The tool list as clients see it: one committed schema snapshot per tool, and the context budgets.

Snapshots (after github-mcp-server's toolsnaps): tests/snapshots/<tool>.json holds the name, title,
description, annotations, inputSchema and outputSchema of each tool exactly as `tools/list` serves
them with every toolset on (and not read-only), as JSON with sorted keys, indent 2 and a trailing
newline. The test fails when a tool differs from its snapshot, when a tool has no snapshot, or when a
snapshot has no tool. After an intended change, regenerate them and review the diff:

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_tool_snapshots.py

(that writes every snapshot, deletes the ones without a tool, and passes); commit tests/snapshots/
with the change.

Budgets (kinsta_mcp/budget.py, bytes of compact JSON, KB = 1,000 bytes): what the model reads (name,
description, input schema of every tool) and the whole tools/list, for the default toolsets and with
every toolset on. `python bench/tool_sizes.py` prints the figures per tool and toolset.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from kinsta_mcp.budget import ALL_SETTINGS, BUDGETS, measure, over_budget, served

pytestmark = pytest.mark.anyio

SNAPSHOTS = Path(__file__).parent / "snapshots"
FIELDS = ("name", "title", "description", "annotations", "inputSchema", "outputSchema")
UPDATE = os.environ.get("UPDATE_SNAPSHOTS", "") not in ("", "0")
HOW_TO_UPDATE = (
    "If the change is intended, regenerate the snapshots and review their diff:\n"
    "    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_tool_snapshots.py"
)


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"  # module scope, for the module-scoped tool listing


@pytest.fixture(scope="module")
async def every_tool() -> list[dict[str, Any]]:
    return await served(ALL_SETTINGS)


def snapshot(tool: dict[str, Any]) -> str:
    """The committed form of one served tool: deterministic, so review diffs stay readable."""
    kept = {k: tool[k] for k in FIELDS if k in tool}
    return json.dumps(kept, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def path_of(name: str) -> Path:
    return SNAPSHOTS / f"{name}.json"


async def test_every_tool_matches_its_snapshot(every_tool):
    current = {t["name"]: snapshot(t) for t in every_tool}
    assert len(current) == len(every_tool), "two tools share a name"
    stored = {p.stem: p for p in SNAPSHOTS.glob("*.json")}
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        for name, text in current.items():
            if not path_of(name).exists() or path_of(name).read_text(encoding="utf-8") != text:
                path_of(name).write_text(text, encoding="utf-8")
        for name in stored.keys() - current.keys():
            stored[name].unlink()
        return
    problems: list[str] = []
    for name in sorted(current.keys() - stored.keys()):
        problems.append(f"{name}: served, but has no snapshot (tests/snapshots/{name}.json)")
    for name in sorted(stored.keys() - current.keys()):
        problems.append(f"{name}: has a snapshot ({stored[name].name}), but no tool of that name is served")
    for name in sorted(current.keys() & stored.keys()):
        old = stored[name].read_text(encoding="utf-8")
        if old != current[name]:
            diff = difflib.unified_diff(old.splitlines(), current[name].splitlines(),
                                        f"snapshots/{name}.json", f"served {name}", lineterm="", n=2)
            problems.append(f"{name}: differs from its snapshot\n" + "\n".join(diff))
    if problems:
        pytest.fail("\n\n".join(problems) + "\n\n" + HOW_TO_UPDATE, pytrace=False)


@pytest.mark.parametrize("budget", BUDGETS, ids=lambda b: b.label)
async def test_tool_list_fits_the_context_budget(budget):
    sizes = await measure(budget.settings)
    assert sizes.tools, budget.label
    if over_budget(budget, sizes):
        pytest.fail("\n".join(over_budget(budget, sizes)) + "\n(bench/tool_sizes.py shows where the bytes go)",
                    pytrace=False)

