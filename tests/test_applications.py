"""Applications (Sevalla; the Kinsta-era v2 API) through the real MCP client, against the sandbox on both
bases: Kinsta /v2 without a Sevalla key, Sevalla /sevalla/v2 (and v3 for rollback) with one."""

from __future__ import annotations

import pytest
from mcp import Client

from kinsta_mcp.gate import Risk
from kinsta_mcp.registry import load_all
from kinsta_mcp.sandbox.paas_seed import paas
from kinsta_mcp.server import build_server
from tests.paas import V2_BASE, app_named, mutations, sent
from tests.test_tools import Asker, confirm_code, confirmed, text_of

pytestmark = pytest.mark.anyio

TOOLSET = ("default", "applications")


# -- listing -----------------------------------------------------------------------------------


async def test_list_applications_and_pipelines_on_both_bases(sandbox, paas_settings, base, mode):
    _, state = sandbox
    async with Client(build_server(paas_settings), mode=mode) as client:
        result = await client.call_tool("list_applications", {})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert [a["name"] for a in data["applications"]] == ["portfolio-app", "api-service", "queue-worker"]
    assert data["total"] == 3 and data["next_offset"] == -1
    assert data["applications"][1] == {"id": app_named(state, "api-service")["id"], "name": "api-service",
                                       "display_name": "Acme API", "status": "deploymentSuccess"}
    text = text_of(result)
    assert "Acme API (api-service) [deploymentSuccess]" in text
    assert "Pipeline Acme API pipeline: Staging → Production" in text
    listed = sent(state, "GET", "/applications")
    assert listed[0].query == {"company": state.company_id, "limit": "100", "offset": "0"}
    assert sent(state, "GET", "/pipelines")[0].query["company"] == state.company_id
    assert {r.base for r in listed} == {V2_BASE[base]}
    # With a Sevalla key the company comes from Sevalla's own /validate, asked once.
    validates = [r for r in sent(state, "GET", "/validate") if r.base == "sevalla_v2"]
    assert len(validates) == (1 if base == "sevalla" else 0)


async def test_list_applications_pages(sandbox, settings):
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        result = await client.call_tool("list_applications", {"limit": 1, "offset": 1})
    data = result.structured_content
    assert [a["name"] for a in data["applications"]] == ["api-service"]
    assert data["next_offset"] == 2 and "1 of 3 applications" in text_of(result)


async def test_one_application_with_processes_deployments_and_connections(sandbox, paas_settings, base):
    _, state = sandbox
    app = app_named(state, "api-service")
    async with Client(build_server(paas_settings)) as client:
        result = await client.call_tool("list_applications", {"application": "Acme API"})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert data["applications"][0]["id"] == app["id"]
    assert [{k: p[k] for k in ("id", "key", "instances")} for p in data["processes"]] == [
        {"id": p["id"], "key": p["key"], "instances": p["instance_count"]} for p in app["processes"]]
    assert [p["instances"] for p in data["processes"]] == [2, 1]
    text = text_of(result)
    assert "process web: 2 instances, size s1, runs `npm start`" in text
    assert "from main: Update dependencies" in text and "connected to database acme-postgres" in text
    assert "Hibernation: off" in text
    paths = [r.path for r in state.requests if r.method == "GET"]
    assert f"/applications/{app['id']}" in paths
    assert [p for p in paths if p.startswith("/applications/processes/")] == [
        f"/applications/processes/{p['id']}" for p in app["processes"]]


async def test_unknown_application_is_a_clear_error(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        result = await client.call_tool("list_applications", {"application": "api-servce"})
    assert result.is_error and "Did you mean 'api-service'" in text_of(result)
    assert {r.path for r in state.requests} == {"/applications"}


async def test_moved_account_on_kinsta_points_at_the_sevalla_key(sandbox, settings):
    _, state = sandbox
    state.paas_moved = True
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        result = await client.call_tool("list_applications", {})
    assert result.is_error and "SEVALLA_API_KEY" in text_of(result) and "moved" in text_of(result)


async def test_tool_list_risks(sevalla_settings, settings):
    async with Client(build_server(sevalla_settings)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    async with Client(build_server(settings)) as client:
        plain = {t.name for t in (await client.list_tools()).tools}
    async with Client(build_server(sevalla_settings.with_(read_only=True))) as client:
        read_only = {t.name for t in (await client.list_tools()).tools}
    changes = {"deploy_application", "manage_application", "rollback_or_delete_application"}
    assert {"list_applications"} | changes <= set(tools)
    assert "list_applications" not in plain  # no Sevalla key, not asked for: not offered
    assert tools["list_applications"].annotations.read_only_hint is True
    assert tools["deploy_application"].annotations.destructive_hint is False
    assert "confirm" not in tools["deploy_application"].input_schema["properties"]
    # Settings, scaling, caches and restart delete nothing: a write tool; restart is still confirmed.
    assert tools["manage_application"].annotations.destructive_hint is False
    assert not tools["manage_application"].annotations.read_only_hint
    assert "confirm" in tools["manage_application"].input_schema["properties"]
    assert tools["rollback_or_delete_application"].annotations.destructive_hint is True
    assert "confirm" in tools["rollback_or_delete_application"].input_schema["properties"]
    assert "wait" not in tools["deploy_application"].input_schema["properties"]["action"]["enum"]
    assert "list_applications" in read_only and changes.isdisjoint(read_only)


def test_every_action_has_the_risk_its_tool_announces():
    import typing

    tools = load_all()
    expected = {"deploy_application": {Risk.WRITE}, "manage_application": {Risk.WRITE, Risk.SENSITIVE},
                "rollback_or_delete_application": {Risk.DESTRUCTIVE}}
    for name, allowed in expected.items():
        actions = typing.get_args(typing.get_type_hints(tools[name].fn)["action"])
        assert actions and {tools[name].action_risk(a) for a in actions} <= allowed, name
    for action in ("restart", "hook_on", "ip_allow"):  # they grant access or stop serving: the gate asks
        assert tools["manage_application"].action_risk(action) is Risk.SENSITIVE
    assert set(typing.get_args(typing.get_type_hints(tools["rollback_or_delete_application"].fn)["action"])) == {
        "rollback", "suspend", "delete", "process_delete", "hook_off", "hook_regenerate"}


# -- deployments -------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_deploy_reports_progress_until_success(sandbox, paas_settings, base, mode):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    progress = []

    async def on_progress(value, total, message):
        progress.append(message)

    async with Client(build_server(paas_settings), mode=mode) as client:
        result = await client.call_tool("deploy_application", {"application": "Portfolio App", "branch": "develop"},
                                        progress_callback=on_progress)
        detail = await client.call_tool("list_applications", {"application": "portfolio-app"})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    new = app["deployments"][-1]
    assert data["state"] == "done" and list(data["jobs"]) == [f"app-deploy:{new['id']}"]
    assert new["status"] == "success" and new["branch"] == "develop" and app["status"] == "deploymentSuccess"
    assert [r.json for r in sent(state, "POST", "/applications/deployments")] == [
        {"app_id": app["id"], "branch": "develop"}]
    polls = sent(state, "GET", f"/applications/deployments/{new['id']}")
    assert polls and {r.base for r in polls} == {V2_BASE[base]}
    assert "started" in progress[0] and any("building" in m for m in progress)
    assert "success" in progress[-1] and "Deploy develop to Portfolio App (portfolio-app)" in progress[-1]
    assert f"(id {new['id']})" in text_of(detail)  # the next read shows it


async def test_deploy_default_branch_and_docker_image(sandbox, settings):
    _, state = sandbox
    app = app_named(state, "queue-worker")
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        default = await client.call_tool("deploy_application", {"application": "queue-worker"})
        image = await client.call_tool("deploy_application", {"application": "queue-worker",
                                                              "branch": "ghcr.io/acme/queue:1.4"})
    assert not default.is_error and not image.is_error, text_of(image)
    assert [r.json for r in sent(state, "POST", "/applications/deployments")] == [
        {"app_id": app["id"]}, {"app_id": app["id"], "docker_image": "ghcr.io/acme/queue:1.4"}]
    assert [d["branch"] for d in app["deployments"][-2:]] == ["production", "ghcr.io/acme/queue:1.4"]
    assert "Deploy the default branch to Queue Worker" in text_of(default)


async def test_failed_deployment_raises(sandbox, paas_settings):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    async with Client(build_server(paas_settings)) as client:
        result = await client.call_tool("deploy_application", {"application": "portfolio-app", "branch": "broken"})
    assert result.is_error
    text = text_of(result)
    assert "Failed: Deploy broken to Portfolio App" in text and "said: \"failed\"" in text
    assert app["deployments"][-1]["id"] in text and app["status"] == "deploymentFailed"
    assert f"Its build log: app_logs kind=build deployment={app['deployments'][-1]['id']}" in text


async def test_slow_deployment_returns_running_then_wait_for_job_finishes_it(sandbox, settings, mode):
    _, state = sandbox
    state.operation_seconds = 1.0
    app = app_named(state, "api-service")
    async with Client(build_server(settings.with_(toolsets=TOOLSET)), mode=mode) as client:
        started = await client.call_tool("deploy_application", {"application": "api-service",
                                                                "max_wait_seconds": 0.2})
        keys = list(started.structured_content["jobs"])
        assert started.structured_content["state"] == "running"
        assert keys == [f"app-deploy:{app['deployments'][-1]['id']}"]
        assert f"call wait_for_job with jobs={keys!r}" in text_of(started)
        finished = await client.call_tool("wait_for_job", {"jobs": keys, "max_wait_seconds": 5})
    assert finished.structured_content["state"] == "done", text_of(finished)
    assert "success" in finished.structured_content["message"]
    assert len(sent(state, "POST")) == 1  # waiting started nothing new


async def test_waiting_is_wait_for_job_and_misspelt_arguments_are_refused(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        wait = await client.call_tool("deploy_application", {"application": "api-service", "action": "wait"})
        misspelt = await client.call_tool("deploy_application", {"application": "api-service", "brnach": "dev"})
        assert wait.is_error and misspelt.is_error and "did you mean 'branch'" in text_of(misspelt)
        assert state.requests == []
        unknown = await client.call_tool("wait_for_job", {"jobs": ["app-deploy:nope"], "max_wait_seconds": 2})
    assert unknown.structured_content["state"] == "unknown", text_of(unknown)
    assert "knows no deployment nope" in unknown.structured_content["message"]


async def test_promote_through_the_pipeline(sandbox, paas_settings, mode):
    _, state = sandbox
    source, target = app_named(state, "portfolio-app"), app_named(state, "api-service")
    build = source["deployments"][-1]
    async with Client(build_server(paas_settings), mode=mode) as client:
        result = await client.call_tool("deploy_application", {"application": "Portfolio App", "action": "promote",
                                                               "targets": ["Acme API"]})
    assert not result.is_error, text_of(result)
    promoted = target["deployments"][-1]
    assert list(result.structured_content["jobs"]) == [f"app-deploy:{promoted['id']}"]
    assert result.structured_content["state"] == "done" and promoted["status"] == "success"
    assert promoted["commit_sha"] == build["commit_sha"]  # the source's build, not a new one
    assert [r.json for r in sent(state, "POST", "/applications/promote")] == [
        {"source_app_id": source["id"], "target_app_ids": [target["id"]]}]
    assert "Promote Portfolio App (portfolio-app) to Acme API (api-service)" in text_of(result)


async def test_promote_to_several_apps_lists_the_apps_once_and_follows_each(sandbox, sevalla_settings):
    _, state = sandbox
    source, api, worker = (app_named(state, n) for n in ("portfolio-app", "api-service", "queue-worker"))
    paas(state)["pipelines"][0]["stages"][1]["apps"].append(worker["id"])  # two apps in production
    async with Client(build_server(sevalla_settings)) as client:
        result = await client.call_tool("deploy_application", {"application": "portfolio-app", "action": "promote",
                                                               "targets": ["Acme API", "queue-worker"]})
    assert not result.is_error, text_of(result)
    assert len(sent(state, "GET", "/applications")) == 1  # one listing for the source and both targets
    assert sent(state, "POST", "/applications/promote")[0].json == {
        "source_app_id": source["id"], "target_app_ids": [api["id"], worker["id"]]}
    jobs = result.structured_content["jobs"]
    assert list(jobs) == [f"app-deploy:{a['deployments'][-1]['id']}" for a in (api, worker)]
    assert list(jobs.values()) == ["done", "done"] and result.structured_content["state"] == "done"
    assert "Promote to Queue Worker" in text_of(result)


async def test_promote_input_errors(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        no_targets = await client.call_tool("deploy_application", {"application": "portfolio-app",
                                                                   "action": "promote"})
        assert no_targets.is_error and "needs targets" in text_of(no_targets) and state.requests == []
        itself = await client.call_tool("deploy_application", {"application": "portfolio-app", "action": "promote",
                                                               "targets": ["Portfolio App"]})
        outside = await client.call_tool("deploy_application", {"application": "portfolio-app",
                                                                 "action": "promote", "targets": ["queue-worker"]})
    assert itself.is_error and "cannot be promoted to itself" in text_of(itself)
    assert outside.is_error and "not in the same pipeline" in text_of(outside)
    assert len(sent(state, "POST")) == 1  # only the refused promotion reached the API


# -- settings, scaling, cache ------------------------------------------------------------------


async def test_update_settings_shows_on_the_next_read(sandbox, paas_settings, mode):
    _, state = sandbox
    app = app_named(state, "queue-worker")
    values = {"display_name": "Jobs", "hibernation_enabled": True, "hibernate_after_seconds": 600}
    async with Client(build_server(paas_settings), mode=mode) as client:
        result = await client.call_tool("manage_application", {"application": "Queue Worker", "action": "update",
                                                               "values": values})
        listed = await client.call_tool("list_applications", {"application": "queue-worker"})
    assert not result.is_error, text_of(result)
    assert [r.json for r in sent(state, "PUT", f"/applications/{app['id']}")] == [values]
    assert "display_name='Jobs'" in result.structured_content["message"]
    assert listed.structured_content["applications"][0]["display_name"] == "Jobs"
    assert "Hibernation: after 600 s idle" in text_of(listed)


@pytest.mark.parametrize(("action", "values", "error"), [
    ("update", {}, "update needs values"),
    ("update", {"name": "x"}, "'name' is not an application setting"),
    ("update", {"auto_deploy": "yes"}, "auto_deploy must be true or false"),
    ("update", {"hibernate_after_seconds": True}, "hibernate_after_seconds must be whole seconds (got True)"),
    ("update", {"build_type": "make"}, "build_type must be one of dockerfile, pack, nixpacks"),
    ("update", {"auto_deplyo": True}, "'auto_deplyo' is not an application setting — did you mean 'auto_deploy'?"),
    # every wrong key at once, not one per retry
    ("update", {"auto_deploy": "yes", "build_path": " "}, "auto_deploy must be true or false (got 'yes'); build_path"),
    ("update", {"display_name": None}, "display_name cannot be null"),
    ("scale", {"process": "web"}, "scale takes values"),
    ("scale", {"instances": 2, "min_instances": 1}, "not both"),
    ("scale", {"instances": 51}, "instances must be a whole number from 0 to 50 (got 51)"),
    ("scale", {"min_instances": 3, "max_instances": 2}, "1 <= min_instances <= max_instances <= 50"),
    ("scale", {"instances": "2"}, "instances must be a whole number"),
])
async def test_bad_values_are_refused_without_a_request(sandbox, settings, action, values, error):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        result = await client.call_tool("manage_application", {"application": "api-service", "action": action,
                                                               "values": values})
    assert result.is_error and error in text_of(result)
    assert state.requests == []


async def test_scale_a_process_by_key(sandbox, paas_settings, mode):
    _, state = sandbox
    app = app_named(state, "api-service")
    web = app["processes"][0]
    async with Client(build_server(paas_settings), mode=mode) as client:
        result = await client.call_tool("manage_application", {"application": "api-service", "action": "scale",
                                                               "values": {"process": "web", "instances": 3}})
        listed = await client.call_tool("list_applications", {"application": "api-service"})
    assert not result.is_error, text_of(result)
    assert [r.json for r in sent(state, "PUT", f"/applications/processes/{web['id']}")] == [
        {"scaling_strategy": {"type": "manual", "config": {"instanceCount": 3}}}]
    assert result.structured_content["message"] == "2 instances → 3 instances"
    first = listed.structured_content["processes"][0]
    assert {k: first[k] for k in ("id", "key", "instances")} == {"id": web["id"], "key": "web", "instances": 3}


async def test_autoscaling_and_entrypoint_on_the_only_process(sandbox, settings):
    _, state = sandbox
    process = app_named(state, "portfolio-app")["processes"][0]
    values = {"min_instances": 1, "max_instances": 4, "target_cpu_percent": 70, "entrypoint": "node server.js"}
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        result = await client.call_tool("manage_application", {"application": "portfolio-app", "action": "scale",
                                                               "values": values})
    assert not result.is_error, text_of(result)
    assert sent(state, "PUT", f"/applications/processes/{process['id']}")[0].json == {
        "entrypoint": "node server.js",
        "scaling_strategy": {"type": "horizontal",
                             "config": {"minInstanceCount": 1, "maxInstanceCount": 4, "targetCpuPercent": 70}}}
    assert "autoscaling 1-4 instances at 70% CPU" in text_of(result) and process["entrypoint"] == "node server.js"


async def test_scale_needs_the_process_when_there_are_several(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        vague = await client.call_tool("manage_application", {"application": "api-service", "action": "scale",
                                                              "values": {"instances": 1}})
        wrong = await client.call_tool("manage_application", {"application": "api-service", "action": "scale",
                                                              "values": {"process": "cron", "instances": 1}})
    assert vague.is_error
    assert "Say which process of Acme API (api-service); its processes: web, worker" in text_of(vague)
    assert wrong.is_error and "No process 'cron'" in text_of(wrong)
    assert mutations(state) == []


@pytest.mark.both_eras
async def test_scaling_to_zero_asks_first(sandbox, settings, mode):
    _, state = sandbox
    worker = app_named(state, "api-service")["processes"][1]
    args = {"application": "api-service", "action": "scale", "values": {"process": "worker", "instances": 0}}
    async with Client(build_server(settings.with_(toolsets=TOOLSET)), mode=mode) as client:
        preview = await client.call_tool("manage_application", args)
        assert preview.is_error and "Confirmation needed" in text_of(preview) and mutations(state) == []
        assert "from 1 instances to 0 instances: it stops serving" in text_of(preview)
        done = await client.call_tool("manage_application", args | {"confirm": confirm_code(preview)})
    assert not done.is_error, text_of(done)
    assert worker["instance_count"] == 0 and len(mutations(state)) == 1


async def test_cdn_and_edge_cache_reach_the_wanted_state(sandbox, paas_settings):
    _, state = sandbox
    app = app_named(state, "api-service")
    toggles = f"/applications/{app['id']}/cdn/toggle-status"
    async with Client(build_server(paas_settings)) as client:
        on = await client.call_tool("manage_application", {"application": "api-service", "action": "cdn_on"})
        assert len(sent(state, "POST", toggles)) == 1 and app["cdn_enabled"] is True
        again = await client.call_tool("manage_application", {"application": "api-service", "action": "cdn_on"})
        assert len(sent(state, "POST", toggles)) == 3 and app["cdn_enabled"] is True
        off = await client.call_tool("manage_application", {"application": "api-service", "action": "cdn_off"})
        edge = await client.call_tool("manage_application", {"application": "api-service",
                                                             "action": "edge_cache_on"})
        cleared = await client.call_tool("manage_application", {"application": "api-service",
                                                                "action": "clear_cache"})
    assert on.structured_content["message"] == "CDN is now on"
    assert "it already was" in again.structured_content["message"]
    assert off.structured_content["message"] == "CDN is now off" and app["cdn_enabled"] is False
    assert edge.structured_content["message"] == "Edge cache is now on" and app["edge_cache_enabled"] is True
    assert cleared.structured_content["message"] == "cleared" and "last_cache_clear" in app
    assert len(sent(state, "POST", f"/applications/{app['id']}/clear-cache")) == 1


# -- restart, rollback, delete -----------------------------------------------------------------


@pytest.mark.both_eras
async def test_restart_asks_and_redeploys_without_a_build(sandbox, paas_settings, mode):
    _, state = sandbox
    app = app_named(state, "api-service")
    asker = Asker("accept")
    async with Client(build_server(paas_settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("manage_application", {"application": "api-service", "action": "restart"})
    assert not result.is_error, text_of(result)
    assert len(asker.asked) == 1 and "Restart application Acme API (api-service)" in asker.asked[0]
    assert "(web, worker)" in asker.asked[0]
    assert [r.json for r in sent(state, "POST", "/applications/deployments")] == [
        {"app_id": app["id"], "is_restart": True}]
    assert result.structured_content["state"] == "done"
    assert list(result.structured_content["jobs"]) == [f"app-deploy:{app['deployments'][-1]['id']}"]


@pytest.mark.both_eras
@pytest.mark.parametrize(("action", "confirm"), [("decline", False), ("accept", False)])
async def test_restart_and_delete_send_nothing_when_the_user_says_no(sandbox, settings, mode, action, confirm):
    _, state = sandbox
    asker = Asker(action, confirm)
    async with Client(build_server(settings.with_(toolsets=TOOLSET)), mode=mode, elicitation_callback=asker) as client:
        restart = await client.call_tool("manage_application", {"application": "api-service", "action": "restart",
                                                                 "confirm": "AAAAAA"})
        delete = await client.call_tool("rollback_or_delete_application", {"application": "api-service",
                                                                           "action": "delete", "confirm": "AAAAAA"})
    assert len(asker.asked) == 2  # asked even though the model passed a code
    assert restart.is_error and delete.is_error and "nothing was changed" in text_of(delete)
    assert mutations(state) == []


async def test_rollback_needs_sevalla(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        result = await client.call_tool("rollback_or_delete_application", {"application": "api-service",
                                                                           "action": "rollback"})
    assert result.is_error and "SEVALLA_API_KEY" in text_of(result) and state.requests == []


@pytest.mark.both_eras
async def test_rollback_on_sevalla_v3_then_follows_on_v2(sandbox, sevalla_settings, mode):
    _, state = sandbox
    app = app_named(state, "api-service")
    previous = sorted(app["deployments"], key=lambda d: d["created_at"])[-2]
    asker = Asker("accept")
    async with Client(build_server(sevalla_settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("rollback_or_delete_application", {"application": "Acme API",
                                                                           "action": "rollback"})
    assert not result.is_error, text_of(result)
    assert "Roll back application Acme API (api-service)" in asker.asked[0]
    assert "Update dependencies" in asker.asked[0]  # the recent deployments are shown
    rollback = sent(state, "POST", f"/applications/{app['id']}/deployments/rollback")
    assert len(rollback) == 1 and rollback[0].base == "sevalla_v3"
    new = app["deployments"][-1]
    assert list(result.structured_content["jobs"]) == [f"app-deploy:{new['id']}"]
    assert new["status"] == "success" and result.structured_content["state"] == "done"
    assert new["commit_sha"] == previous["commit_sha"]
    polls = sent(state, "GET", f"/applications/deployments/{new['id']}")
    assert polls and {r.base for r in polls} == {"sevalla_v2"}


@pytest.mark.both_eras
async def test_delete_without_elicitation_needs_confirm_after_a_preview(sandbox, paas_settings, mode):
    _, state = sandbox
    app = app_named(state, "api-service")
    async with Client(build_server(paas_settings), mode=mode) as client:
        args = {"application": "Acme API", "action": "delete"}
        preview = await client.call_tool("rollback_or_delete_application", args)
        assert preview.is_error and mutations(state) == []
        text = text_of(preview)
        assert "Confirmation needed" in text and 'confirm="' in text
        assert f"Delete application Acme API (api-service) (id {app['id']})" in text
        assert "processes (web, worker), its 3 deployments and 1 internal connections" in text
        assert "acme-postgres" in text  # the connection that goes with it is named
        wrong = await client.call_tool("rollback_or_delete_application", args | {"confirm": "AAAAAA"})
        assert wrong.is_error and mutations(state) == []
        done = await client.call_tool("rollback_or_delete_application", args | {"confirm": confirm_code(preview)})
        listed = await client.call_tool("list_applications", {})
    assert not done.is_error, text_of(done)
    assert [r.path for r in sent(state, "DELETE")] == [f"/applications/{app['id']}"]
    assert "is being deleted" in done.structured_content["message"]
    assert "api-service" not in [a["name"] for a in listed.structured_content["applications"]]


async def test_delete_during_a_deployment_is_refused_by_the_api(sandbox, settings):
    _, state = sandbox
    state.operation_seconds = 5.0
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        await client.call_tool("deploy_application", {"application": "queue-worker", "max_wait_seconds": 0})
        result = await confirmed(client, "rollback_or_delete_application", {"application": "queue-worker",
                                                                            "action": "delete"})
    assert result.is_error and "while a deployment is in progress" in text_of(result)
    assert app_named(state, "queue-worker")["status"] == "deploymentInProgress"


async def test_rollback_without_elicitation_sends_nothing_before_the_code(sandbox, sevalla_settings):
    _, state = sandbox
    app = app_named(state, "api-service")
    latest = sorted(app["deployments"], key=lambda d: d["created_at"])[-1]
    args = {"application": "api-service", "action": "rollback"}
    async with Client(build_server(sevalla_settings)) as client:
        preview = await client.call_tool("rollback_or_delete_application", args)
        assert preview.is_error and mutations(state) == []
        text = text_of(preview)
        # What is lost: the build running now, named by its deployment.
        assert "the latest deployment (" in text and latest["commit_message"] in text and "is replaced" in text
        done = await client.call_tool("rollback_or_delete_application", args | {"confirm": confirm_code(preview)})
    assert not done.is_error, text_of(done)
    assert [(r.method, r.path) for r in mutations(state)] == [
        ("POST", f"/applications/{app['id']}/deployments/rollback")]
    assert next(iter(done.structured_content["jobs"])).startswith("app-deploy:")
