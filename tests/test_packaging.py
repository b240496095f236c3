"""What we publish about ourselves agrees with the code: server.json (the MCP registry's entry), the MCP
Bundle's manifest, the README's tables, the package metadata and the LICENSE.

The schemas in tests/data are vendored: server.schema.json is the registry's 2025-12-11 schema (as
published at its $id), mcpb-manifest-v0.4.schema.json is the one the @anthropic-ai/mcpb 2.1.2 CLI ships.
.ci/run validates and packs the bundle with that CLI itself.
"""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from dataclasses import fields, replace
from pathlib import Path
from types import ModuleType

import jsonschema

from kinsta_mcp import __version__
from kinsta_mcp.config import OPTIONS, Settings, load_settings
from kinsta_mcp.secret import Secret
from kinsta_mcp.toolsets import SEVALLA_TOOLSETS, chosen_toolsets

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def schema_errors(document: dict, schema_file: str) -> list[str]:
    schema = json.loads((DATA / schema_file).read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def plain(settings: Settings) -> dict:
    """The settings a test can compare (a Secret compares by identity, and none has a default)."""
    return {
        f.name: getattr(settings, f.name) for f in fields(settings) if not isinstance(getattr(settings, f.name), Secret)
    }


def test_server_json_is_generated_current_and_valid():
    committed = (ROOT / "server.json").read_text()
    assert committed == script("server_json").text(), "run: python scripts/server_json.py"
    manifest = json.loads(committed)
    assert schema_errors(manifest, "server.schema.json") == []
    assert manifest["$schema"] == json.loads((DATA / "server.schema.json").read_text())["$id"]
    (package,) = manifest["packages"]
    assert manifest["version"] == package["version"] == PROJECT["version"] == __version__
    assert package["identifier"] == PROJECT["name"] == "kinsta-mcp"
    assert manifest["repository"] == {"url": PROJECT["urls"]["Repository"], "source": "github"}
    assert package["registryType"] == "pypi" and package["runtimeHint"] == "uvx"
    assert package["transport"] == {"type": "stdio"}


def test_server_json_offers_every_setting_with_its_true_default():
    (package,) = json.loads((ROOT / "server.json").read_text())["packages"]
    variables = {v["name"]: v for v in package["environmentVariables"]}
    assert list(variables) == [o.env for o in OPTIONS]
    assert {n for n, v in variables.items() if v["isSecret"]} == {
        "KINSTA_API_KEY",
        "SEVALLA_API_KEY",
        "KINSTA_MCP_HTTP_TOKEN",
    }
    assert [n for n, v in variables.items() if v["isRequired"]] == ["KINSTA_API_KEY"]
    assert variables["KINSTA_TOOLSETS"]["default"] == "default"  # it once said "all"
    assert variables["KINSTA_READ_ONLY"] == variables["KINSTA_READ_ONLY"] | {"format": "boolean", "default": "false"}
    assert variables["KINSTA_TIMEOUT"]["format"] == "number" and variables["KINSTA_TIMEOUT"]["default"] == "30"
    # What an installer would set from these defaults is what the server does with nothing set.
    defaults = {name: v["default"] for name, v in variables.items() if "default" in v}
    assert plain(replace(load_settings(environ=defaults), toolsets=())) == plain(load_settings(environ={}))
    for key in ("", "a-sevalla-key"):
        unset = Settings(sevalla_api_key=Secret(key))
        assert chosen_toolsets(replace(unset, toolsets=("default",))) == chosen_toolsets(unset)
    assert not set(SEVALLA_TOOLSETS) & chosen_toolsets(Settings())


def test_every_shown_default_is_the_settings_default():
    for option in OPTIONS:
        has_default = bool(option.default) and option.kind is not bool
        assert ("{default}" in option.text) == has_default, option.env  # --help shows it, or there is none
        assert "{default}" not in option.help


def test_bundle_manifest_follows_the_settings_table_and_its_schema():
    build_mcpb = script("build_mcpb")
    manifest = build_mcpb.manifest()
    assert schema_errors(manifest, "mcpb-manifest-v0.4.schema.json") == []
    assert manifest["version"] == PROJECT["version"] and manifest["license"] == PROJECT["license"] == "MIT"
    assert manifest["server"]["type"] == "uv" and (ROOT / "mcpb" / "main.py").is_file()
    asked = manifest["user_config"]
    assert set(asked) == {"api_key", "sevalla_api_key", "read_only", "toolsets", "company_id"}
    options = {o.name: o for o in OPTIONS}
    assert {k for k, v in asked.items() if v.get("sensitive")} == {"api_key", "sevalla_api_key"}
    assert [k for k, v in asked.items() if v["required"]] == ["api_key"]
    assert asked["read_only"]["type"] == "boolean" and asked["read_only"]["default"] is False
    # The host's substitution, with only the key given: the server reads the settings it had without them.
    env = manifest["server"]["mcp_config"]["env"]
    assert env == {options[k].env: f"${{user_config.{k}}}" for k in asked}
    given = {k: v["default"] for k, v in asked.items() if "default" in v} | {"api_key": "k"}
    as_text = {True: "true", False: "false"}  # the MCPB spec's rendering of a boolean
    host_env = {
        name: re.sub(r"\$\{user_config\.(\w+)\}", lambda m: as_text.get(given[m[1]], str(given[m[1]])), text)
        for name, text in env.items()
    }
    settings = load_settings(environ=host_env)
    assert settings.api_key.reveal() == "k" and not settings.read_only and not settings.sevalla_api_key
    assert chosen_toolsets(settings) == chosen_toolsets(Settings())


def test_staged_bundle_holds_what_uv_needs(tmp_path):
    build_mcpb = script("build_mcpb")
    staged = build_mcpb.stage(tmp_path / "bundle")
    assert json.loads((staged / "manifest.json").read_text()) == build_mcpb.manifest()
    for name in ("pyproject.toml", "README.md", "LICENSE", "server/main.py", "kinsta_mcp/cli.py"):
        assert (staged / name).is_file(), name
    assert not list(staged.rglob("__pycache__"))
    assert (staged / "pyproject.toml").read_bytes() == (ROOT / "pyproject.toml").read_bytes()


def test_metadata_and_license():
    license_text = (ROOT / "LICENSE").read_text()
    assert PROJECT["license"] == "MIT" and license_text.startswith("MIT License")
    assert "kinsta-mcp contributors" in license_text
    assert PROJECT["authors"] == [{"name": "kinsta-mcp contributors"}]
    assert PROJECT["urls"]["Repository"] == "https://github.com/kinsta-mcp/kinsta-mcp"
    assert {"mcp", "kinsta"} <= set(PROJECT["keywords"])
    python = re.match(r">=3\.(\d+)$", PROJECT["requires-python"])
    assert python and f"Programming Language :: Python :: 3.{python[1]}" in PROJECT["classifiers"]
    # License classifiers and an SPDX `license` exclude each other (PEP 639).
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]


def test_release_checks_the_tag_against_every_version():
    server_json = script("server_json")
    assert server_json.tag_problems(f"v{PROJECT['version']}") == []
    assert any("tag v9.9.9" in p for p in server_json.tag_problems("v9.9.9"))
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert "scripts/server_json.py --check-tag" in workflow and "id-token: write" in workflow
    assert "twine check" in workflow and "pypa/gh-action-pypi-publish" in workflow


def test_readme_names_the_registry_entry_and_every_variable():
    readme = (ROOT / "README.md").read_text()
    name = json.loads((ROOT / "server.json").read_text())["name"]
    assert re.search(rf"mcp-name:\s*{re.escape(name)}", readme)
    for option in OPTIONS:
        assert option.env in readme and option.flag in readme, option.env


def test_readme_tool_table_is_current():
    readme = (ROOT / "README.md").read_text()
    assert script("tools_table").render(readme) == readme, "run: python scripts/tools_table.py"
