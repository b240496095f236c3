"""Rules every tool must follow, checked over the whole registry (so a new tool cannot skip them)."""

from __future__ import annotations

import re

import pytest
from mcp import Client

from kinsta_mcp.budget import served
from kinsta_mcp.config import Settings
from kinsta_mcp.registry import SEVALLA_TOOLSETS, TOOLSETS, load_all
from kinsta_mcp.safety import Risk
from kinsta_mcp.schemas import union_paths
from kinsta_mcp.secret import Secret
from kinsta_mcp.server import build_server

pytestmark = pytest.mark.anyio
NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
SETTINGS = Settings(api_key=Secret("guard"), company_id="guard", toolsets=("all",))


@pytest.fixture(scope="module")
async def listed():
    async with Client(build_server(SETTINGS)) as client:
        return {t.name: t for t in (await client.list_tools()).tools}


@pytest.fixture(scope="module")
def anyio_backend():
    return "asyncio"  # module scope, for the module-scoped tool listing


async def test_every_declared_tool_is_served(listed):
    assert set(listed) == set(load_all())


async def test_names_descriptions_titles(listed):
    for name, t in listed.items():
        assert NAME.match(name), name
        assert t.description and len(t.description) <= 400, name
        assert t.title, name


async def test_annotations_are_complete_and_follow_the_risk(listed):
    defs = load_all()
    for name, t in listed.items():
        a, risk = t.annotations, defs[name].risk
        assert None not in (a.title, a.read_only_hint, a.destructive_hint, a.idempotent_hint, a.open_world_hint), name
        assert a.read_only_hint is (risk is Risk.READ), name
        assert a.destructive_hint is (risk is Risk.DESTRUCTIVE), name
        assert a.open_world_hint is True, name


async def test_output_schemas_are_objects_and_no_schema_has_unions(listed):
    for name, t in listed.items():
        assert t.output_schema and t.output_schema.get("type") == "object", name
        assert union_paths(t.input_schema) == [], (name, union_paths(t.input_schema))
        assert union_paths(t.output_schema) == [], (name, union_paths(t.output_schema))


async def test_confirm_exactly_where_confirmation_is_possible(listed):
    defs = load_all()
    for name, t in listed.items():
        has_confirm = "confirm" in t.input_schema.get("properties", {})
        assert has_confirm is (defs[name].risk is Risk.DESTRUCTIVE or defs[name].secret), name


async def test_every_tool_is_in_a_known_toolset():
    # The context budgets (totals, no per-toolset caps) are in tests/test_tool_snapshots.py.
    assert {d.toolset for d in load_all().values()} <= set(TOOLSETS)


async def test_a_sevalla_key_turns_the_sevalla_toolsets_on():
    defs = load_all()
    without = await served(SETTINGS.with_(toolsets=()))
    assert {defs[t["name"]].toolset for t in without}.isdisjoint(SEVALLA_TOOLSETS)  # WordPress hosting only
    tools = await served(SETTINGS.with_(toolsets=(), sevalla_api_key=Secret("s")))
    assert {defs[t["name"]].toolset for t in tools} == {d.toolset for d in defs.values()}


def test_toolset_keywords_default_and_all():
    from kinsta_mcp.errors import ConfigError
    from kinsta_mcp.registry import chosen_toolsets

    wordpress = set(TOOLSETS) - set(SEVALLA_TOOLSETS)
    assert chosen_toolsets(SETTINGS.with_(toolsets=())) == wordpress
    assert chosen_toolsets(SETTINGS.with_(toolsets=("all",))) == set(TOOLSETS)
    assert chosen_toolsets(SETTINGS.with_(toolsets=("default", "databases"))) == wordpress | {"databases"}
    assert chosen_toolsets(SETTINGS.with_(toolsets=(), sevalla_api_key=Secret("k"))) == set(TOOLSETS)
    with pytest.raises(ConfigError):
        chosen_toolsets(SETTINGS.with_(toolsets=("sites", "nope")))
