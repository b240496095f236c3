"""Rewrite the README's generated tables: `python scripts/tools_table.py`.

The tool table (from the registry) sits between the `<!-- tools -->` markers, the options table
(from kinsta_mcp.config.OPTIONS) between `<!-- options -->`; tests/test_packaging.py checks both
are current.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from kinsta_mcp.config import OPTIONS
from kinsta_mcp.registry import load_all
from kinsta_mcp.toolsets import TOOLSETS

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- tools -->", "<!-- /tools -->"
OPTIONS_START, OPTIONS_END = "<!-- options -->", "<!-- /options -->"


def table() -> str:
    defs = load_all()
    lines = ["| Toolset | Tool | Risk | What it does |", "|---|---|---|---|"]
    for toolset, about in TOOLSETS.items():
        for d in (d for d in defs.values() if d.toolset == toolset):
            first = d.description.splitlines()[0] if d.description else ""
            asks = [a for a, r in d.actions.items() if r.word == "sensitive"]
            risk = d.risk.word + (f" (asks: {', '.join(asks)})" if asks else "")
            lines.append(f"| `{toolset}` | `{d.name}` | {risk} | {first} |")
    sets = "\n".join(f"- `{name}`: {about}" for name, about in TOOLSETS.items())
    return f"Toolsets (choose with `--toolsets`):\n\n{sets}\n\n" + "\n".join(lines)


def options_table() -> str:
    rows = [f"| `{o.flag}` | `{o.env}` | {o.help} |" for o in OPTIONS]
    return "\n".join(["| Flag | Variable | Meaning |", "|---|---|---|", *rows])


def _replace(text: str, start: str, end: str, body: str) -> str:
    block = f"{start}\n{body}\n{end}"
    return re.sub(rf"{re.escape(start)}.*?{re.escape(end)}", lambda _: block, text, flags=re.S)


def render(text: str) -> str:
    text = _replace(text, START, END, table())
    return _replace(text, OPTIONS_START, OPTIONS_END, options_table())


if __name__ == "__main__":
    README.write_text(render(README.read_text()))
    sys.exit(0)
