"""Environment variables of Sevalla applications, static sites and the company (v3 only), through the real
MCP client against the sandbox's /sevalla/v3: listed masked, revealed only after the user agreed, added by
key, overwritten or deleted only after the user agreed, values never in any text or error."""

from __future__ import annotations

import json

import pytest
from mcp import Client

from kinsta_mcp.errors import BadRequest
from kinsta_mcp.sandbox.routes.env_vars import rows_of
from kinsta_mcp.server import build_server
from tests.paas import app_named, mutations, sent, site_named
from tests.test_tools import Asker, confirm_code, confirmed, text_of

pytestmark = pytest.mark.anyio

TOOLSETS = ("env_vars",)
HIDDEN = "•••••• (hidden, "


APP = {"target": "application", "name": "portfolio-app"}


def server(settings):
    return build_server(settings.with_(toolsets=TOOLSETS))


async def call(settings, tool, args, **client):
    """One call on a fresh client (`mode`, `elicitation_callback` as given)."""
    async with Client(server(settings), **client) as session:
        return await session.call_tool(tool, args)


def var(state, owner_id, key):
    return [r for r in rows_of(state) if r["owner"] == owner_id and r["key"] == key]


def everything(result) -> str:
    return text_of(result) + json.dumps(result.structured_content or {})


def env_reads(state):
    return [r for r in state.requests if r.method == "GET" and "env-vars" in r.path]


def leaks(state, result) -> list[str]:
    """Seeded secrets that appear in a result (short values such as "production" are words too)."""
    return [r["value"] for r in rows_of(state) if len(r["value"]) > 10 and r["value"] in everything(result)]


# -- listing --------------------------------------------------------------------------------------


async def test_an_apps_variables_are_listed_masked_with_where_they_apply(sandbox, sevalla_settings, mode):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    result = await call(sevalla_settings, "env_vars", {**APP, "name": "Portfolio App"}, mode=mode)
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert data["of"] == "application Portfolio App (portfolio-app)"
    url = var(state, app["id"], "DATABASE_URL")[0]["value"]
    assert data["variables"] == [
        {"key": "NODE_ENV", "value": f"{HIDDEN}10 characters)", "applies": "build, runtime"},
        {"key": "DATABASE_URL", "value": f"{HIDDEN}{len(url)} characters)", "applies": "runtime"},
    ]
    assert "- DATABASE_URL = ••••••" in text_of(result) and leaks(state, result) == []
    assert "Global variables (target global) apply too" in text_of(result)
    [read] = env_reads(state)
    assert read.base == "sevalla_v3" and read.path == f"/applications/{app['id']}/env-vars"
    assert read.query == {"limit": "100", "offset": "0"}


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_reveal_asks_the_user_and_a_declined_reveal_shows_nothing(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    asker = Asker(answer)
    result = await call(sevalla_settings, "env_vars", {**APP, "reveal": True}, mode=mode, elicitation_callback=asker)
    assert "the values of the environment variables of application Portfolio App" in asker.asked[0]
    url = var(state, app["id"], "DATABASE_URL")[0]["value"]
    if answer == "accept":
        assert not result.is_error, text_of(result)
        shown = {v["key"]: v["value"] for v in result.structured_content["variables"]}
        assert shown == {"NODE_ENV": "production", "DATABASE_URL": url}
    else:
        assert result.is_error and url not in everything(result)
        assert env_reads(state) == []  # the values were not even fetched


async def test_reveal_without_elicitation_needs_the_code(sandbox, sevalla_settings):
    _, state = sandbox
    args = {"target": "global", "reveal": True}
    async with Client(server(sevalla_settings)) as client:
        asked = await client.call_tool("env_vars", args)
        assert asked.is_error and "Confirmation needed" in text_of(asked) and env_reads(state) == []
        shown = await client.call_tool("env_vars", {**args, "confirm": confirm_code(asked)})
    assert {v["key"]: v["value"] for v in shown.structured_content["variables"]}["LOG_LEVEL"] == "info"


async def test_global_variables_are_the_companys(sandbox, sevalla_settings):
    _, state = sandbox
    async with Client(server(sevalla_settings)) as client:
        listed = await client.call_tool("env_vars", {"target": "global"})
        named = await client.call_tool("env_vars", {"target": "global", "name": "portfolio-app"})
        added = await client.call_tool("set_env_vars", {"target": "global", "values": {"TZ": "Europe/Berlin"}})
    assert [v["key"] for v in listed.structured_content["variables"]] == ["LOG_LEVEL", "SENTRY_DSN"]
    assert "Every application inherits these" in text_of(listed) and leaks(state, listed) == []
    assert named.is_error and "leave name empty" in text_of(named)
    assert not added.is_error, text_of(added)
    [post] = sent(state, "POST")
    assert post.path == "/applications/global-env-vars" and post.json == {"key": "TZ", "value": "Europe/Berlin"}
    assert var(state, "global", "TZ")[0]["value"] == "Europe/Berlin"
    assert "deploy_application for each application" in text_of(added)
    assert "Europe/Berlin" not in everything(added)


async def test_without_a_sevalla_key_nothing_is_sent(sandbox, settings):
    _, state = sandbox
    result = await call(settings, "env_vars", APP)
    assert result.is_error and "SEVALLA_API_KEY" in text_of(result) and state.requests == []


# -- set: adds by key -----------------------------------------------------------------------------


async def test_set_adds_new_keys_and_leaves_identical_values_unasked_and_unsent(sandbox, sevalla_settings):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    asker = Asker("accept")
    values = {"API_TOKEN": "tok-9f8e7d6c5b", "NODE_ENV": "production"}
    result = await call(sevalla_settings, "set_env_vars", {**APP, "values": values}, elicitation_callback=asker)
    assert not result.is_error, text_of(result)
    assert asker.asked == []  # adding is a write, and an identical value is no change
    [post] = mutations(state)
    assert post.method == "POST" and post.path == f"/applications/{app['id']}/env-vars"
    assert post.json == {"key": "API_TOKEN", "value": "tok-9f8e7d6c5b"}
    [row] = var(state, app["id"], "API_TOKEN")
    assert row["value"] == "tok-9f8e7d6c5b" and row["is_runtime"] and row["is_buildtime"]
    data = result.structured_content
    assert data["message"] == "add API_TOKEN; unchanged (same value): NODE_ENV"
    assert data["redeploy"] == "deploy_application" and data["state"] == "done"
    assert "A redeploy is needed for this to take effect" in text_of(result)
    assert "deploy_application" in text_of(result) and "tok-9f8e7d6c5b" not in everything(result)


async def test_set_with_only_identical_values_sends_nothing_and_needs_no_redeploy(sandbox, sevalla_settings):
    _, state = sandbox
    result = await call(sevalla_settings, "set_env_vars", {**APP, "values": {"NODE_ENV": "production"}})
    assert not result.is_error, text_of(result)
    assert mutations(state) == [] and result.structured_content["redeploy"] == ""
    assert "nothing to change" in text_of(result) and "redeploy" not in text_of(result)


async def test_set_refuses_to_change_a_value_and_names_the_tool_that_does(sandbox, sevalla_settings):
    _, state = sandbox
    values = {"NEW_ONE": "x1", "NODE_ENV": "staging-42"}
    result = await call(sevalla_settings, "set_env_vars", {**APP, "values": values})
    assert result.is_error and mutations(state) == []
    assert "NODE_ENV already set" in text_of(result) and "overwrite_or_delete_env_vars" in text_of(result)
    assert "staging-42" not in text_of(result)


BAD = [({}, "at least one"), ({"BAD KEY": "v"}, "is not a variable name"), ({"K": "x" * 32_769}, "longer than 32768")]


@pytest.mark.parametrize(("values", "message"), BAD)
async def test_set_refuses_bad_values_before_any_request(sandbox, sevalla_settings, values, message):
    _, state = sandbox
    result = await call(sevalla_settings, "set_env_vars", {"target": "global", "values": values})
    assert result.is_error and message in text_of(result) and state.requests == []
    assert "x" * 100 not in text_of(result)


# -- overwrite and delete: destructive, confirmed ------------------------------------------------


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_overwriting_a_changed_value_asks_the_user(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    old = var(state, app["id"], "DATABASE_URL")[0]["value"]
    new = "postgres://portfolio:n3w-Secr3t@acme-postgres.internal:5432/portfolio"
    asker = Asker(answer)
    args = {**APP, "values": {"DATABASE_URL": new}}
    result = await call(sevalla_settings, "overwrite_or_delete_env_vars", args, mode=mode, elicitation_callback=asker)
    [question] = asker.asked
    assert "Environment variables of application Portfolio App (portfolio-app): overwrite DATABASE_URL" in question
    assert "the current value is lost" in question and old not in question and new not in question
    assert new not in everything(result) and old not in everything(result)
    if answer == "accept":
        assert not result.is_error, text_of(result)
        [put] = mutations(state)
        assert put.method == "PUT" and put.json == {"value": new}
        assert put.path == f"/applications/{app['id']}/env-vars/{var(state, app['id'], 'DATABASE_URL')[0]['id']}"
        assert var(state, app["id"], "DATABASE_URL")[0]["value"] == new
        assert result.structured_content["redeploy"] == "deploy_application"
    else:
        assert result.is_error and mutations(state) == []
        assert var(state, app["id"], "DATABASE_URL")[0]["value"] == old


async def test_overwriting_with_the_same_value_is_not_asked_nor_sent(sandbox, sevalla_settings):
    _, state = sandbox
    args = {"target": "global", "values": {"LOG_LEVEL": "info"}}
    result = await call(sevalla_settings, "overwrite_or_delete_env_vars", args)
    assert not result.is_error, text_of(result)
    assert "Confirmation needed" not in text_of(result) and mutations(state) == []
    assert result.structured_content["message"] == "unchanged (same value): LOG_LEVEL"


async def test_delete_is_confirmed_with_a_preview_without_the_value(sandbox, sevalla_settings):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    [row] = var(state, app["id"], "DATABASE_URL")
    args = {**APP, "delete": ["DATABASE_URL"]}
    async with Client(server(sevalla_settings)) as client:
        preview = await client.call_tool("overwrite_or_delete_env_vars", args)
        assert mutations(state) == []
        done = await confirmed(client, "overwrite_or_delete_env_vars", args)
    text = text_of(preview)
    assert "Portfolio App (portfolio-app): delete DATABASE_URL" in text and row["value"] not in text
    assert "Until redeployed (deploy_application), the old values stay in use" in text
    assert not done.is_error, text_of(done)
    [delete] = mutations(state)
    assert delete.method == "DELETE" and delete.path == f"/applications/{app['id']}/env-vars/{row['id']}"
    assert var(state, app["id"], "DATABASE_URL") == [] and var(state, app["id"], "NODE_ENV")
    assert "A redeploy is needed" in text_of(done) and leaks(state, done) == []


async def test_an_unknown_key_is_refused_naming_the_keys_there_are(sandbox, sevalla_settings):
    _, state = sandbox
    asker = Asker("accept")
    async with Client(server(sevalla_settings), elicitation_callback=asker) as client:
        gone = await client.call_tool("overwrite_or_delete_env_vars", {**APP, "delete": ["DATABSE_URL"]})
        new = await client.call_tool("overwrite_or_delete_env_vars", {**APP, "values": {"NEW_KEY": "v"}})
    assert gone.is_error and asker.asked == [] and mutations(state) == []
    assert "has no variable DATABSE_URL. Did you mean DATABASE_URL?" in text_of(gone)
    assert "Its keys: NODE_ENV, DATABASE_URL" in text_of(gone)
    assert new.is_error and "set_env_vars adds new variables" in text_of(new)


async def test_a_variable_removed_meanwhile_fails_that_step_and_says_what_was_done(sandbox, sevalla_settings):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    secret = "sk-live-Zz81QbW0"

    async def meanwhile(context, params):
        rows_of(state).remove(var(state, app["id"], "DATABASE_URL")[0])  # someone else deleted it
        return await Asker("accept")(context, params)

    args = {**APP, "values": {"NODE_ENV": secret}, "delete": ["DATABASE_URL"]}
    # legacy: the question comes mid-call, after planning and before anything is sent
    result = await call(
        sevalla_settings, "overwrite_or_delete_env_vars", args, mode="legacy", elicitation_callback=meanwhile
    )
    assert result.is_error
    text = text_of(result)
    assert "Failed at: delete DATABASE_URL. Done before it: overwrite NODE_ENV; not sent: nothing." in text
    assert "takes effect on the next deployment (deploy_application)" in text
    assert secret not in text and var(state, app["id"], "NODE_ENV")[0]["value"] == secret


async def test_an_api_error_quoting_a_value_is_scrubbed():
    from kinsta_mcp.api import env_vars as ep
    from kinsta_mcp.tools.env_vars import Step, _runner

    class Refusing:
        async def call(self, endpoint, **kwargs):
            raise BadRequest(f'Sevalla said: "value {kwargs["body"]["value"]} is not allowed"', status=400)

    step = Step("add", "TOKEN", ep.CREATE_GLOBAL_ENV_VAR, {}, {"key": "TOKEN", "value": "s3cr3t"})
    run = _runner("Set", [step], [], "deploy_application")
    with pytest.raises(BadRequest) as failure:
        await run(Refusing())  # type: ignore[arg-type]
    assert "s3cr3t" not in failure.value.message and "value •••••• is not allowed" in failure.value.message


# -- static sites ---------------------------------------------------------------------------------


async def test_static_site_variables_per_branch_are_changed_together(sandbox, sevalla_settings):
    _, state = sandbox
    site = site_named(state, "docs-site")
    asker = Asker("accept")
    async with Client(server(sevalla_settings), elicitation_callback=asker) as client:
        listed = await client.call_tool("env_vars", {"target": "static_site", "name": "Acme Docs"})
        changed = await client.call_tool(
            "overwrite_or_delete_env_vars",
            {"target": "static_site", "name": "docs-site", "values": {"PUBLIC_API_URL": "https://api.acme.test"}},
        )
    assert [(v["key"], v["applies"]) for v in listed.structured_content["variables"]] == [
        ("PUBLIC_API_URL", "production, preview, every branch"),
        ("PUBLIC_API_URL", "preview, branch preview"),
        ("ALGOLIA_API_KEY", "production, every branch"),
    ]
    assert leaks(state, listed) == [] and "Global variables" not in text_of(listed)
    both = "production, preview, every branch; preview, branch preview"
    assert f"overwrite PUBLIC_API_URL (2 variables: {both})" in asker.asked[0]
    assert not changed.is_error, text_of(changed)
    puts = sent(state, "PUT")
    assert len(puts) == 2 and all(p.path.startswith(f"/static-sites/{site['id']}/env-vars/") for p in puts)
    assert {r["value"] for r in var(state, site["id"], "PUBLIC_API_URL")} == {"https://api.acme.test"}
    assert changed.structured_content["redeploy"] == 'manage_static_site action="deploy"'
    assert 'manage_static_site action="deploy"' in text_of(changed)
