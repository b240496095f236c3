"""Build the MCP Bundle (.mcpb), Claude Desktop's one-click install: `python scripts/build_mcpb.py [--pack] [--try]`.

The bundle is the `uv` kind: the package's source and pyproject.toml, no dependencies; the host installs
them with uv on first start. manifest.json is mcpb/manifest.template.json plus what pyproject.toml says
(version, author, links) and, for each install-dialog field, what the settings table
kinsta_mcp.config.OPTIONS says (help text, type, default, secret), so the dialog cannot drift from
`--help`.

  (no flag)  stage the bundle's files and manifest in build/mcpb/
  --pack     validate the manifest and pack build/kinsta-mcp-VERSION.mcpb with the official CLI
             (npx @anthropic-ai/mcpb); where npx is missing it says so and skips, exit 0
  --try      unpack that file with the same CLI and serve it as the host does
             (`uv run --directory <unpacked> server/main.py`, with --sandbox), through an MCP handshake
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kinsta_mcp.config import OPTIONS, Option  # noqa: E402  (after the path above)

CLI = "@anthropic-ai/mcpb@2.1.2"  # pinned: its schema decides what a valid manifest is
TEMPLATE = ROOT / "mcpb" / "manifest.template.json"
STAGE = ROOT / "build" / "mcpb"
TYPES = {bool: "boolean", int: "number", float: "number"}


def project() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def field(option: Option, shown: dict[str, Any]) -> dict[str, Any]:
    """One install-dialog field. Optional ones get a default ('' at least): a host leaves a
    `${user_config.x}` with no value unreplaced, and the server would read that text as the setting."""
    entry: dict[str, Any] = {
        "type": TYPES.get(option.kind, "string"),
        "title": shown["title"],
        "description": shown.get("description", option.help),
        "required": option.required,
    }
    if option.secret:
        entry["sensitive"] = True
    if not option.required:
        entry["default"] = option.default == "true" if option.kind is bool else option.default
    return entry


def manifest() -> dict[str, Any]:
    meta = project()
    data = json.loads(TEMPLATE.read_text())
    options = {o.name: o for o in OPTIONS}
    asked = data["user_config"]
    data["version"] = meta["version"]
    data["author"] = {"name": meta["authors"][0]["name"]}
    data["license"] = meta["license"]
    data["keywords"] = meta["keywords"]
    data["repository"] = {"type": "git", "url": meta["urls"]["Repository"]}
    data["homepage"] = meta["urls"]["Homepage"]
    data["support"] = meta["urls"]["Issues"]
    data["compatibility"]["runtimes"] = {"python": meta["requires-python"]}
    data["user_config"] = {name: field(options[name], shown) for name, shown in asked.items()}
    data["server"]["mcp_config"]["env"] = {options[name].env: f"${{user_config.{name}}}" for name in asked}
    first = ("manifest_version", "name", "display_name", "version", "description", "long_description", "author")
    return {**{key: data[key] for key in first}, **data}  # the identity first, for whoever reads the file


def stage(dest: Path = STAGE) -> Path:
    """The bundle's tree: what `uv run` needs to build the project (pyproject.toml, README.md, LICENSE,
    the package) and the entry point."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copytree(ROOT / "kinsta_mcp", dest / "kinsta_mcp", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, dest / name)
    (dest / "server").mkdir()
    shutil.copy2(ROOT / "mcpb" / "main.py", dest / "server" / "main.py")
    (dest / "manifest.json").write_text(json.dumps(manifest(), indent=2, ensure_ascii=False) + "\n")
    return dest


def mcpb(*args: str) -> None:
    """The official CLI; its output is shown, a failure ends the build."""
    subprocess.run(["npx", "--yes", CLI, *args], check=True, stdin=subprocess.DEVNULL)


def bundle_path() -> Path:
    return ROOT / "build" / f"kinsta-mcp-{project()['version']}.mcpb"


def try_bundle(bundle: Path) -> str:
    import anyio

    from scripts.install_forms import environment, handshake

    with tempfile.TemporaryDirectory() as unpacked:
        mcpb("unpack", str(bundle), unpacked)
        argv = ["uv", "run", "--quiet", "--directory", unpacked, "server/main.py"]
        return anyio.run(handshake, argv, environment("mcpb"))


def main(argv: list[str]) -> int:
    if set(argv) - {"--pack", "--try"}:
        print("usage: python scripts/build_mcpb.py [--pack] [--try]", file=sys.stderr)
        return 2
    staged = stage()
    print(f"build_mcpb: staged {staged.relative_to(ROOT)}/ (manifest.json and the files it needs)")
    if not argv:
        return 0
    if shutil.which("npx") is None:
        print(f"build_mcpb: SKIPPED validating, packing and trying the bundle: no npx (npm) to run {CLI}")
        return 0
    out = bundle_path()
    mcpb("validate", str(staged / "manifest.json"))
    mcpb("pack", str(staged), str(out))
    print(f"build_mcpb: packed {out.relative_to(ROOT)} ({out.stat().st_size // 1024} KB)")
    if "--try" in argv:
        print(f"build_mcpb: the unpacked bundle served MCP under uv run ({try_bundle(out)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
