"""`kinsta-mcp tools`: the tools this configuration offers, and what it leaves out and why.

(`kinsta-mcp call` lives in call_cli.py, call_args.py, call_help.py and call_output.py.)
"""

from __future__ import annotations

from kinsta_mcp.config import Settings


def list_tools(settings: Settings) -> int:
    from kinsta_mcp.registry import load_all, selected
    from kinsta_mcp.toolsets import TOOLSETS

    chosen = selected(settings)
    for toolset, about in TOOLSETS.items():
        members = [d for d in chosen if d.toolset == toolset]
        if not members:
            continue
        print(f"{toolset}: {about}")
        for d in members:
            first = d.description.splitlines()[0] if d.description else ""
            print(f"  {d.name:<22} {d.risk.word:<11} {first}")
    offered = {d.name for d in chosen}
    left_out = [name for name in load_all() if name not in offered]
    if left_out:
        print(f"\nNot offered here ({len(left_out)}): {', '.join(left_out)}.")
        print("`kinsta-mcp call TOOL --help` says why and which flag or variable offers it.")
    return 0
