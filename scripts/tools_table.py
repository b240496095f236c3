"""Rewrite the README's tool table from the registry: `python scripts/tools_table.py`.

The table sits between the `<!-- tools -->` markers; tests/test_packaging.py checks it is current.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kinsta_mcp.registry import TOOLSETS, load_all

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- tools -->", "<!-- /tools -->"


def table() -> str:
    defs = load_all()
    lines = ["| Toolset | Tool | Risk | What it does |", "|---|---|---|---|"]
    for toolset, about in TOOLSETS.items():
        for d in (d for d in defs.values() if d.toolset == toolset):
            first = d.description.splitlines()[0] if d.description else ""
            lines.append(f"| `{toolset}` | `{d.name}` | {d.risk.value} | {first} |")
    sets = "\n".join(f"- `{name}`: {about}" for name, about in TOOLSETS.items())
    return f"Toolsets (choose with `--toolsets`):\n\n{sets}\n\n" + "\n".join(lines)


def render(text: str) -> str:
    block = f"{START}\n{table()}\n{END}"
    if START in text:
        return re.sub(rf"{re.escape(START)}.*?{re.escape(END)}", lambda _: block, text, flags=re.S)
    return text.replace("TOOLS_TABLE", block)


if __name__ == "__main__":
    README.write_text(render(README.read_text()))
    sys.exit(0)
