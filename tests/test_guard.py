"""Rules every tool must follow, checked over the whole registry (so a new tool cannot skip them)."""

from __future__ import annotations

import re

import pytest
from mcp import Client

from kinsta_mcp.budget import served
from kinsta_mcp.config import Settings
from kinsta_mcp.registry import load_all
from kinsta_mcp.toolsets import SEVALLA_TOOLSETS, TOOLSETS
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


def effective(a) -> dict[str, bool]:
    """The hints as a client reads them: a missing one has the spec's default."""
    return {"read_only": bool(a.read_only_hint), "destructive": True if a.destructive_hint is None else a.destructive_hint,
            "idempotent": bool(a.idempotent_hint), "open_world": True if a.open_world_hint is None else a.open_world_hint}


async def test_annotations_follow_the_risk_as_a_client_reads_them(listed):
    defs = load_all()
    for name, t in listed.items():
        hints, risk = effective(t.annotations), defs[name].risk
        assert hints["read_only"] is (risk is Risk.READ), name
        if risk is not Risk.READ:  # destructiveHint means something only for tools that change things
            assert hints["destructive"] is (risk is Risk.DESTRUCTIVE), name
            assert t.annotations.destructive_hint is not None, name  # said explicitly either way
            assert hints["idempotent"] is defs[name].idempotent, name
        assert hints["open_world"] is True, name


async def test_output_schemas_are_objects_and_no_schema_has_unions(listed):
    for name, t in listed.items():
        assert t.output_schema and t.output_schema.get("type") == "object", name
        assert union_paths(t.input_schema) == [], (name, union_paths(t.input_schema))
        assert union_paths(t.output_schema) == [], (name, union_paths(t.output_schema))


async def test_confirm_exactly_where_confirmation_is_possible(listed):
    defs = load_all()
    for name, t in listed.items():
        has_confirm = "confirm" in t.input_schema.get("properties", {})
        d = defs[name]
        may_ask = d.risk is Risk.DESTRUCTIVE or d.secret or d.sensitive or Risk.SENSITIVE in d.actions.values()
        assert has_confirm is may_ask, name


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
    from kinsta_mcp.toolsets import chosen_toolsets

    wordpress = set(TOOLSETS) - set(SEVALLA_TOOLSETS)
    assert chosen_toolsets(SETTINGS.with_(toolsets=())) == wordpress
    assert chosen_toolsets(SETTINGS.with_(toolsets=("all",))) == set(TOOLSETS)
    assert chosen_toolsets(SETTINGS.with_(toolsets=("default", "databases"))) == wordpress | {"databases"}
    assert chosen_toolsets(SETTINGS.with_(toolsets=(), sevalla_api_key=Secret("k"))) == set(TOOLSETS)
    with pytest.raises(ConfigError):
        chosen_toolsets(SETTINGS.with_(toolsets=("sites", "nope")))


def test_each_toolset_names_the_modules_that_declare_its_tools():
    import pkgutil

    import kinsta_mcp.tools
    from kinsta_mcp.toolsets import MODULES

    defs = load_all()
    declared: dict[str, set[str]] = {}
    for d in defs.values():
        declared.setdefault(d.toolset, set()).add(d.fn.__module__.rsplit(".", 1)[1])
    assert set(MODULES) == set(TOOLSETS)
    for toolset, modules in declared.items():
        assert modules <= set(MODULES[toolset]), toolset
    every = {m.name for m in pkgutil.iter_modules(kinsta_mcp.tools.__path__)}
    helpers = every - {m for ms in MODULES.values() for m in ms}
    assert all(not any(d.fn.__module__.endswith(f".{h}") for d in defs.values()) for h in helpers)
