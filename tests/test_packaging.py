"""What we publish about ourselves agrees with the code."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from kinsta_mcp import __version__
from kinsta_mcp.config import OPTIONS

ROOT = Path(__file__).resolve().parents[1]


def test_server_json_matches_the_package():
    manifest = json.loads((ROOT / "server.json").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    (package,) = manifest["packages"]
    assert manifest["$schema"].endswith("/2025-12-11/server.schema.json")
    assert manifest["version"] == package["version"] == project["version"] == __version__
    assert package["identifier"] == project["name"] == "kinsta-mcp"
    assert package["registryType"] == "pypi" and package["runtimeHint"] == "uvx"
    assert package["transport"] == {"type": "stdio"}
    assert len(manifest["description"]) <= 100
    variables = {v["name"]: v for v in package["environmentVariables"]}
    assert variables["KINSTA_API_KEY"]["isSecret"] is True and variables["KINSTA_API_KEY"]["isRequired"] is True
    assert set(variables) <= {o.env for o in OPTIONS}


def test_readme_names_the_registry_entry_and_every_variable():
    readme = (ROOT / "README.md").read_text()
    name = json.loads((ROOT / "server.json").read_text())["name"]
    assert re.search(rf"mcp-name:\s*{re.escape(name)}", readme)
    for option in OPTIONS:
        assert option.env in readme and option.flag in readme, option.env


def test_readme_tool_table_is_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location("tools_table", ROOT / "scripts" / "tools_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (ROOT / "README.md").read_text()
    assert module.render(readme) == readme, "run: python scripts/tools_table.py"
