"""Pipelines on Sevalla v3 through the real MCP client against the sandbox's /sevalla/v3: created, renamed and
reordered, stages added, apps put into and taken out of stages, preview apps turned on, set and (after
the user agreed) off, and an app's build promoted with its deployments followed."""

from __future__ import annotations

import pytest
from mcp import Client

from kinsta_mcp.sandbox.routes.pipelines_v3 import pipelines_of
from kinsta_mcp.server import build_server
from tests.paas import app_named, mutations
from tests.test_tools import Asker, text_of

pytestmark = pytest.mark.anyio

TOOLSETS = ("applications",)


def server(settings):
    return build_server(settings.with_(toolsets=TOOLSETS))


async def call(settings, args, **client):
    async with Client(server(settings), **client) as session:
        return await session.call_tool("manage_pipeline", args)


def pipeline(state, name="Acme API pipeline"):
    return next(p for p in pipelines_of(state) if p["display_name"] == name)


def stages(state, name="Acme API pipeline"):
    return [s["display_name"] for s in pipeline(state, name)["stages"]]


def stage(state, name, pipeline_name="Acme API pipeline"):
    return next(s for s in pipeline(state, pipeline_name)["stages"] if s["display_name"] == name)


@pytest.mark.both_eras
async def test_create_makes_a_pipeline_with_its_two_default_stages(sandbox, sevalla_settings, mode):
    _, state = sandbox
    asker = Asker("accept")
    args = {"action": "create", "pipeline": "Shop", "values": {"type": "branch"}}
    async with Client(server(sevalla_settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("manage_pipeline", args)
        listed = await client.call_tool("list_applications", {})  # the v2 listing shows it too
    assert not result.is_error, text_of(result)
    assert "Shop" in text_of(listed)
    [post] = mutations(state)
    assert post.base == "sevalla_v3" and post.path == "/pipelines"
    assert post.json == {"display_name": "Shop", "type": "branch"} and asker.asked == []
    made = pipeline(state, "Shop")
    assert stages(state, "Shop") == ["Dev", "Production"] and made["type"] == "branch"
    assert result.structured_content["message"] == f"Shop [branch]: Dev → Production (id {made['id']})"


async def test_create_without_values_says_every_key_and_sends_nothing(sandbox, sevalla_settings):
    _, state = sandbox
    result = await call(sevalla_settings, {"action": "create"})
    assert result.is_error and state.requests == []
    assert "create takes values: display_name, type, project_id (optional)" in text_of(result)


async def test_update_renames_and_reorders_the_stages_by_name(sandbox, sevalla_settings):
    _, state = sandbox
    row = pipeline(state)
    staging, production = (stage(state, n)["id"] for n in ("Staging", "Production"))
    values = {"display_name": "API", "stage_order": ["production", "Staging"]}
    async with Client(server(sevalla_settings)) as client:
        partial = await client.call_tool(
            "manage_pipeline", {"action": "update", "pipeline": "Acme API", "values": {"stage_order": ["Staging"]}}
        )
        result = await client.call_tool(
            "manage_pipeline", {"action": "update", "pipeline": "Acme API", "values": values}
        )
    assert partial.is_error and "names every stage once, in the new order: Staging, Production" in text_of(partial)
    assert not result.is_error, text_of(result)
    [patch] = mutations(state)
    assert patch.method == "PATCH" and patch.path == f"/pipelines/{row['id']}"
    assert patch.json == {
        "display_name": "API",
        "stage_order": [{"stage_id": production, "order": 0}, {"stage_id": staging, "order": 1}],
    }
    assert stages(state, "API") == ["Production", "Staging"]
    assert "API [trunk]: Production → Staging" in text_of(result)


async def test_a_stage_is_added_before_another_named_one(sandbox, sevalla_settings):
    _, state = sandbox
    row = pipeline(state)
    args = {
        "action": "add_stage",
        "pipeline": row["id"],
        "values": {"display_name": "QA", "insert_before": "Production", "branch": "qa"},
    }
    result = await call(sevalla_settings, args)
    assert not result.is_error, text_of(result)
    [post] = mutations(state)
    assert post.path == f"/pipelines/{row['id']}/stages"
    assert post.json == {"display_name": "QA", "insert_before": 1, "branch": "qa"}
    assert stages(state) == ["Staging", "QA", "Production"] and stage(state, "QA")["branch"] == "qa"
    assert "Staging → QA → Production" in text_of(result)


async def test_apps_are_put_into_and_taken_out_of_stages(sandbox, sevalla_settings):
    _, state = sandbox
    row = pipeline(state)
    worker, portfolio = app_named(state, "queue-worker"), app_named(state, "portfolio-app")
    asker = Asker("accept")
    async with Client(server(sevalla_settings), elicitation_callback=asker) as client:
        added = await client.call_tool(
            "manage_pipeline",
            {
                "action": "add_app",
                "pipeline": "Acme API pipeline",
                "values": {"app": "Queue Worker", "stage": "staging"},
            },
        )
        removed = await client.call_tool(
            "manage_pipeline",
            {
                "action": "remove_app",
                "pipeline": "Acme API pipeline",
                "values": {"app": "portfolio-app", "stage": "Staging"},
            },
        )
        wrong = await client.call_tool(
            "manage_pipeline",
            {"action": "add_app", "pipeline": "Acme API pipeline", "values": {"app": "queue-worker", "stage": "Prod"}},
        )
        missing = await client.call_tool("manage_pipeline", {"action": "add_app", "pipeline": "Acme API pipeline"})
    assert not added.is_error and not removed.is_error, text_of(added) + text_of(removed)
    assert asker.asked == []
    staging = stage(state, "Staging")
    post, delete = mutations(state)[:2]
    assert post.path == f"/pipelines/{row['id']}/stages/{staging['id']}/apps" and post.json == {"app_id": worker["id"]}
    assert delete.method == "DELETE"
    assert delete.path == f"/pipelines/{row['id']}/stages/{staging['id']}/apps/{portfolio['id']}"
    assert staging["apps"] == [worker["id"]]
    assert "Add Queue Worker (queue-worker) to stage Staging of Acme API pipeline" in text_of(added)
    assert wrong.is_error and "already in a pipeline stage" in text_of(wrong)
    assert missing.is_error and "add_app takes values: app, stage" in text_of(missing) and len(mutations(state)) == 3


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_preview_apps_on_and_set_without_asking_off_through_the_catalogue_only_when_agreed(
    sandbox, sevalla_settings, mode, answer
):
    """Turning preview apps off deletes them: not in the write tool, but a destructive catalogue call."""
    _, state = sandbox
    row, worker = pipeline(state), app_named(state, "queue-worker")
    asker = Asker(answer)
    name = {"pipeline": "Acme API pipeline"}
    both = build_server(sevalla_settings.with_(toolsets=(*TOOLSETS, "endpoints")))
    async with Client(both, mode=mode, elicitation_callback=asker) as client:
        on = await client.call_tool(
            "manage_pipeline",
            {
                "action": "preview_on",
                **name,
                "values": {"repo_url": "https://github.com/acme-digital/api", "auto_create_app": True},
            },
        )
        again = await client.call_tool("manage_pipeline", {"action": "preview_on", **name})
        settings = await client.call_tool(
            "manage_pipeline",
            {"action": "preview_settings", **name, "values": {"delete_stale_apps": True, "stale_app_days": 7}},
        )
        await client.call_tool(
            "manage_pipeline", {"action": "add_app", **name, "values": {"app": "queue-worker", "stage": "Preview"}}
        )
        gone = await client.call_tool("manage_pipeline", {"action": "preview_off", **name})
        off = await client.call_tool(
            "call_endpoint", {"endpoint": "POST /pipelines/{id}/preview/disable", "params": {"id": row["id"]}}
        )
    assert not on.is_error and not settings.is_error, text_of(on) + text_of(settings)
    assert again.is_error and "preview_settings changes them" in text_of(again)
    assert gone.is_error and "Input should be" in text_of(gone)  # preview_off is not an action of the write tool
    enable, put = mutations(state)[:2]
    assert enable.path == f"/pipelines/{row['id']}/preview/enable"
    assert enable.json == {"repo_url": "https://github.com/acme-digital/api", "auto_create_app": True}
    assert put.method == "PUT" and put.json == {"delete_stale_apps": True, "stale_app_days": 7}
    [question] = asker.asked  # only turning preview apps off asks
    assert "/preview/disable" in question and "queues its apps for deletion" in question
    if answer == "accept":
        assert not off.is_error, text_of(off)
        assert mutations(state)[-1].path == f"/pipelines/{row['id']}/preview/disable"
        assert stages(state) == ["Staging", "Production"]
        assert all(a["id"] != worker["id"] for a in state.paas_data["apps"])
    else:
        assert off.is_error and len(mutations(state)) == 3
        assert stages(state) == ["Preview", "Staging", "Production"] and stage(state, "Preview")["stale_app_days"] == 7


async def test_promote_sends_the_apps_and_follows_the_deployments(sandbox, sevalla_settings):
    _, state = sandbox
    row = pipeline(state)
    source, target = app_named(state, "portfolio-app"), app_named(state, "api-service")
    before = len(target["deployments"])
    args = {"action": "promote", "pipeline": "Acme API", "values": {"source": "Portfolio App", "targets": ["Acme API"]}}
    result = await call(sevalla_settings, args)
    assert not result.is_error, text_of(result)
    [post] = mutations(state)
    assert post.base == "sevalla_v3" and post.path == f"/pipelines/{row['id']}/promote"
    assert post.json == {"source_app_id": source["id"], "target_app_ids": [target["id"]]}
    new = target["deployments"][before]
    data = result.structured_content
    assert data["state"] == "done" and data["jobs"] == {f"app-deploy:{new['id']}": "done"}
    assert data["action"] == "Promote Portfolio App (portfolio-app) to Acme API (api-service) in Acme API pipeline"
    assert new["status"] == "success" and new["commit_sha"] == source["deployments"][-1]["commit_sha"]
    assert any(r.base == "sevalla_v2" and r.path == f"/applications/deployments/{new['id']}" for r in state.requests)


async def test_promoting_an_app_to_itself_is_refused_before_anything_is_sent(sandbox, sevalla_settings):
    _, state = sandbox
    args = {
        "action": "promote",
        "pipeline": "Acme API",
        "values": {"source": "portfolio-app", "targets": ["Portfolio App"]},
    }
    result = await call(sevalla_settings, args)
    assert result.is_error and "cannot be promoted to itself" in text_of(result) and mutations(state) == []


async def test_an_unknown_pipeline_names_the_ones_there_are(sandbox, sevalla_settings):
    result = await call(sevalla_settings, {"action": "preview_settings", "pipeline": "Acme Shop pipeline"})
    assert result.is_error and "No pipeline matches 'Acme Shop pipeline'" in text_of(result)
    assert "Acme API pipeline" in text_of(result)


async def test_without_a_sevalla_key_nothing_is_sent(sandbox, settings):
    _, state = sandbox
    result = await call(
        settings.with_(toolsets=TOOLSETS),
        {"action": "update", "pipeline": "Acme API pipeline", "values": {"display_name": "API"}},
    )
    assert result.is_error and "SEVALLA_API_KEY" in text_of(result) and state.requests == []


async def test_an_action_without_its_pipeline_is_refused(sandbox, sevalla_settings):
    _, state = sandbox
    result = await call(sevalla_settings, {"action": "promote", "values": {"source": "a", "targets": ["b"]}})
    assert result.is_error and "promote needs pipeline" in text_of(result) and state.requests == []
