"""The Sevalla v3 actions of applications and static sites through the real MCP client against the sandbox's
/sevalla/v3: cancel a deployment, suspend and activate, clone, processes and cron runs, the deploy hook (its
URL never shown unless revealed after the user agreed) and the IP restriction; what asks, asks, and a
declined question sends nothing; without a Sevalla key nothing is sent."""

from __future__ import annotations

import json

import pytest
from mcp import Client

from kinsta_mcp.sandbox.paas_seed import paas
from kinsta_mcp.sandbox.routes.env_vars import rows_of
from kinsta_mcp.server import build_server
from tests.paas import app_named, mutations, sent, site_named
from tests.test_tools import Asker, confirm_code, text_of

pytestmark = pytest.mark.anyio

TOOLSETS = ("applications", "static_sites")
V3 = "sevalla_v3"


def server(settings):
    return build_server(settings.with_(toolsets=TOOLSETS))


async def call(settings, tool, args, **client):
    async with Client(server(settings), **client) as session:
        return await session.call_tool(tool, args)


def everything(result) -> str:
    return text_of(result) + json.dumps(result.structured_content or {})


def hook_url(app) -> str:
    return f"https://deploy-hooks.sevalla.example/{app['id']}/{app['hook_secret']}"


def running(state, owner):
    return [d for d in owner["deployments"] if d["status"] not in ("success", "failed", "cancelled")]


# -- no Sevalla key: refused before any request ---------------------------------------------------------

NEEDS_V3 = [
    ("deploy_application", {"application": "api-service", "action": "cancel"}),
    ("manage_static_site", {"static_site": "docs-site", "action": "cancel"}),
    ("manage_application", {"application": "api-service", "action": "activate"}),
    ("manage_application", {"application": "api-service", "action": "clone", "values": {"display_name": "Copy"}}),
    ("manage_application", {"application": "api-service", "action": "process_add",
                            "values": {"display_name": "Nightly", "type": "cron", "schedule": "0 3 * * *"}}),
    ("manage_application", {"application": "api-service", "action": "process_update",
                            "values": {"process": "worker", "entrypoint": "node worker.js"}}),
    ("manage_application", {"application": "api-service", "action": "cron_run", "values": {"process": "worker"}}),
    ("manage_application", {"application": "api-service", "action": "hook_on"}),
    ("manage_application", {"application": "api-service", "action": "ip_allow", "values": {"allow": ["192.0.2.1"]}}),
    ("rollback_or_delete_application", {"application": "api-service", "action": "suspend"}),
    ("rollback_or_delete_application", {"application": "api-service", "action": "process_delete",
                                        "process": "worker"}),
    ("rollback_or_delete_application", {"application": "api-service", "action": "hook_off"}),
    ("rollback_or_delete_application", {"application": "api-service", "action": "hook_regenerate"}),
    ("list_applications", {"application": "api-service", "reveal": True}),
]  # fmt: skip


@pytest.mark.parametrize(("tool", "args"), NEEDS_V3, ids=[f"{t}-{a.get('action', 'reveal')}" for t, a in NEEDS_V3])
async def test_without_a_sevalla_key_nothing_is_sent(sandbox, settings, tool, args):
    _, state = sandbox
    asker = Asker("accept")
    result = await call(settings, tool, args, elicitation_callback=asker)
    assert result.is_error and "SEVALLA_API_KEY" in text_of(result), text_of(result)
    assert state.requests == [] and asker.asked == []


# -- cancel ---------------------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_cancel_an_apps_running_deployment(sandbox, sevalla_settings, mode):
    _, state = sandbox
    state.operation_seconds = 60.0
    app = app_named(state, "api-service")
    asker = Asker("accept")
    async with Client(server(sevalla_settings), mode=mode, elicitation_callback=asker) as client:
        started = await client.call_tool("deploy_application", {"application": "api-service", "max_wait_seconds": 0})
        [dep] = running(state, app)
        result = await client.call_tool("deploy_application", {"application": "Acme API", "action": "cancel"})
        again = await client.call_tool("deploy_application", {"application": "Acme API", "action": "cancel"})
    assert started.structured_content["state"] == "running"
    assert not result.is_error, text_of(result)
    assert asker.asked == []  # a write: what ran before keeps serving
    [cancel] = sent(state, "POST", f"/applications/{app['id']}/deployments/{dep['id']}/cancel")
    assert cancel.base == V3
    assert dep["status"] == "cancelled" and app["status"] == "deploymentCancelled"
    assert dep["id"] in result.structured_content["action"] and "Deployment cancelled" in text_of(result)
    assert again.is_error and "no deployment is running or waiting" in text_of(again)
    assert len(sent(state, "POST", f"/applications/{app['id']}/deployments/{dep['id']}/cancel")) == 1


async def test_cancel_a_static_sites_deployment_by_id_or_the_newest(sandbox, sevalla_settings):
    _, state = sandbox
    state.operation_seconds = 60.0
    site = site_named(state, "docs-site")
    finished = site["deployments"][0]["id"]
    async with Client(server(sevalla_settings.with_(max_wait=0))) as client:  # the deploy is not waited for
        await client.call_tool("manage_static_site", {"static_site": "docs-site", "action": "deploy"})
        [dep] = running(state, site)
        done_one = await client.call_tool("manage_static_site", {"static_site": "docs-site", "action": "cancel",
                                                                 "deployment_id": finished})
        result = await client.call_tool("manage_static_site", {"static_site": "Acme Docs", "action": "cancel"})
    assert done_one.is_error and f"deployment {finished} is not running or waiting" in text_of(done_one)
    assert not result.is_error, text_of(result)
    [cancel] = [r for r in mutations(state) if r.path.endswith("/cancel")]
    assert cancel.base == V3 and cancel.path == f"/static-sites/{site['id']}/deployments/{dep['id']}/cancel"
    assert dep["status"] == "cancelled" and site["status"] == "deploymentCancelled"


# -- suspend and activate -------------------------------------------------------------------------------


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_suspend_asks_and_activate_brings_it_back(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    app = app_named(state, "api-service")
    asker = Asker(answer)
    args = {"application": "api-service", "action": "suspend"}
    async with Client(server(sevalla_settings), mode=mode, elicitation_callback=asker) as client:
        suspended = await client.call_tool("rollback_or_delete_application", args)
        listed = await client.call_tool("list_applications", {"application": "api-service"})
        activated = await client.call_tool("manage_application", {"application": "api-service",
                                                                  "action": "activate"})
    [question] = asker.asked
    assert "Suspend application Acme API (api-service): every process stops" in question
    assert "stops serving requests" in question and "web (web, 2 instances" in question
    assert "worker (worker, 1 instances" in question
    if answer == "decline":
        assert suspended.is_error and mutations(state) == []
        assert "not suspended; nothing was sent" in text_of(activated)
        return
    assert not suspended.is_error, text_of(suspended)
    assert listed.structured_content["applications"][0]["status"] == "deploymentSuccess, suspended"
    assert not activated.is_error and app["is_suspended"] is False
    assert [r.path for r in mutations(state)] == [f"/applications/{app['id']}/suspend",
                                                  f"/applications/{app['id']}/activate"]
    assert {r.base for r in mutations(state)} == {V3}


async def test_suspending_a_suspended_app_sends_nothing(sandbox, sevalla_settings):
    _, state = sandbox
    app_named(state, "queue-worker")["is_suspended"] = True
    asker = Asker("accept")
    result = await call(sevalla_settings, "rollback_or_delete_application",
                        {"application": "queue-worker", "action": "suspend"}, elicitation_callback=asker)
    assert not result.is_error and "already suspended; nothing was sent" in text_of(result)
    assert asker.asked == [] and mutations(state) == []


# -- clone ----------------------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_clone_makes_a_new_app_and_follows_its_first_deployment(sandbox, sevalla_settings, mode):
    _, state = sandbox
    source = app_named(state, "portfolio-app")
    async with Client(server(sevalla_settings), mode=mode) as client:
        taken = await client.call_tool("manage_application", {"application": "portfolio-app", "action": "clone",
                                                               "values": {"display_name": "Acme API"}})
        result = await client.call_tool("manage_application", {"application": "portfolio-app", "action": "clone",
                                                                "values": {"display_name": "Portfolio Staging"}})
        listed = await client.call_tool("list_applications", {})
    assert taken.is_error and "already has the display name" in text_of(taken)
    assert not result.is_error, text_of(result)
    new = app_named(state, "portfolio-staging")
    assert new["id"] != source["id"] and new["display_name"] == "Portfolio Staging"
    assert [p["key"] for p in new["processes"]] == [p["key"] for p in source["processes"]]
    assert {r["key"] for r in rows_of(state) if r["owner"] == new["id"]} == {"NODE_ENV", "DATABASE_URL"}
    [post] = mutations(state)
    assert post.base == V3 and post.path == f"/applications/{source['id']}/clone"
    assert post.json == {"display_name": "Portfolio Staging"}
    data = result.structured_content
    assert f"new application Portfolio Staging (portfolio-staging), id {new['id']}" in data["action"]
    assert data["state"] == "done" and list(data["jobs"]) == [f"app-deploy:{new['deployments'][0]['id']}"]
    assert new["deployments"][0]["status"] == "success"
    assert "portfolio-staging" in [a["name"] for a in listed.structured_content["applications"]]


# -- processes ------------------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_add_a_cron_process_run_it_change_it_and_delete_it(sandbox, sevalla_settings, mode):
    _, state = sandbox
    app = app_named(state, "api-service")
    asker = Asker("accept")
    base = {"application": "api-service"}
    async with Client(server(sevalla_settings), mode=mode, elicitation_callback=asker) as client:
        added = await client.call_tool("manage_application", base | {"action": "process_add", "values": {
            "display_name": "Nightly report", "type": "cron", "schedule": "0 3 * * *", "entrypoint": "node report"}})
        cron = next(p for p in app["processes"] if p["key"] == "nightly-report")
        ran = await client.call_tool("manage_application", base | {"action": "cron_run",
                                                                   "values": {"process": "nightly-report"}})
        changed = await client.call_tool("manage_application", base | {"action": "process_update", "values": {
            "process": cron["id"], "schedule": "30 4 * * *"}})
        detail = await client.call_tool("list_applications", {"application": "api-service"})
        assert asker.asked == []  # adding, running and changing a cron ask nothing
        deleted = await client.call_tool("rollback_or_delete_application", base | {"action": "process_delete",
                                                                                   "process": "nightly-report"})
    assert not added.is_error, text_of(added)
    assert "it takes effect on the next deployment (deploy_application)" in text_of(added)
    [create] = sent(state, "POST", f"/applications/{app['id']}/processes")
    assert create.base == V3 and create.json == {
        "display_name": "Nightly report", "type": "cron", "schedule": "0 3 * * *", "entrypoint": "node report",
        "scaling_strategy": {"type": "manual", "config": {"instanceCount": 1}},
        "resource_type_id": cron["resource_type_id"]}
    assert cron["resource_type_name"] == "s1"  # the size of the app's processes, copied
    assert not ran.is_error and "Cron job triggered" in text_of(ran) and len(cron["_runs"]) == 1
    assert sent(state, "POST", f"/applications/{app['id']}/processes/{cron['id']}/trigger")
    assert not changed.is_error, text_of(changed)
    [patch] = sent(state, "PATCH")
    assert patch.path == f"/applications/{app['id']}/processes/{cron['id']}" and patch.json == {
        "schedule": "30 4 * * *"}
    assert "process nightly-report: 1 instances" in text_of(detail)  # the v2 detail lists it too
    [question] = asker.asked
    assert "Delete process nightly-report (cron, 1 instances, schedule 30 4 * * *" in question
    assert not deleted.is_error, text_of(deleted)
    assert [p["key"] for p in app["processes"]] == ["web", "worker"]
    assert sent(state, "DELETE", f"/applications/{app['id']}/processes/{cron['id']}")


async def test_process_mistakes_are_refused_without_a_change(sandbox, sevalla_settings):
    _, state = sandbox
    base = {"application": "api-service"}
    async with Client(server(sevalla_settings)) as client:
        second_web = await client.call_tool("manage_application", base | {"action": "process_add", "values": {
            "display_name": "Other web", "type": "web"}})
        no_schedule = await client.call_tool("manage_application", base | {"action": "process_add", "values": {
            "display_name": "Nightly", "type": "cron"}})
        not_cron = await client.call_tool("manage_application", base | {"action": "cron_run",
                                                                        "values": {"process": "worker"}})
        web = await client.call_tool("rollback_or_delete_application", base | {"action": "process_delete",
                                                                              "process": "web"})
        unknown = await client.call_tool("manage_application", base | {"action": "process_update",
                                                                       "values": {"process": "wrker", "port": 80}})
    assert "already has its one web process" in text_of(second_web)
    assert "process_add needs schedule in values" in text_of(no_schedule)
    assert "worker is a worker process; cron_run runs cron processes: none" in text_of(not_cron)
    assert "web process of Acme API (api-service) cannot be deleted" in text_of(web)
    assert "No process 'wrker'" in text_of(unknown) and "web (web), worker (worker)" in text_of(unknown)
    assert mutations(state) == []


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_a_process_update_that_stops_serving_asks(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    app = app_named(state, "api-service")
    asker = Asker(answer)
    result = await call(sevalla_settings, "manage_application", {"application": "api-service", "action":
                        "process_update", "values": {"process": "worker", "instances": 0}},
                        mode=mode, elicitation_callback=asker)
    assert "Process worker (worker, 1 instances" in asker.asked[0] and "stops serving" in asker.asked[0]
    if answer == "decline":
        assert result.is_error and mutations(state) == []
        return
    assert not result.is_error, text_of(result)
    [patch] = mutations(state)
    assert patch.json == {"scaling_strategy": {"type": "manual", "config": {"instanceCount": 0}}}
    assert app["processes"][1]["instance_count"] == 0


# -- deploy hook ----------------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_the_hook_url_is_shown_only_when_revealed_after_the_user_agreed(sandbox, sevalla_settings, mode):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    base = {"application": "portfolio-app"}
    asker = Asker("accept")
    results = []
    async with Client(server(sevalla_settings), mode=mode, elicitation_callback=asker) as client:
        off = await client.call_tool("list_applications", base)
        on = await client.call_tool("manage_application", base | {"action": "hook_on"})
        results += [on, await client.call_tool("list_applications", base)]
        assert app["hook_secret"] and len(asker.asked) == 1
        assert "anyone who has the URL can deploy this app" in asker.asked[0]
        revealed = await client.call_tool("list_applications", base | {"reveal": True})
        first = hook_url(app)
        regenerated = await client.call_tool("rollback_or_delete_application", base | {"action": "hook_regenerate"})
        results += [regenerated, await client.call_tool("manage_application", base | {"action": "hook_on"})]
        turned_off = await client.call_tool("rollback_or_delete_application", base | {"action": "hook_off"})
        results += [turned_off, await client.call_tool("list_applications", base)]
    assert off.structured_content["hook"] == "off" and "Deploy hook: off" in text_of(off)
    assert not on.is_error, text_of(on)
    assert 'list_applications with application="portfolio-app" and reveal=true shows it' in text_of(on)
    assert results[1].structured_content["hook"] == "on (URL hidden: reveal=true shows it)"
    assert "the deploy hook URL of application Portfolio App (portfolio-app)" in asker.asked[1]
    assert revealed.structured_content["hook"] == first and f"Deploy hook: {first}" in text_of(revealed)
    assert "every caller of the current URL (CI deploy steps, Git provider webhooks, scripts) fails" in asker.asked[2]
    assert not regenerated.is_error and "it is already on (list_applications" in text_of(results[3])
    assert "nothing was sent" in text_of(results[3])
    assert "its URL stops working at once" in asker.asked[3] and app["hook_secret"] is None
    assert results[5].structured_content["hook"] == "off"
    secrets = [first.rsplit("/", 1)[1]]
    assert not any(secret in everything(r) for r in results for secret in secrets)
    assert [(r.method, r.base) for r in mutations(state)] == [("POST", V3), ("PUT", V3), ("DELETE", V3)]


@pytest.mark.both_eras
async def test_a_declined_reveal_fetches_and_shows_no_url(sandbox, sevalla_settings, mode):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    app["hook_secret"] = "s3cr3th00k"
    asker = Asker("decline")
    result = await call(sevalla_settings, "list_applications", {"application": "portfolio-app", "reveal": True},
                        mode=mode, elicitation_callback=asker)
    assert result.is_error and "s3cr3th00k" not in everything(result)
    assert sent(state, "GET", f"/applications/{app['id']}/deployment-hook") == []


async def test_hook_changes_without_elicitation_need_the_code(sandbox, sevalla_settings):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    args = {"application": "portfolio-app", "action": "hook_on"}
    async with Client(server(sevalla_settings)) as client:
        preview = await client.call_tool("manage_application", args)
        assert preview.is_error and "Confirmation needed" in text_of(preview) and mutations(state) == []
        done = await client.call_tool("manage_application", args | {"confirm": confirm_code(preview)})
        missing = await client.call_tool("rollback_or_delete_application", {"application": "api-service",
                                                                           "action": "hook_regenerate"})
    assert not done.is_error and app["hook_secret"] and app["hook_secret"] not in everything(done)
    assert missing.is_error and "has no deploy hook: manage_application action=hook_on" in text_of(missing)


# -- IP restriction ---------------------------------------------------------------------------------------


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_ip_allow_says_exactly_who_may_connect_and_asks(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    app = app_named(state, "api-service")
    asker = Asker(answer)
    ips = ["203.0.113.0/24", "198.51.100.7"]
    async with Client(server(sevalla_settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("manage_application", {"application": "api-service", "action": "ip_allow",
                                                               "values": {"allow": ips}})
        listed = await client.call_tool("list_applications", {"application": "api-service"})
    [question] = asker.asked
    assert "only 203.0.113.0/24, 198.51.100.7 may connect; every other address is refused" in question
    assert "locks that traffic out" in question and "Now: off (every address may connect)" in question
    if answer == "decline":
        assert result.is_error and mutations(state) == []
        assert listed.structured_content["ip_restriction"] == "off (every address may connect)"
        return
    assert not result.is_error, text_of(result)
    [put] = mutations(state)
    assert put.base == V3 and put.json == {"type": "allow", "is_enabled": True, "ip_list": ips}
    assert app["ip_restriction"] == {"type": "allow", "is_enabled": True, "ip_list": ips}
    assert "IP restriction: only 203.0.113.0/24, 198.51.100.7 may connect" in text_of(listed)


async def test_ip_deny_lift_and_bad_input(sandbox, sevalla_settings):
    _, state = sandbox
    app = app_named(state, "api-service")
    app["ip_restriction"] = {"type": "allow", "is_enabled": True, "ip_list": ["192.0.2.1"]}
    base = {"application": "api-service", "action": "ip_allow"}
    async with Client(server(sevalla_settings)) as client:
        bad = await client.call_tool("manage_application", base | {"values": {"deny": ["999.1.1.1"]}})
        both = await client.call_tool("manage_application", base | {"values": {"deny": ["192.0.2.9"],
                                                                              "allow": ["192.0.2.1"]}})
        empty = await client.call_tool("manage_application", base | {"values": {"allow": []}})
        lift = await client.call_tool("manage_application", base | {"values": {"enabled": False}})
        lifted = await client.call_tool("manage_application", base | {"values": {"enabled": False},
                                                                      "confirm": confirm_code(lift)})
        deny = await client.call_tool("manage_application", base | {"values": {"deny": ["192.0.2.9"]}})
    assert "'999.1.1.1' is not an IP address or CIDR range" in text_of(bad)
    assert "takes one of" in text_of(both) and 'pass {"enabled": false}' in text_of(empty)
    assert "the restriction is lifted: every address may connect again. Now: only 192.0.2.1" in text_of(lift)
    assert not lifted.is_error, text_of(lifted)
    assert "192.0.2.9 are blocked; every other address may connect" in text_of(deny)
    [put] = mutations(state)
    assert put.json == {"type": "allow", "is_enabled": False, "ip_list": ["192.0.2.1"]}
    assert app["ip_restriction"]["is_enabled"] is False


# -- listing ----------------------------------------------------------------------------------------------


async def test_pipelines_show_their_stages_and_preview_state(sandbox, sevalla_settings):
    _, state = sandbox
    pipeline = paas(state)["pipelines"][0]
    before = await call(sevalla_settings, "list_applications", {})
    pipeline["stages"].insert(0, {"id": "00000000-0000-0000-0000-000000000000", "display_name": "Pull requests",
                                  "type": "preview", "apps": []})
    after = await call(sevalla_settings, "list_applications", {})
    assert "Pipeline Acme API pipeline: Staging → Production; preview apps off" in text_of(before)
    assert "Pull requests (preview) → Staging → Production; preview apps on" in text_of(after)
