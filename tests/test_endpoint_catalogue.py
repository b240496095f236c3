"""find_endpoint / call_endpoint: every operation of the three specs reachable, checked against its spec before
anything is sent, and through the same gate, job following and masking as every typed tool."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from mcp import Client

from kinsta_mcp.budget import read_part, size
from kinsta_mcp.gate import Risk
from kinsta_mcp.openapi import catalogue, shaping
from kinsta_mcp.openapi.risk import risk_of
from kinsta_mcp.sandbox.paas_seed import paas
from kinsta_mcp.server import build_server
from tests.test_tools import Asker, confirm_code, text_of

pytestmark = pytest.mark.anyio
SPECS = Path(__file__).parent / "data" / "openapi"
ZERO = "fb5e5168-4281-4bec-94c5-0d1584e9e657"  # a v4 uuid no seeded object has


def spec_operations(name: str) -> set[tuple[str, str]]:
    spec = json.loads((SPECS / name).read_text())
    return {(m.upper(), p) for p, item in spec["paths"].items() for m in item if m in catalogue.METHODS}


# ----- the catalogue itself (no server) -------------------------------------------------------------------------


def test_every_operation_of_the_three_specs_is_in_the_catalogue_once():
    ops = catalogue.load()
    for api, name in (("kinsta", "kinsta-api-v1.87.0.json"), ("sevalla_v2", "sevalla-api-v2-v1.80.0.json"),
                      ("sevalla_v3", "sevalla-api-v3-2026-03-09.json")):  # fmt: skip
        have = {(op.method, op.path) for op in ops.operations if op.api == api and not op.documented_later}
        assert have == spec_operations(name)
    keys = [op.key for op in ops.operations]
    assert len(keys) == len(set(keys)) and len(ops) >= 396


def test_the_shipped_specs_are_the_vendored_ones():
    for api, name in catalogue.SPEC_FILES.items():
        assert catalogue.spec_document(api) == json.loads((SPECS / name.removesuffix(".gz")).read_text()), api


def test_the_documented_additions_cover_what_the_sandbox_serves_beyond_the_specs():
    from tests.spec import _documented_additions

    ops = catalogue.load()
    for api in ("kinsta", "sevalla_v2"):
        added = {(op.method, op.path) for op in ops.operations if op.api == api and op.documented_later}
        assert _documented_additions(api) <= added | spec_operations(
            {"kinsta": "kinsta-api-v1.87.0.json", "sevalla_v2": "sevalla-api-v2-v1.80.0.json"}[api]
        )


@pytest.mark.parametrize(
    ("key", "risk"),
    [
        ("kinsta:getSites", Risk.READ),
        ("kinsta:clearSiteCache", Risk.WRITE),
        ("kinsta:pushWordPressEnvironment", Risk.DESTRUCTIVE),
        ("kinsta:restoreBackup", Risk.DESTRUCTIVE),
        ("kinsta:deleteWordpressSite", Risk.DESTRUCTIVE),
        ("kinsta:setSftpIpAllowlist", Risk.SENSITIVE),
        ("kinsta:generatePhpMyAdminLoginLink", Risk.SENSITIVE),
        ("sevalla_v3:resetDatabasePasswordV3", Risk.DESTRUCTIVE),
        ("sevalla_v3:suspendApplicationV3", Risk.DESTRUCTIVE),
        ("sevalla_v3:rollbackDeploymentV3", Risk.DESTRUCTIVE),
        ("sevalla_v3:promotePipelineV3", Risk.DESTRUCTIVE),
        ("sevalla_v3:createApiKeyV3", Risk.SENSITIVE),
        ("sevalla_v3:updateEnvironmentVariableV3", Risk.DESTRUCTIVE),
        ("sevalla_v3:createEnvironmentVariableV3", Risk.WRITE),
    ],
)
def test_risk_comes_from_the_method_and_the_reviewed_table(key, risk):
    op = catalogue.load().get(key)
    assert op is not None, key
    assert risk_of(op)[0] is risk


def test_every_delete_is_destructive_and_every_get_a_read():
    for op in catalogue.load().operations:
        if op.method in ("GET", "DELETE"):
            assert risk_of(op)[0] is (Risk.READ if op.method == "GET" else Risk.DESTRUCTIVE), op.key


def test_a_search_and_replace_dry_run_is_a_read():
    op = catalogue.load().get("kinsta:postSearchAndReplaceInTheDatabase")
    assert op is not None
    assert risk_of(op, {"perform_replacement": False})[0] is Risk.READ
    assert risk_of(op, {"perform_replacement": True})[0] is Risk.DESTRUCTIVE


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("environment variables", "sevalla_v3:listEnvironmentVariablesV3"),
        ("clear cache", "kinsta:clearSiteCache"),
        ("push staging to live", "kinsta:pushWordPressEnvironment"),
        ("restore database backup", "sevalla_v3:restoreDatabaseBackupV3"),
        ("add dns record", "kinsta:createDomainDnsRecord"),
        ("suspend app", "sevalla_v3:suspendApplicationV3"),
    ],
)
def test_search_ranks_the_operation_a_person_means_near_the_top(words, expected):
    assert expected in [op.key for op in catalogue.load().search(words, limit=4)]


def test_every_field_the_specs_mark_as_a_password_is_masked_by_name():
    def walk(node, name=""):
        if isinstance(node, dict):
            if node.get("format") == "password":
                yield name
            for key, value in node.items():
                yield from walk(value, key if key not in ("properties", "items", "allOf") else name)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value, name)

    for api in catalogue.APIS:
        for name in walk(catalogue.spec_document(api)):
            assert shaping.secret_field(name), f"{api}: {name} is format: password but not masked"


def test_masking_by_name_and_env_var_values():
    data = {"db_password": "p", "connection_string": "postgres://u:p@h", "name": "x", "is_password_set": True,
            "items": [{"key": "API", "value": "s3cret"}]}  # fmt: skip
    masked, where = shaping.mask(data, "/applications/{id}/env-vars")
    assert masked["db_password"] == masked["connection_string"] == masked["items"][0]["value"] == shaping.MASK
    assert masked["name"] == "x" and masked["is_password_set"] is True and masked["items"][0]["key"] == "API"
    assert sorted(where) == ["connection_string", "db_password", "items[0].value"]
    assert shaping.mask({"value": 3}, "/applications/{id}/metrics/cpu")[0] == {"value": 3}


async def test_a_deployment_hook_url_read_through_the_catalogue_is_masked(sandbox, sevalla_settings):
    _, state = sandbox
    server = build_server(sevalla_settings.with_(toolsets=("endpoints", "applications")))
    async with Client(server, elicitation_callback=Asker()) as client:
        await client.call_tool("manage_application", {"application": "portfolio-app", "action": "hook_on"})
        read = await client.call_tool("call_endpoint", {"endpoint": "GET /applications/{id}/deployment-hook",
                                                        "params": {"id": "portfolio-app"}})
    hooks = [r.response_json for r in state.requests if r.path.endswith("/deployment-hook") and r.method == "GET"]
    url = hooks[-1]["url"]
    assert url.startswith("https://") and url not in text_of(read) and shaping.MASK in text_of(read)


def test_a_long_list_is_cut_with_the_offset_of_the_next_page():
    data = {"company": {"logs": [{"id": i, "text": "x" * 100} for i in range(400)]}}
    first, note, nxt = shaping.bound(data, 0, max_bytes=5_000)
    assert 0 < len(first["company"]["logs"]) < 400 and nxt == len(first["company"]["logs"])
    assert "company.logs: items 1–" in note and shaping.size(first) <= 5_000
    second, _, _ = shaping.bound(data, nxt, max_bytes=5_000)
    assert second["company"]["logs"][0]["id"] == nxt


async def test_the_pair_costs_under_3_kb_of_what_the_model_reads(settings):
    from kinsta_mcp.budget import served

    parts = [t for t in await served(settings) if t["name"] in ("find_endpoint", "call_endpoint")]
    assert len(parts) == 2 and size([read_part(t) for t in parts]) <= 3_000


# ----- over MCP against the sandbox ------------------------------------------------------------------------------


def sample(schema: dict):
    """A value the schema accepts."""
    for key in ("example", "default"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    if "allOf" in schema:
        merged: dict = {"type": "object", "properties": {}, "required": []}
        for part in [schema, *schema["allOf"]]:
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return sample(merged)
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            return sample(schema[key][0])
    kind = schema.get("type", "string")
    kind = kind[0] if isinstance(kind, list) else kind
    fmt = schema.get("format", "")
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "array":
        return [sample(schema.get("items", {}))]
    if kind == "object":
        return {n: sample(s) for n, s in schema.get("properties", {}).items() if n in schema.get("required", [])}
    return {"uuid": ZERO, "date-time": "2026-11-01T00:00:00Z", "date": "2026-11-01", "email": "a@example.com"}.get(
        fmt, "x"
    )


def path_values(state, op) -> dict:
    site = state.sites[0]
    env = next(e for e in site["environments"] if e["name"] == "live")
    data = paas(state)
    head = op.path.strip("/").split("/")[0]
    by_head = {"applications": data["apps"][0]["id"], "databases": data["databases"][0]["id"],
               "static-sites": data["static_sites"][0]["id"]}  # fmt: skip
    values = {}
    for p in op.params:
        if p.where != "path" or (head == "company" and p.name in ("id", "company_id")):
            continue
        if p.name == "site_id":
            values[p.name] = site["id"]
        elif p.name in ("env_id", "target_env_id"):
            values[p.name] = env["id"]
        elif p.name == "id" and head in by_head:
            values[p.name] = by_head[head]
        else:
            values[p.name] = str(sample(p.schema))
    for p in op.params:
        if p.where == "query" and p.required and p.name not in ("company", "company_id"):
            values[p.name] = sample(p.schema)
    return values


async def test_every_get_operation_is_checked_then_sent_as_the_spec_allows(sandbox, sevalla_settings):
    """Sample values pass our checks and reach the sandbox (the contract observer checks each request); an
    unknown parameter on the same call is refused before anything is sent."""
    _, state = sandbox
    gets = [op for op in catalogue.load().operations if op.method == "GET" and not op.deprecated]
    refused, answered = [], 0
    async with Client(build_server(sevalla_settings)) as client:
        for op in gets:
            values = path_values(state, op)
            before = len(state.requests)
            wrong = await client.call_tool("call_endpoint", {"endpoint": op.key, "params": {**values, "zzz": 1}})
            assert wrong.is_error and "unknown parameter 'zzz'" in text_of(wrong), op.key
            # Resolving names may read listings; the operation itself is never sent.
            assert not [r for r in state.requests[before:] if r.route == op.path], f"{op.key}: sent when refused"
            body = sample(op.body) if op.body and (op.body_required or op.body_required_fields) else {}
            if "environment_id" in body:
                body["environment_id"] = state.sites[0]["environments"][0]["id"]
            result = await client.call_tool("call_endpoint", {"endpoint": op.key, "params": values, "body": body})
            # Sample ids may not exist and the sandbox does not emulate every v3 read: an API's own 4xx is an
            # answer; our refusal, or any other failure, is not.
            if result.is_error and not re.search(r"\((400|404|405|409|422)\b|found nothing", text_of(result)):
                refused.append(f"{op.key}: {text_of(result)}")
            assert len(state.requests) > before or result.is_error, op.key
            answered += not result.is_error and 200 <= result.structured_content["status"] < 300
    assert not refused, "\n".join(refused)
    assert answered >= 85, f"only {answered} GET operations answered 2xx"  # 89 with the v3 company/network reads


async def test_read_only_mode_sends_no_mutating_operation_at_all(sandbox, settings):
    _, state = sandbox
    writes = [op for op in catalogue.load().operations if op.method != "GET"]
    async with Client(build_server(settings.with_(read_only=True))) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert "delete_site" not in tools and tools["call_endpoint"].annotations.read_only_hint
        for op in writes:
            body = sample(op.body) if op.body else {}
            result = await client.call_tool(
                "call_endpoint", {"endpoint": op.key, "params": path_values(state, op), "body": body or {}}
            )
            assert result.is_error and "Read-only mode" in text_of(result), op.key
    assert [r for r in state.requests if r.method != "GET"] == []


async def test_a_destructive_call_needs_the_code_of_its_preview(sandbox, settings):
    _, state = sandbox
    site = state.sites[-1]
    args = {"endpoint": "DELETE /sites/{site_id}", "params": {"site_id": site["name"]}}
    async with Client(build_server(settings)) as client:
        first = await client.call_tool("call_endpoint", args)
        assert "DESTRUCTIVE: DELETE /sites/" in text_of(first) and site["display_name"] in text_of(first)
        assert not [r for r in state.requests if r.method == "DELETE"]
        done = await client.call_tool("call_endpoint", {**args, "confirm": confirm_code(first)})
    assert not done.is_error and done.structured_content["state"] == "done"
    assert done.structured_content["jobs"] and all(k.startswith("op:") for k in done.structured_content["jobs"])
    assert site["id"] not in [s["id"] for s in state.sites]


async def test_an_operation_is_followed_with_progress(sandbox, settings):
    _, state = sandbox
    env = state.sites[0]["environments"][0]["id"]
    seen = []

    async def progress(value, total, message):
        seen.append(message)

    async with Client(build_server(settings)) as client:
        result = await client.call_tool(
            "call_endpoint", {"endpoint": "kinsta:clearSiteCache", "body": {"environment_id": env}},
            progress_callback=progress,
        )  # fmt: skip
    assert result.structured_content["state"] == "done" and result.structured_content["status"] == 202
    assert seen and all("Clear" in m for m in seen)


async def test_the_allowlist_holds_for_every_site_a_call_names(sandbox, settings):
    _, state = sandbox
    allowed, other = state.sites[0], state.sites[1]
    async with Client(build_server(settings.with_(allowed_sites=(allowed["name"],)))) as client:
        listing = await client.call_tool("call_endpoint", {"endpoint": "GET /sites"})
        foreign = await client.call_tool("call_endpoint", {"endpoint": "kinsta:getSiteById",
                                                           "params": {"site_id": other["id"]}})  # fmt: skip
        mine = await client.call_tool("call_endpoint", {"endpoint": "kinsta:getSiteById",
                                                        "params": {"site_id": allowed["name"]}})  # fmt: skip
    assert listing.is_error and "names none" in text_of(listing)
    assert foreign.is_error and other["display_name"] not in text_of(foreign) and other["name"] not in text_of(foreign)
    assert not mine.is_error and allowed["id"] in text_of(mine)
    assert not [r for r in state.requests if r.path == f"/sites/{other['id']}"]
    assert not [r for r in state.requests if r.path == "/sites" and "include_environments" not in r.query]


async def test_protect_live_asks_before_a_write_to_live(sandbox, settings):
    _, state = sandbox
    live = next(e for e in state.sites[0]["environments"] if e["name"] == "live")["id"]
    async with Client(build_server(settings.with_(protect_live=True))) as client:
        result = await client.call_tool("call_endpoint", {"endpoint": "kinsta:clearSiteCache",
                                                          "body": {"environment_id": live}})  # fmt: skip
    assert "LIVE environment" in text_of(result) and not [r for r in state.requests if r.method == "POST"]


async def test_secrets_are_masked_and_revealed_only_after_the_user_agrees(sandbox, sevalla_settings):
    _, state = sandbox
    args = {"endpoint": "GET /applications/{id}/env-vars", "params": {"id": "Portfolio App"}}
    async with Client(build_server(sevalla_settings)) as client:
        masked = await client.call_tool("call_endpoint", args)
        asked = await client.call_tool("call_endpoint", {**args, "reveal": True})
        shown = await client.call_tool("call_endpoint", {**args, "reveal": True, "confirm": confirm_code(asked)})
    values = [v["value"] for v in masked.structured_content["data"]["data"]]
    assert values and set(values) == {shaping.MASK} and masked.structured_content["masked"]
    assert shaping.MASK not in json.dumps(shown.structured_content["data"])
    assert len([r for r in state.requests if r.path.endswith("/env-vars")]) == 2  # not fetched before the OK


async def test_a_retired_kinsta_path_names_the_sevalla_one_and_sends_nothing(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("call_endpoint", {"endpoint": "kinsta:getApplications"})
    assert result.is_error and "sevalla_v3:listApplicationsV3" in text_of(result) and state.requests == []


async def test_validation_names_every_problem_without_quoting_values(sandbox, sevalla_settings):
    _, state = sandbox
    async with Client(build_server(sevalla_settings)) as client:
        result = await client.call_tool("call_endpoint", {
            "endpoint": "sevalla_v3:createEnvironmentVariableV3", "params": {"id": "Portfolio App", "idd": 1},
            "body": {"key": "", "valeu": "hunter2-secret", "is_runtime": "yes"}})  # fmt: skip
    text = text_of(result)
    assert result.is_error and "did you mean 'id'" in text and "did you mean 'value'" in text
    assert "is_runtime: should be boolean" in text and "value is required" in text
    assert "hunter2" not in text and [r for r in state.requests if r.method != "GET"] == []


async def test_an_unknown_endpoint_suggests_the_closest(settings):
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("call_endpoint", {"endpoint": "clear the site cache"})
    assert result.is_error and "kinsta:clearSiteCache" in text_of(result)


async def test_sevalla_calls_without_a_sevalla_key_are_refused_before_sending(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("call_endpoint", {"endpoint": "sevalla_v3:listApplicationsV3"})
    assert result.is_error and "SEVALLA_API_KEY" in text_of(result) and state.requests == []


async def test_find_endpoint_returns_ids_call_endpoint_takes(settings):
    async with Client(build_server(settings)) as client:
        found = await client.call_tool("find_endpoint", {"query": "plugins bulk update"})
    rows = found.structured_content["endpoints"]
    assert rows and all(re.match(r"^(kinsta|sevalla_v2|sevalla_v3):\w+$", r["id"]) for r in rows)
    assert any(r["id"] == "kinsta:bulkUpdatePlugins" and r["risk"] == "write" for r in rows)
    assert catalogue.load().get(rows[0]["id"]) is not None


def test_gzip_specs_are_package_data():
    for name in catalogue.SPEC_FILES.values():
        path = Path(catalogue.__file__).parent / "specs" / name
        assert gzip.decompress(path.read_bytes())[:1] == b"{"


async def test_a_deployment_started_through_the_catalogue_is_followed_by_its_key(sandbox, sevalla_settings):
    _, state = sandbox
    app = paas(state)["apps"][0]
    async with Client(build_server(sevalla_settings)) as client:
        result = await client.call_tool("call_endpoint", {"endpoint": "sevalla_v2:manualDeployApplication",
                                                          "body": {"app_id": app["id"]}, "max_wait_seconds": 0})  # fmt: skip
    keys = list(result.structured_content["jobs"])
    assert not result.is_error and len(keys) == 1 and keys[0].startswith("app-deploy:")
    assert result.structured_content["status"] in (200, 201, 202)
