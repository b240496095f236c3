"""Write server.json, the MCP registry's entry for this server: `python scripts/server_json.py`.

Everything in it comes from pyproject.toml (name, version, repository) and from the settings table
kinsta_mcp.config.OPTIONS (every environment variable with its help text, default, secret flag), the
table `--help` and the README's options table are made from; tests/test_packaging.py checks that the
committed file is current and valid against the registry's schema.

`python scripts/server_json.py --check-tag v1.2.3` (the release workflow) exits 1 unless the tag,
pyproject.toml, kinsta_mcp.__version__ and the committed server.json all name the same version and
server.json is current. Needs only the standard library: it runs before anything is installed.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kinsta_mcp.config import OPTIONS, Option  # noqa: E402  (after the path above)

NAME = "io.github.kinsta-mcp/kinsta-mcp"  # the README's `mcp-name:` line proves PyPI ownership with it
SCHEMA = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
TITLE = "Kinsta"
DESCRIPTION = "Kinsta and Sevalla hosting from MCP clients: sites, cache, backups, DNS, apps; asks before deleting"
FORMATS = {bool: "boolean", int: "number", float: "number"}
PATH = ROOT / "server.json"


def project() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def variable(option: Option) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": option.env,
        "description": option.help,
        "isRequired": option.required,
        "isSecret": option.secret,
        "format": FORMATS.get(option.kind, "string"),
    }
    if option.default:
        entry["default"] = option.default
    return entry


def render() -> dict[str, Any]:
    meta = project()
    return {
        "$schema": SCHEMA,
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "repository": {"url": meta["urls"]["Repository"], "source": "github"},
        "websiteUrl": meta["urls"]["Homepage"],
        "version": meta["version"],
        "packages": [
            {
                "registryType": "pypi",
                "identifier": meta["name"],
                "version": meta["version"],
                "runtimeHint": "uvx",
                "transport": {"type": "stdio"},
                "environmentVariables": [variable(o) for o in OPTIONS],
            }
        ],
    }


def text() -> str:
    return json.dumps(render(), indent=2, ensure_ascii=False) + "\n"


def tag_problems(tag: str) -> list[str]:
    """Why `tag` cannot be released from this tree ([] when it can)."""
    version = project()["version"]
    init = (ROOT / "kinsta_mcp" / "__init__.py").read_text()
    found = re.search(r'^__version__ = "([^"]+)"', init, re.M)
    committed = json.loads(PATH.read_text())
    problems = []
    if tag.removeprefix("v") != version:
        problems.append(f"tag {tag} is not pyproject.toml's version {version} (tag v{version})")
    if not found or found.group(1) != version:
        problems.append(f"kinsta_mcp.__version__ is not {version}")
    if {committed.get("version"), *(p.get("version") for p in committed.get("packages", []))} != {version}:
        problems.append(f"server.json does not say version {version}")
    if PATH.read_text() != text():
        problems.append("server.json is not current: run python scripts/server_json.py")
    return problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["--check-tag"] and len(argv) == 2:
        problems = tag_problems(argv[1])
        for problem in problems:
            print(f"server_json: {problem}", file=sys.stderr)
        return 1 if problems else 0
    if argv:
        print("usage: python scripts/server_json.py [--check-tag vX.Y.Z]", file=sys.stderr)
        return 2
    PATH.write_text(text())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
