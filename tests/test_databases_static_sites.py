"""Databases, static sites and Sevalla's company PaaS usage through the real MCP client, against the
sandbox on both bases: Kinsta /v2 without a Sevalla key, Sevalla /sevalla/v2 with one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mcp import Client

from kinsta_mcp.sandbox import DEMO_API_KEY
from kinsta_mcp.sandbox.paas_seed import paas
from kinsta_mcp.sandbox.state import CREATION_ROUTES
from kinsta_mcp.server import build_server
from tests.paas import V2_BASE, db_named, mutations, sent, site_named
from tests.spec import SpecIndex
from tests.test_tools import Asker, confirm_code, confirmed, text_of

pytestmark = pytest.mark.anyio

TOOLSETS = ("default", "databases", "static_sites")
FIXTURES = Path(__file__).parent / "data" / "fixtures"
DELETE_REDIS = {"action": "delete", "database": "cache-redis"}
CREATE = {"type": "postgresql", "version": "16", "location": "us-central1", "resource_type": "db2",
          "db_name": "orders", "db_user": "orders_app", "db_password": "s3cret-Pa55word!", "display_name": "Orders"}


def detail_reads(state):
    return [r for r in state.requests if r.method == "GET" and r.route == "/databases/{id}" and r.base != "sevalla_v3"]


def check_non_json_schemas(state, specs):
    """The spec declares these answers as `database/json` / `static site/json`, which the contract observer
    does not read: validate them against their schemas here."""
    problems = []
    for r in state.requests:
        spec = specs.get(r.base)
        found = spec.match(r.method, r.path) if spec and r.status == 200 else None
        if not found or not found[1]:
            continue
        content = found[1]["responses"]["200"].get("content", {})
        kind = next((k for k in content if k in ("database/json", "static site/json")), None)
        if kind:
            pointer = spec._resolved_pointer("paths", found[0], r.method.lower(), "responses", "200", "content", kind,
                                             "schema")
            problems += [f"{r.base} {r.method} {r.path}: {p}" for p in spec._validate(pointer, r.response_json)]
    return problems


# -- databases: list and detail ------------------------------------------------------------------


async def test_list_databases_on_both_bases(sandbox, paas_settings, base, mode):
    _, state = sandbox
    async with Client(build_server(paas_settings), mode=mode) as client:
        result = await client.call_tool("list_databases", {})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert data["total"] == 2 and [d["name"] for d in data["databases"]] == ["acme-postgres", "cache-redis"]
    pg = db_named(state, "acme-postgres")
    assert data["databases"][0] == {"id": pg["id"], "name": "acme-postgres", "display_name": "Acme Postgres",
                                    "status": "ready", "type": "postgresql", "version": "15",
                                    "resource_type_name": "db1"}
    assert "Acme Postgres (acme-postgres): postgresql 15, size db1 [ready]" in text_of(result)
    listed = sent(state, "GET", "/databases")
    assert listed[0].query == {"company": state.company_id, "limit": "100", "offset": "0"}
    assert {r.base for r in listed} == {V2_BASE[base]}


async def test_database_detail_masks_passwords_and_connection_strings(sandbox, specs, paas_settings, base, mode):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    async with Client(build_server(paas_settings), mode=mode) as client:
        result = await client.call_tool("list_databases", {"database": "Acme Postgres"})
    assert not result.is_error, text_of(result)
    conn = result.structured_content["connection"]
    assert conn["internal_host"] == f"{pg['internal_hostname']}:5432" and conn["location"] == "europe-west3"
    assert conn["db_name"] == "acme_postgres" and conn["db_user"] == "acme_user"
    assert conn["db_password"] == f"•••••• (hidden, {len(pg['db_password'])} characters)"
    assert conn["connected_apps"] == "Acme API (api-service)"
    # Sevalla v2 also sends an internal connection string (it holds the password): masked too.
    assert ("internal_connection_string" in conn) == (base == "sevalla")
    everything = text_of(result) + json.dumps(result.structured_content)
    assert pg["db_password"] not in everything and pg["db_root_password"] not in everything
    assert "db_password: ••••••" in text_of(result)
    [read] = detail_reads(state)
    assert read.path == f"/databases/{pg['id']}" and read.query == {"internal": "true", "external": "true"}
    assert read.base == V2_BASE[base]
    assert not check_non_json_schemas(state, specs)


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_reveal_asks_the_user_before_reading_the_secrets(sandbox, settings, mode, answer):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    asker = Asker(answer)
    async with Client(build_server(settings.with_(toolsets=TOOLSETS)), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("list_databases", {"database": "acme-postgres", "reveal": True})
    assert "passwords and connection strings of database Acme Postgres (acme-postgres)" in asker.asked[0]
    if answer == "accept":
        assert not result.is_error, text_of(result)
        assert result.structured_content["connection"]["db_password"] == pg["db_password"]
        assert pg["db_root_password"] in text_of(result)
    else:
        assert result.is_error and pg["db_password"] not in text_of(result)
        assert detail_reads(state) == []  # the secrets were not even fetched


async def test_reveal_without_elicitation_needs_confirm(sandbox, settings):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        asked = await client.call_tool("list_databases", {"database": "acme-postgres", "reveal": True})
        assert asked.is_error and "Confirmation needed" in text_of(asked) and detail_reads(state) == []
        assert pg["db_password"] not in text_of(asked)
        refused = await client.call_tool("list_databases", {"database": "acme-postgres", "reveal": True,
                                                            "confirm": True})
        assert refused.is_error and detail_reads(state) == []  # confirm is the code now, not a flag
        shown = await client.call_tool("list_databases", {"database": "acme-postgres", "reveal": True,
                                                          "confirm": confirm_code(asked)})
    assert shown.structured_content["connection"]["db_password"] == pg["db_password"]


async def test_database_bad_references_and_reveal_without_database(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        reveal = await client.call_tool("list_databases", {"reveal": True})
        requests_before = len(state.requests)
        missing = await client.call_tool("list_databases", {"database": "acme-postgers"})
    assert reveal.is_error and "reveal needs database" in text_of(reveal)
    assert requests_before == 0
    assert missing.is_error and "Did you mean 'acme-postgres'" in text_of(missing)
    assert detail_reads(state) == []


async def test_moved_account_without_a_sevalla_key_is_told_to_set_one(sandbox, settings):
    _, state = sandbox
    state.paas_moved = True
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        dbs = await client.call_tool("list_databases", {})
        sites = await client.call_tool("list_static_sites", {})
    for result in (dbs, sites):
        assert result.is_error and "SEVALLA_API_KEY" in text_of(result)


# -- databases: create, update, delete -----------------------------------------------------------


async def test_create_database_sends_the_spec_body_and_never_echoes_the_password(sandbox, specs, paas_settings,
                                                                                 base, mode):
    _, state = sandbox
    async with Client(build_server(paas_settings), mode=mode) as client:
        result = await client.call_tool("manage_database", {"action": "create", "values": CREATE})
        assert not result.is_error, text_of(result)
        listed = await client.call_tool("list_databases", {})
    [post] = sent(state, "POST", "/databases")
    assert post.json == {"company_id": state.company_id, **CREATE} and post.base == V2_BASE[base]
    new_id = result.structured_content["database_id"]
    assert new_id == post.response_json["database"]["id"]
    # Waited on until the database is ready: a db job, polled on the database itself.
    assert result.structured_content["state"] == "done" and result.structured_content["message"] == "ready"
    assert next(iter(result.structured_content["jobs"])) == f"db:{new_id}"
    polls = [r for r in detail_reads(state) if r.path == f"/databases/{new_id}"]
    assert polls and all(r.query == {"internal": "false", "external": "false"} for r in polls)
    assert "Create postgresql 16 database 'Orders' in us-central1" in text_of(result) and new_id in text_of(result)
    assert CREATE["db_password"] not in text_of(result) + json.dumps(result.structured_content)
    created = next(d for d in listed.structured_content["databases"] if d["id"] == new_id)
    assert created["display_name"] == "Orders" and created["status"] == "ready"
    assert ("POST", "/databases") in CREATION_ROUTES and ("POST", "/databases") in state.creation_routes
    assert not check_non_json_schemas(state, specs)


async def test_slow_database_creation_returns_running_then_wait_for_job_finishes_it(sandbox, settings, mode):
    _, state = sandbox
    now = [1000.0]
    state.clock = lambda: now[0]
    async with Client(build_server(settings.with_(toolsets=TOOLSETS, max_wait=0.2)), mode=mode) as client:
        made = await client.call_tool("manage_database", {"action": "create", "values": CREATE | {"type": "redis",
                                                                                                   "db_user": "x"}})
        assert made.structured_content["state"] == "running", text_of(made)
        key = next(iter(made.structured_content["jobs"]))
        assert key == f"db:{made.structured_content['database_id']}" and f"jobs=[{key!r}]" in text_of(made)
        now[0] += 5
        finished = await client.call_tool("wait_for_job", {"jobs": [key]})
        shown = await client.call_tool("list_databases", {"database": made.structured_content["database_id"]})
    assert finished.structured_content["state"] == "done" and finished.structured_content["message"] == "ready"
    assert shown.structured_content["databases"][0]["status"] == "ready"
    assert shown.structured_content["databases"][0]["type"] == "redis"


@pytest.mark.parametrize("values, message", [
    ({k: v for k, v in CREATE.items() if k not in ("location", "db_user")}, "create needs location, db_user"),
    (CREATE | {"type": "postgres"}, "type must be one of postgresql, redis, mariadb, mysql (got 'postgres')"),
    (CREATE | {"resource_type": "db10"}, "resource_type must be one of db1"),
    (CREATE | {"db_password": 12345678}, "db_password must be non-empty text."),
    (CREATE | {"db_password": "   "}, "db_password must be non-empty text."),
    (CREATE | {"root_password": "x"}, "'root_password' is not a database setting for create"),
])
async def test_create_database_rejects_bad_values_without_a_request(sandbox, settings, values, message):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        result = await client.call_tool("manage_database", {"action": "create", "values": values})
    assert result.is_error and message in text_of(result)
    assert "12345678" not in text_of(result) and CREATE["db_password"] not in text_of(result)
    assert mutations(state) == []


async def test_create_redis_needs_no_user(sandbox, settings):
    _, state = sandbox
    values = {k: v for k, v in CREATE.items() if k not in ("db_user", "display_name")} | {"type": "redis",
                                                                                          "version": "7"}
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        result = await client.call_tool("manage_database", {"action": "create", "values": values})
    assert not result.is_error, text_of(result)
    [post] = sent(state, "POST", "/databases")
    assert "db_user" not in post.json and post.json["display_name"] == "orders"  # defaults to db_name


async def test_rename_and_resize_database(sandbox, paas_settings, base, mode):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    async with Client(build_server(paas_settings), mode=mode) as client:
        renamed = await client.call_tool("manage_database", {"action": "rename", "database": "Acme Postgres",
                                                             "values": {"display_name": "Main DB"}})
        assert not renamed.is_error, text_of(renamed)
        resized = await client.call_tool("manage_database", {"action": "resize", "database": "Main DB",
                                                             "values": {"resource_type": "db3"}})
        assert not resized.is_error, text_of(resized)
        listed = await client.call_tool("list_databases", {})
    first, second = sent(state, "PUT")
    assert first.path == second.path == f"/databases/{pg['id']}" and {first.base, second.base} == {V2_BASE[base]}
    assert first.json == {"display_name": "Main DB"} and second.json == {"resource_type": "db3"}
    assert renamed.structured_content["action"] == "Rename database Acme Postgres (acme-postgres) to 'Main DB'"
    assert renamed.structured_content["state"] == "done" and renamed.structured_content["database_id"] == pg["id"]
    # A resize shows "updating" until the new size is in place: followed like a creation.
    assert resized.structured_content["action"] == "Resize database Main DB (acme-postgres) to db3"
    assert next(iter(resized.structured_content["jobs"])) == f"db:{pg['id']}"
    assert resized.structured_content["state"] == "done" and resized.structured_content["message"] == "ready"
    row = next(d for d in listed.structured_content["databases"] if d["id"] == pg["id"])
    assert row["display_name"] == "Main DB" and row["resource_type_name"] == "db3" and row["status"] == "ready"


async def test_resize_to_the_current_size_sends_nothing(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        result = await client.call_tool("manage_database", {"action": "resize", "database": "acme-postgres",
                                                            "values": {"resource_type": "db1"}})
    assert not result.is_error and "already db1, nothing sent" in text_of(result)
    assert mutations(state) == []


@pytest.mark.parametrize("args, message", [
    ({"action": "rename", "database": "acme-postgres"}, "rename needs display_name in values"),
    ({"action": "resize", "database": "acme-postgres"}, "resize needs resource_type in values"),
    ({"action": "rename", "database": "acme-postgres", "values": {"type": "mysql"}},
     "'type' is not a database setting"),
    ({"action": "rename", "database": "acme-postgres", "values": {"resource_type": "db2"}},
     "'resource_type' is not a database setting for rename"),
    ({"action": "resize", "database": "acme-postgres", "values": {"resource_type": "big"}}, "resource_type must be"),
    ({"action": "create", "database": "acme-postgres", "values": CREATE}, "create takes no database"),
    ({"action": "delete", "database": "acme-postgres"}, "action: Input should be 'create', 'rename', 'resize'"),
    ({"action": "rename", "values": {"display_name": "x"}}, "Say which database"),
    ({"action": "create", "valeus": CREATE}, "unknown argument 'valeus' — did you mean 'values'?"),
])
async def test_manage_database_bad_input_changes_nothing(sandbox, settings, args, message):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        result = await client.call_tool("manage_database", args)
    assert result.is_error and message in text_of(result)
    assert mutations(state) == []


@pytest.mark.both_eras
async def test_delete_database_names_what_is_lost_and_deletes_when_accepted(sandbox, specs, paas_settings, base, mode):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    asker = Asker("accept")
    async with Client(build_server(paas_settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("restore_or_delete_database",
                                        {"action": "delete", "database": "acme-postgres"})
        assert not result.is_error, text_of(result)
        listed = await client.call_tool("list_databases", {})
    preview = asker.asked[0]
    assert "Delete database Acme Postgres (acme-postgres)" in preview and "postgresql 15" in preview
    assert "all its data is lost" in preview and "Acme API (api-service)" in preview
    [delete] = sent(state, "DELETE")
    assert delete.path == f"/databases/{pg['id']}" and delete.base == V2_BASE[base]
    assert f'Database "{pg["id"]}" is being deleted' in text_of(result)
    assert result.structured_content["state"] == "done" and result.structured_content["database_id"] == pg["id"]
    assert [d["name"] for d in listed.structured_content["databases"]] == ["cache-redis"]
    assert all(not a["internal_connections"] for a in paas(state)["apps"])
    assert not check_non_json_schemas(state, specs)


@pytest.mark.both_eras
@pytest.mark.parametrize("action, confirm", [("decline", False), ("accept", False), ("cancel", False)])
async def test_delete_database_refused_sends_nothing(sandbox, settings, mode, action, confirm):
    _, state = sandbox
    asker = Asker(action, confirm)
    async with Client(build_server(settings.with_(toolsets=TOOLSETS)), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("restore_or_delete_database", DELETE_REDIS)
    assert result.is_error and "nothing was changed" in text_of(result)
    assert "Connected apps, which lose it: none" in asker.asked[0]
    assert sent(state, "DELETE") == []


@pytest.mark.both_eras
async def test_delete_database_without_elicitation_needs_confirm(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSETS)), mode=mode) as client:
        asked = await client.call_tool("restore_or_delete_database", DELETE_REDIS)
        assert asked.is_error and "Confirmation needed" in text_of(asked)
        assert "Cache Redis (cache-redis)" in text_of(asked)
        assert mutations(state) == []
        wrong = await client.call_tool("restore_or_delete_database", DELETE_REDIS | {"confirm": "AAAAAA"})
        assert wrong.is_error and "not the one for this preview" in text_of(wrong) and mutations(state) == []
        done = await client.call_tool("restore_or_delete_database", DELETE_REDIS | {"confirm": confirm_code(asked)})
    assert not done.is_error and len(sent(state, "DELETE")) == 1 and len(mutations(state)) == 1


# -- static sites: list, detail ------------------------------------------------------------------


async def test_list_static_sites_on_both_bases(sandbox, paas_settings, base, mode):
    _, state = sandbox
    async with Client(build_server(paas_settings), mode=mode) as client:
        result = await client.call_tool("list_static_sites", {})
    assert not result.is_error, text_of(result)
    docs = site_named(state, "docs-site")
    assert result.structured_content["static_sites"][0] == {"id": docs["id"], "name": "docs-site",
                                                            "display_name": "Acme Docs", "status": "deploymentSuccess"}
    assert len(result.structured_content["static_sites"]) == 2
    assert "Acme Docs (docs-site) [deploymentSuccess]" in text_of(result)
    [listed] = sent(state, "GET", "/static-sites")
    assert listed.query["company"] == state.company_id and listed.base == V2_BASE[base]


async def test_static_site_detail_shows_settings_and_deployments(sandbox, paas_settings, base):
    _, state = sandbox
    docs = site_named(state, "docs-site")
    async with Client(build_server(paas_settings)) as client:
        result = await client.call_tool("list_static_sites", {"static_site": "Acme Docs"})
    assert not result.is_error, text_of(result)
    text = text_of(result)
    assert "host docs-site.sevalla.page" in text and "build `npm run build`" in text
    newest = max(docs["deployments"], key=lambda d: d["created_at"])
    assert "Deployments (2, newest first):" in text and f"(id {newest['id']})" in text
    assert text.index(newest["id"]) < text.index(docs["deployments"][0]["id"])
    assert [r.path for r in sent(state, "GET") if r.route == "/static-sites/{id}"] == [f"/static-sites/{docs['id']}"]


# -- static sites: deployments --------------------------------------------------------------------


@pytest.mark.both_eras
async def test_deploy_waits_with_progress_and_the_next_read_shows_it(sandbox, paas_settings, base, mode):
    _, state = sandbox
    docs = site_named(state, "docs-site")
    progress = []

    async def on_progress(value, total, message):
        progress.append(message)

    async with Client(build_server(paas_settings), mode=mode) as client:
        result = await client.call_tool("manage_static_site", {"action": "deploy", "static_site": "docs-site",
                                                               "values": {"branch": "release"}},
                                        progress_callback=on_progress)
        assert not result.is_error, text_of(result)
        detail = await client.call_tool("list_static_sites", {"static_site": "docs-site"})
    [post] = sent(state, "POST", "/static-sites/deployments")
    assert post.json == {"static_site_id": docs["id"], "branch": "release"} and post.base == V2_BASE[base]
    dep_id = post.response_json["deployment"]["id"]
    out = result.structured_content
    assert out["action"] == "Deploy release to Acme Docs (docs-site)" and out["state"] == "done"
    assert out["message"] == "success" and list(out["jobs"]) == [f"static-deploy:{dep_id}"]
    polls = [r for r in sent(state, "GET") if r.route == "/static-sites/deployments/{deployment_id}"]
    assert polls and {r.path for r in polls} == {f"/static-sites/deployments/{dep_id}"}
    assert len(progress) >= 2 and "success" in progress[-1]
    assert "release [success]" in text_of(detail) and dep_id in text_of(detail)
    assert site_named(state, "docs-site")["status"] == "deploymentSuccess"


async def test_default_branch_deploy_sends_no_branch(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        result = await client.call_tool("manage_static_site", {"action": "deploy", "static_site": "landing-page"})
    assert not result.is_error and "Deploy the default branch to Landing Page" in text_of(result)
    assert sent(state, "POST", "/static-sites/deployments")[0].json == {
        "static_site_id": site_named(state, "landing-page")["id"]}


async def test_failed_deployment_is_an_error_result(sandbox, paas_settings):
    _, state = sandbox
    async with Client(build_server(paas_settings)) as client:
        result = await client.call_tool("manage_static_site", {"action": "deploy", "static_site": "docs-site",
                                                               "values": {"branch": "broken"}})
    assert result.is_error and "said: \"failed\" (\"branch broken\")" in text_of(result)
    assert site_named(state, "docs-site")["status"] == "deploymentFailed"


async def test_slow_deployment_returns_running_then_wait_for_job_finishes_it(sandbox, settings, mode):
    _, state = sandbox
    state.operation_seconds = 1.5
    async with Client(build_server(settings.with_(toolsets=TOOLSETS, max_wait=0.3)), mode=mode) as client:
        started = await client.call_tool("manage_static_site", {"action": "redeploy", "static_site": "docs-site"})
        assert started.structured_content["state"] == "running", text_of(started)
        key = next(iter(started.structured_content["jobs"]))
        assert key.startswith("static-deploy:") and f"wait_for_job with jobs=[{key!r}]" in text_of(started)
    async with Client(build_server(settings.with_(toolsets=TOOLSETS, max_wait=5)), mode=mode) as client:
        finished = await client.call_tool("wait_for_job", {"jobs": [key]})
    dep_id = key.partition(":")[2]
    assert finished.structured_content["state"] == "done" and finished.structured_content["message"] == "success"
    assert next(iter(finished.structured_content["jobs"])) == key
    assert sent(state, "POST", "/static-sites/deployments/redeploy")[0].json == {
        "static_site_id": site_named(state, "docs-site")["id"]}
    assert sent(state, "GET", f"/static-sites/deployments/{dep_id}")


async def test_redeploy_a_given_deployment(sandbox, settings):
    _, state = sandbox
    docs = site_named(state, "docs-site")
    old = docs["deployments"][0]
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        result = await client.call_tool("manage_static_site", {"action": "redeploy", "static_site": "docs-site",
                                                               "deployment_id": old["id"]})
    assert not result.is_error, text_of(result)
    [post] = sent(state, "POST", "/static-sites/deployments/redeploy")
    assert post.json == {"static_site_id": docs["id"], "deployment_id": old["id"]}
    newest = max(docs["deployments"], key=lambda d: d["created_at"])
    assert newest["commit_sha"] == old["commit_sha"] and newest["status"] == "success"


async def test_wait_for_an_unknown_deployment(sandbox, settings):
    async with Client(build_server(settings.with_(toolsets=TOOLSETS, operation_grace=0.1))) as client:
        key = "static-deploy:54fb80af-576c-4fdc-ba4f-b596c83f15a1"
        result = await client.call_tool("wait_for_job", {"jobs": [key]})
    assert result.structured_content["state"] == "unknown"
    assert "Kinsta knows no static-site deployment" in text_of(result)


@pytest.mark.parametrize("args, message", [
    ({"action": "wait", "static_site": "docs-site"},
     "action: Input should be 'deploy', 'redeploy', 'cancel' or 'settings'"),
    ({"action": "delete", "static_site": "docs-site"}, "action: Input should be"),
    ({"action": "deploy", "static_site": "docs-site", "deployment_id": "x"}, "deployment_id is for action=redeploy"),
    ({"action": "redeploy", "static_site": "docs-site", "values": {"branch": "x"}}, "redeploy takes no values"),
    ({"action": "deploy", "static_site": "docs-site", "values": {"branch": "x", "y": 1}}, "deploy takes only"),
    ({"action": "settings", "static_site": "docs-site"}, "settings needs values"),
    ({"action": "settings", "static_site": "docs-site", "values": {"node_version": "22"}},
     "node_version must be one of"),
    ({"action": "settings", "static_site": "docs-site", "values": {"auto_deploy": "yes"}}, "auto_deploy must be true"),
    ({"action": "settings", "static_site": "docs-site", "values": {"hostname": "x"}},
     "'hostname' is not a static-site"),
    ({"action": "deploy", "static_site": "no-such-site"}, "No static site matches 'no-such-site'"),
    ({"action": "deploy"}, "static_site: required"),
    ({"action": "deploy", "static_site": "docs-site", "branch": "main"}, "unknown argument 'branch'"),
])
async def test_manage_static_site_bad_input_changes_nothing(sandbox, settings, args, message):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        result = await client.call_tool("manage_static_site", args)
    assert result.is_error and message in text_of(result)
    assert mutations(state) == []


# -- static sites: update, delete ----------------------------------------------------------------


async def test_update_static_site_build_settings(sandbox, paas_settings, base, mode):
    _, state = sandbox
    docs = site_named(state, "docs-site")
    values = {"build_command": "pnpm build", "node_version": "20.2.0", "published_directory": None,
              "auto_deploy": False}
    async with Client(build_server(paas_settings), mode=mode) as client:
        result = await client.call_tool("manage_static_site", {"action": "settings", "static_site": "Acme Docs",
                                                               "values": values})
        assert not result.is_error, text_of(result)
        detail = await client.call_tool("list_static_sites", {"static_site": "docs-site"})
    [put] = sent(state, "PUT")
    assert put.path == f"/static-sites/{docs['id']}" and put.json == values and put.base == V2_BASE[base]
    assert "build_command='pnpm build'" in text_of(result) and "published_directory=None" in text_of(result)
    assert "build `pnpm build`" in text_of(detail) and "auto-deploy off" in text_of(detail)


@pytest.mark.both_eras
async def test_delete_static_site_confirmed(sandbox, specs, paas_settings, base, mode):
    _, state = sandbox
    docs = site_named(state, "docs-site")
    asker = Asker("accept")
    async with Client(build_server(paas_settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("delete_static_site", {"static_site": "docs-site"})
        assert not result.is_error, text_of(result)
        listed = await client.call_tool("list_static_sites", {})
    assert "Delete static site Acme Docs (docs-site)" in asker.asked[0]
    assert "served at docs-site.sevalla.page, with its 2 deployments" in asker.asked[0]
    [delete] = sent(state, "DELETE")
    assert delete.path == f"/static-sites/{docs['id']}" and delete.base == V2_BASE[base]
    assert f"transaction {delete.response_json['transaction_id']}" in text_of(result)
    assert [s["name"] for s in listed.structured_content["static_sites"]] == ["landing-page"]
    assert not check_non_json_schemas(state, specs)


@pytest.mark.both_eras
async def test_delete_static_site_unconfirmed_sends_nothing_then_runs_with_the_code(sandbox, settings, mode):
    _, state = sandbox
    landing = site_named(state, "landing-page")["id"]
    async with Client(build_server(settings.with_(toolsets=TOOLSETS)), mode=mode) as client:
        asked = await client.call_tool("delete_static_site", {"static_site": "landing-page"})
    async with Client(build_server(settings.with_(toolsets=TOOLSETS)), mode=mode,
                      elicitation_callback=Asker("decline")) as client:
        declined = await client.call_tool("delete_static_site", {"static_site": "landing-page"})
    assert asked.is_error and "Confirmation needed" in text_of(asked) and "Landing Page" in text_of(asked)
    assert declined.is_error and "did not confirm" in text_of(declined)
    assert mutations(state) == []
    async with Client(build_server(settings.with_(toolsets=TOOLSETS)), mode=mode) as client:
        deleted = await confirmed(client, "delete_static_site", {"static_site": "landing-page"})
    assert not deleted.is_error and deleted.structured_content["state"] == "done"
    assert [r.path for r in mutations(state)] == [f"/static-sites/{landing}"]


# -- company PaaS usage (Sevalla v2 only) ---------------------------------------------------------


@pytest.mark.parametrize("usage, offset", [(1, "0"), (3, "-2")])
async def test_usage_totals_per_category_from_sevalla(sandbox, sevalla_settings, mode, usage, offset):
    _, state = sandbox
    async with Client(build_server(sevalla_settings), mode=mode) as client:
        result = await client.call_tool("list_static_sites", {"usage": usage})
    assert not result.is_error, text_of(result)
    [request] = sent(state, "GET", f"/company/{state.company_id}/paas-usage")
    assert request.base == "sevalla_v2" and request.query == {"period_offset": offset}
    raw = request.response_json["company"]["paas_usage"]
    text = text_of(result)
    for category in ("appBandwidth", "appRuntimeCosts"):
        cost = sum(r["cost"] for r in raw if r["category"] == category)
        amount = sum(r["usage"] for r in raw if r["category"] == category)
        assert f"- {category}: usage {amount:g}, cost {cost:.2f}" in text
    assert f"total cost {sum(r['cost'] for r in raw):.2f}" in text
    rows = result.structured_content["usage"]
    assert len(rows) == 6 and sum(r["cost"] for r in rows) == pytest.approx(sum(r["cost"] for r in raw))
    assert rows == sorted(rows, key=lambda r: -r["cost"])
    assert set(rows[0]) == {"category", "id_resource", "usage", "cost"}
    assert ("this billing period" in text) == (usage == 1)
    # The costliest rows are named the way a person knows them, not by id.
    top = rows[0]
    app = next(a for a in paas(state)["apps"] if a["id"] == top["id_resource"])
    named = f"- {app['display_name']} ({app['name']}): {top['category']} usage {top['usage']:g}, cost {top['cost']:.2f}"
    assert named in text
    assert top["id_resource"] not in text


async def test_usage_needs_a_sevalla_key(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        result = await client.call_tool("list_static_sites", {"usage": 1})
        both = await client.call_tool("list_static_sites", {"usage": 1, "static_site": "docs-site"})
    assert result.is_error and "set SEVALLA_API_KEY" in text_of(result)
    assert both.is_error and "leave static_site empty" in text_of(both)
    assert state.requests == []


async def test_sandbox_usage_matches_the_documented_shape(sandbox, sevalla_settings):
    base_url, state = sandbox
    import httpx2

    fixture = json.loads((FIXTURES / "sevalla_v2_GET_company_id_paas-usage__docs.json").read_text())
    root = base_url.removesuffix("/v2")
    headers = {"Authorization": f"Bearer {sevalla_settings.sevalla_api_key.reveal()}"}
    async with httpx2.AsyncClient(base_url=f"{root}/sevalla/v2", headers=headers) as http:
        ok = await http.get(f"/company/{state.company_id}/paas-usage", params={"period_offset": "-5"})
        bad = await http.get(f"/company/{state.company_id}/paas-usage", params={"period_offset": "-6"})
        kinsta = await http.get(f"{root}/v2/company/{state.company_id}/paas-usage",
                                headers={"Authorization": f"Bearer {DEMO_API_KEY}"})
    row, documented = ok.json()["company"]["paas_usage"][0], fixture["company"]["paas_usage"][0]
    assert set(row) == set(documented)
    assert all(type(row[k]) is type(documented[k]) or {type(row[k]), type(documented[k])} <= {int, float}
               for k in row)
    assert bad.status_code == 400 and kinsta.status_code == 404  # Sevalla v2 only


async def test_paas_usage_is_declared_as_a_later_sevalla_v2_endpoint():
    spec = SpecIndex.for_base("sevalla_v2")
    assert spec.match("GET", "/company/abc/paas-usage") is not None
    assert SpecIndex.for_base("kinsta").match("GET", "/company/abc/paas-usage") is None


# -- the split tools: annotations true for every action -------------------------------------------


async def test_each_tool_has_one_risk_that_is_true_for_every_action(settings):
    async with Client(build_server(settings.with_(toolsets=TOOLSETS))) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    expected = {"list_databases": (True, False), "manage_database": (False, False),
                "restore_or_delete_database": (False, True), "list_static_sites": (True, False),
                "manage_static_site": (False, False), "delete_static_site": (False, True)}
    for name, (read_only, destructive) in expected.items():
        hints = tools[name].annotations
        assert (bool(hints.read_only_hint), bool(hints.destructive_hint)) == (read_only, destructive), name
    actions = {name: set(tools[name].input_schema["properties"].get("action", {}).get("enum", [])) for name in expected}
    assert actions["manage_database"] == {"create", "rename", "resize", "backup", "activate", "external_on",
                                          "external_off", "connect", "ip_allow"}
    assert actions["restore_or_delete_database"] == {"delete", "restore", "delete_backup", "reset_password",
                                                     "suspend", "disconnect"}
    assert actions["manage_static_site"] == {"deploy", "redeploy", "cancel", "settings"}
    assert "confirm" in tools["restore_or_delete_database"].input_schema["properties"]
    assert "confirm" in tools["delete_static_site"].input_schema["properties"]
    assert "confirm" not in tools["manage_static_site"].input_schema["properties"]


@pytest.mark.parametrize("tool, args", [
    ("manage_database", {"action": "create", "values": CREATE}),
    ("manage_database", {"action": "rename", "database": "cache-redis", "values": {"display_name": "Sessions"}}),
    ("manage_static_site", {"action": "settings", "static_site": "docs-site", "values": {"auto_deploy": True}}),
])
async def test_write_actions_run_without_asking(sandbox, settings, tool, args):
    _, state = sandbox
    asker = Asker("decline")
    async with Client(build_server(settings.with_(toolsets=TOOLSETS)), elicitation_callback=asker) as client:
        result = await client.call_tool(tool, args)
    assert not result.is_error, text_of(result)
    assert asker.asked == [] and len(mutations(state)) == 1


async def test_read_only_mode_offers_only_the_list_tools(sandbox, settings):
    async with Client(build_server(settings.with_(toolsets=TOOLSETS, read_only=True))) as client:
        names = {t.name for t in (await client.list_tools()).tools}
    assert {"list_databases", "list_static_sites"} <= names
    assert not names & {"manage_database", "restore_or_delete_database", "manage_static_site", "delete_static_site"}
