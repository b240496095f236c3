"""The gate: strict arguments, confirmation codes bound to the preview, planning that cannot write."""

from __future__ import annotations

import pytest
from mcp import Client

from kinsta_mcp.api.cache import CLEAR_CACHE
from kinsta_mcp.api.common import SITES
from kinsta_mcp.api.facade import Api, PlanningWrite
from kinsta_mcp.gate import Risk
from kinsta_mcp.server import build_server
from tests.test_tools import Asker, confirm_code, text_of

pytestmark = pytest.mark.anyio


def mutations(state) -> list:
    return [r for r in state.requests if r.method in ("POST", "PUT", "PATCH", "DELETE")]


async def test_a_misspelt_argument_is_refused_with_the_closest_name_and_nothing_is_sent(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("restart_php", {"site": "acmeshop", "enviroment": "staging"})
    assert result.is_error
    assert "unknown argument 'enviroment'" in text_of(result) and "did you mean 'environment'" in text_of(result)
    assert mutations(state) == []


async def test_every_invalid_argument_is_named_at_once_one_line_each(settings):
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("cache_settings", {"action": "nope", "ips": "not-a-list"})
    text = text_of(result)
    assert result.is_error and "action:" in text and "ips:" in text and "validation error" not in text


@pytest.mark.parametrize("value", [True, 1, "yes", "1", "True"])
async def test_confirm_takes_only_the_code(sandbox, settings, value):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("delete_site", {"site": "acmeshop", "confirm": value})
    assert result.is_error
    assert not [r for r in mutations(state) if r.path.startswith("/sites")]


async def test_the_code_is_bound_to_the_preview_and_a_changed_argument_gets_a_new_one(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        first = await client.call_tool("delete_site", {"site": "acmeshop"})
        other = await client.call_tool("delete_site", {"site": "blog-acme"})
        assert confirm_code(first) != confirm_code(other)
        wrong = await client.call_tool("delete_site", {"site": "blog-acme", "confirm": confirm_code(first)})
        assert wrong.is_error and "not the one for this preview" in text_of(wrong)
        assert mutations(state) == []
        done = await client.call_tool("delete_site", {"site": "acmeshop", "confirm": confirm_code(first)})
    assert not done.is_error, text_of(done)
    assert [r.method for r in mutations(state)] == ["DELETE"]


@pytest.mark.both_eras
async def test_clients_with_a_dialog_are_asked_even_with_a_code(sandbox, settings, mode):
    _, state = sandbox
    asker = Asker("decline")
    async with Client(build_server(settings), mode=mode) as plain:
        code = confirm_code(await plain.call_tool("delete_site", {"site": "acmeshop"}))
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("delete_site", {"site": "acmeshop", "confirm": code})
    assert result.is_error and asker.asked and "acmeshop" in asker.asked[0]
    assert mutations(state) == []


async def test_protect_live_asks_for_writes_to_live_and_runs_with_the_code(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(protect_live=True))) as client:
        staging = await client.call_tool("clear_cache", {"site": "acmeshop", "environment": "staging"})
        live = await client.call_tool("clear_cache", {"site": "acmeshop"})
        assert not staging.is_error and live.is_error and "LIVE" in text_of(live)
        assert len(mutations(state)) == 1
        again = await client.call_tool("clear_cache", {"site": "acmeshop", "confirm": confirm_code(live)})
    assert again.structured_content["state"] == "done", text_of(again)
    assert len(mutations(state)) == 2


async def test_an_out_of_scope_refusal_does_not_name_the_site(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(allowed_sites=("acmeshop",)))) as client:
        result = await client.call_tool("clear_cache", {"site": "blog-acme"})
    assert result.is_error and "outside the sites" in text_of(result)
    assert "blog" not in text_of(result).lower()
    assert mutations(state) == []


async def test_planning_cannot_send_a_mutating_request(sandbox, settings):
    from kinsta_mcp.client import KinstaClient

    async with KinstaClient(settings) as kinsta:
        api = Api(kinsta, company_id=settings.company_id)
        reader = api.read_only()
        assert await reader.get(SITES, query={"company": settings.company_id})
        with pytest.raises(PlanningWrite):
            await reader.call(CLEAR_CACHE, body={"environment_id": "x"})
    assert mutations(sandbox[1]) == []


@pytest.mark.both_eras
async def test_no_tool_sends_a_change_the_user_declined_and_every_destructive_tool_asks(sandbox, mode):
    """Every tool once (the every-tool list), in-process, with a user who says no to every question."""
    from kinsta_mcp.registry import load_all
    from tests.conftest import fast_settings
    from tests.test_stdio_every_tool import CALLS

    _, state = sandbox
    asker = Asker("decline")
    settings = fast_settings(sandbox[0], sevalla=True, max_wait=0.0)
    done: dict = {}
    asked_tools = []
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        for name, args, _ in CALLS:
            before, questions = len(state.requests), len(asker.asked)
            result = await client.call_tool(name, args(done) if callable(args) else args)
            if len(asker.asked) > questions:
                asked_tools.append(name)
                assert result.is_error, name
                assert [r for r in state.requests[before:] if r.method != "GET"] == [], f"{name} sent a change"
            elif not result.is_error:
                done[name] = result.structured_content
    destructive = {d.name for d in load_all().values() if d.risk is Risk.DESTRUCTIVE}
    assert destructive and destructive <= set(asked_tools)


@pytest.mark.parametrize("value", ["yes", "1", 1, "True"])
async def test_reveal_takes_exactly_a_boolean(sandbox, settings, value):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("ssh_access", {"site": "acmeshop", "reveal": value})
    assert result.is_error and "reveal:" in text_of(result)
    assert [r for r in state.requests if "password" in r.path] == []


def test_only_clients_that_declare_form_elicitation_get_a_dialog():
    from types import SimpleNamespace

    from mcp.types import ClientCapabilities, ElicitationCapability, FormElicitationCapability, UrlElicitationCapability

    from kinsta_mcp.gate import can_show_form

    def ctx(elicitation):
        return SimpleNamespace(client_capabilities=ClientCapabilities(elicitation=elicitation))

    assert can_show_form(ctx(ElicitationCapability()))  # `{}`: form, per the spec's backwards compatibility
    assert can_show_form(ctx(ElicitationCapability(form=FormElicitationCapability())))
    assert not can_show_form(ctx(ElicitationCapability(url=UrlElicitationCapability())))
    assert not can_show_form(ctx(None))
    assert not can_show_form(SimpleNamespace(client_capabilities=None))
