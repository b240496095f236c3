"""Every tool through the real MCP client, in both protocol eras, against the sandbox over HTTP."""

from __future__ import annotations

import json

import pytest
from mcp import Client, MCPError
from mcp.types import ElicitResult, ResourceTemplateReference

from kinsta_mcp.server import build_server
from kinsta_mcp.text import FENCE_NOTE

pytestmark = pytest.mark.anyio

SHOP_ENV_NAMES = {"live", "staging", "staging-premium"}


def text_of(result) -> str:
    return "\n".join(block.text for block in result.content)


def confirm_code(result) -> str:
    """The confirmation code a preview carries (clients without elicitation repeat it as `confirm`)."""
    import re

    found = re.search(r'confirm="([A-Z2-7]{6})"', text_of(result))
    assert found, f"no confirmation code in: {text_of(result)}"
    return found.group(1)


async def confirmed(client, tool: str, arguments: dict):
    """Call a tool that needs confirmation the way a model without elicitation must: preview, then code."""
    preview = await client.call_tool(tool, arguments)
    assert preview.is_error and "Confirmation needed" in text_of(preview), text_of(preview)
    return await client.call_tool(tool, {**arguments, "confirm": confirm_code(preview)})


def deletes(state) -> list[str]:
    return [r.path for r in state.requests if r.method == "DELETE"]


class Asker:
    """An elicitation callback that records the question and gives a fixed answer."""

    def __init__(self, action: str = "accept", confirm: bool = True) -> None:
        self.action, self.confirm, self.asked = action, confirm, []

    async def __call__(self, context, params):
        self.asked.append(params.message)
        content = {"confirm": self.confirm} if self.action == "accept" else None
        return ElicitResult(action=self.action, content=content)


async def test_list_sites_gives_a_summary_and_the_data_once(settings, mode):
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("list_sites", {})
    assert not result.is_error
    data = result.structured_content
    assert data["total"] == len(data["sites"]) == 5
    shop = next(s for s in data["sites"] if s["name"] == "acmeshop")
    assert {e["name"] for e in shop["environments"]} == SHOP_ENV_NAMES
    text = text_of(result)
    assert FENCE_NOTE in text and "Acme Shop (acmeshop)" in text
    assert '"environments"' not in text  # a summary, not the JSON again


@pytest.mark.parametrize("ref", ["acmeshop", "Acme Shop", "acme shop", "acmeshop.com", "https://www.acmeshop.com/cart"])
async def test_one_site_by_every_human_reference(settings, ref):
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("list_sites", {"site": ref})
    assert not result.is_error, text_of(result)
    assert [s["name"] for s in result.structured_content["sites"]] == ["acmeshop"]
    assert result.structured_content["total"] == 1 and "one" not in result.structured_content
    assert text_of(result).count("(id ") >= 3  # the detail: each environment with its id and domains


async def test_one_site_by_id_and_unknown_reference(settings, sandbox):
    _, state = sandbox
    site_id = state.sites[1]["id"]
    async with Client(build_server(settings)) as client:
        by_id = await client.call_tool("list_sites", {"site": site_id})
        missing = await client.call_tool("list_sites", {"site": "acmeshopp"})
    assert by_id.structured_content["sites"][0]["id"] == site_id
    assert missing.is_error and "Did you mean 'acmeshop'" in text_of(missing)


async def test_one_site_lists_its_environments_fresh(settings, mode):
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("list_sites", {"site": "Acme Shop"})
    envs = result.structured_content["sites"][0]["environments"]
    assert {e["name"] for e in envs} == SHOP_ENV_NAMES
    live = next(e for e in envs if e["name"] == "live")
    assert live["primary_domain"] == "acmeshop.com" and live["php_version"].startswith("8.")


@pytest.mark.both_eras
async def test_clear_cache_reports_progress_and_waits(sandbox, settings, mode):
    _, state = sandbox
    progress = []

    async def on_progress(value, total, message):
        progress.append((value, total, message))

    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("clear_cache", {"site": "acmeshop.com"}, progress_callback=on_progress)
    assert not result.is_error, text_of(result)
    assert result.structured_content["state"] == "done"
    assert len(progress) >= 2 and all(total is None for _, total, _ in progress)
    assert "Clear cache on Acme Shop (acmeshop) › live" in progress[-1][2]
    sent = [r for r in state.requests if r.path == "/sites/tools/clear-cache"]
    live_id = next(e["id"] for e in state.sites[0]["environments"] if e["name"] == "live")
    assert [r.json for r in sent] == [{"environment_id": live_id}]


async def test_restart_php_on_staging_by_name_and_by_environment_id(sandbox, settings):
    _, state = sandbox
    staging = next(e for e in state.sites[0]["environments"] if e["name"] == "staging")
    async with Client(build_server(settings)) as client:
        by_name = await client.call_tool("restart_php", {"site": "acmeshop", "environment": "staging"})
        by_id = await client.call_tool("restart_php", {"environment": staging["id"]})
        wrong = await client.call_tool("restart_php", {"site": "acmeshop", "environment": "qa"})
    assert by_name.structured_content["state"] == by_id.structured_content["state"] == "done"
    sent = [r.json["environment_id"] for r in state.requests if r.path == "/sites/tools/restart-php"]
    assert sent == [staging["id"], staging["id"]]
    assert wrong.is_error and "live, staging, staging-premium" in text_of(wrong)


async def test_slow_operation_returns_running_then_wait_for_job_finishes_it(sandbox, settings, mode):
    _, state = sandbox
    state.operation_seconds = 1.0
    async with Client(build_server(settings), mode=mode) as client:
        started = await client.call_tool("clear_cache", {"site": "acmeshop", "max_wait_seconds": 0.2})
        keys = list(started.structured_content["jobs"])
        assert started.structured_content["state"] == "running" and keys[0].startswith("op:cache:clear-")
        assert f"jobs={keys!r}" in text_of(started)
        finished = await client.call_tool("wait_for_job", {"jobs": keys, "max_wait_seconds": 5})
    assert finished.structured_content["state"] == "done"


async def test_failed_operation_is_an_error_result(sandbox, settings):
    _, state = sandbox
    state.fail_next_operations("PHP engine unavailable")
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("restart_php", {"site": "acmeshop"})
    assert result.is_error and "PHP engine unavailable" in text_of(result)


async def test_company_users_and_regions(settings, mode):
    async with Client(build_server(settings), mode=mode) as client:
        users = await client.call_tool("company_info", {"what": "users"})
        regions = await client.call_tool("company_info", {"what": "regions"})
    assert users.structured_content["total"] == len(users.structured_content["users"]) >= 3
    assert all("@" in u["email"] for u in users.structured_content["users"])
    codes = [r["region"] for r in regions.structured_content["regions"]]
    assert "us-central1" in codes


# -- confirmation ---------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_delete_asks_and_deletes_when_the_user_accepts(sandbox, settings, mode):
    _, state = sandbox
    asker = Asker("accept")
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("delete_site", {"site": "portfolio"})
    assert not result.is_error, text_of(result)
    assert len(asker.asked) == 1 and "Delete site Portfolio (portfolio)" in asker.asked[0]
    assert "cannot be undone" in asker.asked[0] and "portfolio.kinsta.cloud" in asker.asked[0]
    assert result.structured_content["state"] == "done"
    assert "portfolio" not in [s["name"] for s in state.sites]


@pytest.mark.both_eras
@pytest.mark.parametrize(("action", "confirm"), [("decline", False), ("cancel", False), ("accept", False)])
async def test_delete_sends_nothing_when_the_user_says_no(sandbox, settings, mode, action, confirm):
    _, state = sandbox
    asker = Asker(action, confirm)
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("delete_site", {"site": "portfolio", "confirm": "AAAAAA"})
    assert len(asker.asked) == 1  # asked even though the model passed a code
    assert result.is_error and "nothing was changed" in text_of(result)
    assert deletes(state) == []


@pytest.mark.both_eras
async def test_delete_without_elicitation_needs_confirm_after_a_preview(sandbox, settings, mode):
    _, state = sandbox
    done_site_id = next(s["id"] for s in state.sites if s["name"] == "portfolio")
    async with Client(build_server(settings), mode=mode) as client:  # no callback: no elicitation capability
        preview = await client.call_tool("delete_site", {"site": "Portfolio"})
        assert preview.is_error and deletes(state) == []
        assert "Confirmation needed" in text_of(preview) and f'confirm="{confirm_code(preview)}"' in text_of(preview)
        assert "Delete site Portfolio (portfolio)" in text_of(preview)
        done = await client.call_tool("delete_site", {"site": "Portfolio", "confirm": confirm_code(preview)})
    assert not done.is_error, text_of(done)
    assert deletes(state) == [f"/sites/{done_site_id}"]


@pytest.mark.both_eras
async def test_tool_list_is_complete_and_destructive_tools_take_confirm(settings, mode):
    async with Client(build_server(settings), mode=mode) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert {"list_sites", "clear_cache", "restart_php", "wait_for_job",
            "delete_site", "company_info"} <= set(tools)
    assert "confirm" in tools["delete_site"].input_schema["properties"]
    assert "confirm" not in tools["clear_cache"].input_schema["properties"]
    assert tools["delete_site"].annotations.destructive_hint is True
    assert tools["list_sites"].annotations.read_only_hint is True


async def test_read_only_mode_does_not_offer_changes(settings):
    async with Client(build_server(settings.with_(read_only=True))) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        result = await client.call_tool("delete_site", {"site": "portfolio"})
    assert tools and all(t.annotations.read_only_hint for t in tools.values())
    assert {"clear_cache", "restart_php", "delete_site"}.isdisjoint(tools)
    assert result.is_error and "Unknown tool" in text_of(result)


async def test_toolsets_select_tools(settings):
    from kinsta_mcp.registry import load_all

    async with Client(build_server(settings.with_(toolsets=("cache", "logs")))) as client:
        names = {t.name for t in (await client.list_tools()).tools}
    expected = {d.name for d in load_all().values() if d.toolset in ("cache", "logs")}
    assert names == expected and {"clear_cache", "restart_php"} <= names and "list_sites" not in names


async def test_protect_live_confirms_writes_to_live_only(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(protect_live=True))) as client:
        live = await client.call_tool("clear_cache", {"site": "acmeshop"})
        staging = await client.call_tool("clear_cache", {"site": "acmeshop", "environment": "staging"})
        confirmed = await client.call_tool("clear_cache", {"site": "acmeshop", "confirm": confirm_code(live)})
    assert live.is_error and "LIVE environment of Acme Shop" in text_of(live)
    assert not staging.is_error and not confirmed.is_error
    assert len([r for r in state.requests if r.path == "/sites/tools/clear-cache"]) == 2


async def test_allowed_sites_refuse_others_without_a_request(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(allowed_sites=("acmeshop",)))) as client:
        listed = await client.call_tool("list_sites", {})
        refused = await client.call_tool("delete_site", {"site": "portfolio"})
        cleared = await client.call_tool("clear_cache", {"site": "portfolio.kinsta.cloud"})
    assert [s["name"] for s in listed.structured_content["sites"]] == ["acmeshop"]
    assert refused.is_error and "KINSTA_ALLOWED_SITES" in text_of(refused)
    assert cleared.is_error and "KINSTA_ALLOWED_SITES" in text_of(cleared)
    assert deletes(state) == [] and not [r for r in state.requests if r.method != "GET"]


# -- resources and completions ----------------------------------------------------------------


@pytest.mark.both_eras
async def test_site_resources_and_completion(settings, mode):
    async with Client(build_server(settings), mode=mode) as client:
        listing = await client.read_resource("kinsta://sites")
        one = await client.read_resource("kinsta://sites/acmeshop.com")
        with pytest.raises(MCPError) as missing:
            await client.read_resource("kinsta://sites/nope-nope")
        done = await client.complete(
            ResourceTemplateReference(type="ref/resource", uri="kinsta://sites/{site}"), {"name": "site", "value": "cli"}
        )
    names = [s["name"] for s in json.loads(listing.contents[0].text)]
    assert "acmeshop" in names and listing.contents[0].mime_type == "application/json"
    assert json.loads(one.contents[0].text)["name"] == "acmeshop"
    assert missing.value.code == -32602 and "nope-nope" in str(missing.value)
    assert done.completion.values == ["client-bakery", "client-dentist"]


@pytest.mark.both_eras
@pytest.mark.parametrize("sevalla", [False, True])
async def test_instructions_speak_of_the_tools_offered(sandbox, sevalla, mode):
    from tests.conftest import fast_settings

    async with Client(build_server(fast_settings(sandbox[0], sevalla=sevalla)), mode=mode) as client:
        text = client.instructions or ""
        names = {t.name for t in (await client.list_tools()).tools}
    assert "wait_for_job" in text and 'confirm="<the code' in text
    assert ("deploy_application" in text) == sevalla == ("deploy_application" in names)
