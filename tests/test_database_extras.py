"""What only Sevalla v3 does with a database, through the real MCP client against the sandbox (v2 for the
database itself, /sevalla/v3 for the rest, both checked against their specs): backups taken, restored
(a fresh one first unless turned off) and deleted, the external connection and the IP restriction,
internal connections, suspension, a new password that is never shown; the destructive and sensitive
actions ask, and a declined question sends nothing; without a Sevalla key nothing is sent at all."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from mcp import Client

from kinsta_mcp.sandbox.paas_seed import paas
from kinsta_mcp.sandbox.state import Fault
from kinsta_mcp.server import build_server
from tests.paas import app_named, db_named, mutations, sent
from tests.test_tools import Asker, confirmed, text_of

pytestmark = pytest.mark.anyio

TOOLSETS = ("databases",)
MANAGE, DESTROY = "manage_database", "restore_or_delete_database"


def server(settings):
    return build_server(settings.with_(toolsets=TOOLSETS))


async def call(settings, tool, args, **client):
    async with Client(server(settings), **client) as session:
        return await session.call_tool(tool, args)


def everything(result) -> str:
    return text_of(result) + json.dumps(result.structured_content or {})


def backups_of(state, name):
    return sorted(paas(state)["db_backups"][db_named(state, name)["id"]], key=lambda b: -b["created_at"])


def v3(state, method=None):
    return [r for r in state.requests if r.base == "sevalla_v3" and method in (None, r.method)]


# -- without a Sevalla key ------------------------------------------------------------------------

V3_CALLS = [
    (MANAGE, {"action": "backup"}),
    (MANAGE, {"action": "activate"}),
    (MANAGE, {"action": "external_on"}),
    (MANAGE, {"action": "external_off"}),
    (MANAGE, {"action": "connect", "values": {"application": "portfolio-app"}}),
    (MANAGE, {"action": "ip_allow", "values": {"ips": ["203.0.113.7"]}}),
    (DESTROY, {"action": "restore", "item": "latest"}),
    (DESTROY, {"action": "delete_backup", "item": "latest"}),
    (DESTROY, {"action": "reset_password"}),
    (DESTROY, {"action": "suspend"}),
    (DESTROY, {"action": "disconnect", "item": "api-service"}),
]


@pytest.mark.parametrize(("tool", "args"), V3_CALLS)
async def test_without_a_sevalla_key_each_v3_action_says_so_before_any_request(sandbox, settings, tool, args):
    _, state = sandbox
    result = await call(settings, tool, {"database": "acme-postgres", **args}, elicitation_callback=Asker())
    assert result.is_error and "SEVALLA_API_KEY" in text_of(result)
    assert f"Database action {args['action']}: only the Sevalla v3 API has this" in text_of(result)
    assert state.requests == []


# -- list_databases -------------------------------------------------------------------------------


async def test_one_database_shows_backups_connections_ip_restriction_and_external_access(sandbox, sevalla_settings):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    result = await call(sevalla_settings, "list_databases", {"database": "Acme Postgres"})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    conn = data["connection"]
    assert conn["external"] == "off" and conn["suspended"] == "no"
    assert conn["ip_restriction"] == "off (every address may connect)"
    assert conn["connected_apps"] == "Acme API (api-service)"
    seeded = backups_of(state, "acme-postgres")
    assert [row.split(" ")[0] for row in data["backups"]] == [b["id"] for b in seeded]  # newest first
    manual = next(row for row in data["backups"] if "manual" in row)
    assert "“Before schema migration”" in manual and "days old" in manual
    assert "Backups, newest first:" in text_of(result) and "ip_restriction: off" in text_of(result)
    assert pg["db_password"] not in everything(result)
    assert {r.path for r in v3(state)} == {
        f"/databases/{pg['id']}", f"/databases/{pg['id']}/ip-restriction",
        f"/databases/{pg['id']}/internal-connections", f"/databases/{pg['id']}/backups",
    }  # fmt: skip


async def test_the_backup_list_is_bounded(sandbox, sevalla_settings):
    _, state = sandbox
    async with Client(server(sevalla_settings)) as client:
        for n in range(5):
            taken = await client.call_tool(MANAGE, {"action": "backup", "database": "cache-redis",
                                                    "values": {"note": f"nightly {n}"}})  # fmt: skip
            assert not taken.is_error, text_of(taken)
        shown = await client.call_tool("list_databases", {"database": "cache-redis"})
    rows = shown.structured_content["backups"]
    assert len(backups_of(state, "cache-redis")) == 13
    assert len(rows) == 11 and rows[-1] == "… and 3 older" and "“nightly 4”" in rows[0]


async def test_the_v2_detail_alone_without_a_sevalla_key(sandbox, settings):
    _, state = sandbox
    result = await call(settings, "list_databases", {"database": "acme-postgres"})
    assert not result.is_error and result.structured_content["backups"] == []
    assert "external" not in result.structured_content["connection"] and v3(state) == []


# -- manage_database: backup, activate, connect (writes: never asked) ------------------------------


async def test_backup_is_taken_without_asking_and_named_once_listed(sandbox, sevalla_settings):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    asker = Asker("decline")
    args = {"action": "backup", "database": "acme-postgres", "values": {"note": "before the upgrade"}}
    result = await call(sevalla_settings, MANAGE, args, elicitation_callback=asker)
    assert not result.is_error, text_of(result)
    assert asker.asked == []
    [post] = mutations(state)
    assert post.path == f"/databases/{pg['id']}/backups" and post.json == {"display_name": "before the upgrade"}
    new = backups_of(state, "acme-postgres")[0]
    assert new["display_name"] == "before the upgrade" and new["type"] == "manual"
    assert f"backup {new['id']} (manual" in text_of(result) and result.structured_content["database_id"] == pg["id"]


async def test_backup_without_a_note_gets_a_dated_name(sandbox, sevalla_settings):
    _, state = sandbox
    result = await call(sevalla_settings, MANAGE, {"action": "backup", "database": "cache-redis"})
    assert not result.is_error, text_of(result)
    [post] = mutations(state)
    assert post.json["display_name"].startswith("Manual backup 20") and post.json["display_name"].endswith(" UTC")


async def test_activate_sends_only_for_a_suspended_database(sandbox, sevalla_settings):
    _, state = sandbox
    redis = db_named(state, "cache-redis")
    idle = await call(sevalla_settings, MANAGE, {"action": "activate", "database": "cache-redis"})
    assert not idle.is_error and "it is not suspended: nothing sent" in text_of(idle) and mutations(state) == []
    redis["is_suspended"] = True
    woken = await call(sevalla_settings, MANAGE, {"action": "activate", "database": "cache-redis"})
    assert not woken.is_error, text_of(woken)
    assert [r.path for r in mutations(state)] == [f"/databases/{redis['id']}/activate"]
    assert redis["is_suspended"] is False and "Database is being activated" in text_of(woken)


async def test_connect_an_app_named_as_a_person_would(sandbox, sevalla_settings):
    _, state = sandbox
    redis, app = db_named(state, "cache-redis"), app_named(state, "portfolio-app")
    args = {"action": "connect", "database": "Cache Redis", "values": {"application": "Portfolio App"}}
    async with Client(server(sevalla_settings), elicitation_callback=Asker("decline")) as client:
        made = await client.call_tool(MANAGE, args)
        again = await client.call_tool(MANAGE, args)
        shown = await client.call_tool("list_databases", {"database": "cache-redis"})
    assert not made.is_error, text_of(made)
    [post] = mutations(state)
    assert post.path == f"/databases/{redis['id']}/internal-connections"
    assert post.json == {"target_id": app["id"], "target_type": "app"}
    assert f"internal connection {post.response_json['id']}" in text_of(made)
    assert any(link["id"] == redis["id"] for link in app["internal_connections"])
    assert "already connected: nothing sent" in text_of(again)
    assert shown.structured_content["connection"]["connected_apps"] == "Portfolio App (portfolio-app)"


# -- manage_database: external access and IP restriction (sensitive: asked) ------------------------


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_external_on_asks_and_turns_it_on(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    asker = Asker(answer)
    args = {"action": "external_on", "database": "acme-postgres"}
    result = await call(sevalla_settings, MANAGE, args, mode=mode, elicitation_callback=asker)
    [question] = asker.asked
    assert "Turn on the external connection of database Acme Postgres (acme-postgres)" in question
    assert "reachable from the internet" in question and "IP restriction (now: off (every address may connect))" in question
    if answer == "decline":
        assert result.is_error and mutations(state) == [] and not pg["external_hostname"]
        return
    assert not result.is_error, text_of(result)
    assert [r.path for r in mutations(state)] == [f"/databases/{pg['id']}/external-connection/toggle"]
    assert pg["external_hostname"] and pg["status"] == "ready"
    assert result.structured_content["state"] == "done" and result.structured_content["message"] == "ready"
    polled = [r for r in sent(state, "GET", f"/databases/{pg['id']}") if r.base == "sevalla_v2"]
    assert polled and polled[-1].response_json["database"]["status"] == "ready"


async def test_external_access_already_as_asked_is_neither_asked_nor_sent(sandbox, sevalla_settings):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    asker = Asker("accept")
    off = await call(sevalla_settings, MANAGE, {"action": "external_off", "database": "acme-postgres"},
                     elicitation_callback=asker)  # fmt: skip
    pg["external_hostname"], pg["external_port"] = "acme-postgres.db.sevalla.app", "31000"
    on = await call(sevalla_settings, MANAGE, {"action": "external_on", "database": "acme-postgres"},
                    elicitation_callback=asker)  # fmt: skip
    assert "it already is off: nothing sent" in text_of(off)
    assert "it already is on (acme-postgres.db.sevalla.app:31000): nothing sent" in text_of(on)
    assert asker.asked == [] and mutations(state) == []


async def test_external_off_is_not_asked(sandbox, sevalla_settings):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    pg["external_hostname"], pg["external_port"] = "acme-postgres.db.sevalla.app", "31000"
    asker = Asker("decline")
    result = await call(sevalla_settings, MANAGE, {"action": "external_off", "database": "acme-postgres"},
                        elicitation_callback=asker)  # fmt: skip
    assert not result.is_error and asker.asked == [] and pg["external_hostname"] == ""


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_ip_allow_asks_stating_exactly_what_is_allowed(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    asker = Asker(answer)
    ips = ["203.0.113.0/24", "198.51.100.7", "203.0.113.0/24"]
    args = {"action": "ip_allow", "database": "acme-postgres", "values": {"ips": ips}}
    result = await call(sevalla_settings, MANAGE, args, mode=mode, elicitation_callback=asker)
    [question] = asker.asked
    assert "only 203.0.113.0/24, 198.51.100.7 may connect to it externally" in question
    assert "Now: off (every address may connect)" in question and "external connection, which is off" in question
    if answer == "decline":
        assert result.is_error and mutations(state) == [] and "ip_restriction" not in pg
        return
    assert not result.is_error, text_of(result)
    [put] = mutations(state)
    assert put.method == "PUT" and put.path == f"/databases/{pg['id']}/ip-restriction"
    assert put.json == {"type": "allow", "is_enabled": True, "ip_list": ["203.0.113.0/24", "198.51.100.7"]}
    assert pg["ip_restriction"]["ip_list"] == ["203.0.113.0/24", "198.51.100.7"]
    assert "now only 203.0.113.0/24, 198.51.100.7 may connect" in text_of(result)


async def test_ip_allow_with_no_ips_turns_the_restriction_off_and_says_so(sandbox, sevalla_settings):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    pg["ip_restriction"] = {"type": "allow", "is_enabled": True, "ip_list": ["198.51.100.7"]}
    asker = Asker("accept")
    args = {"action": "ip_allow", "database": "acme-postgres", "values": {"ips": []}}
    result = await call(sevalla_settings, MANAGE, args, elicitation_callback=asker)
    assert not result.is_error, text_of(result)
    assert "any IP address may connect to it externally" in asker.asked[0]
    assert "Now: only 198.51.100.7 may connect" in asker.asked[0]
    assert pg["ip_restriction"]["is_enabled"] is False


@pytest.mark.parametrize(("ips", "message"), [
    (["not-an-ip"], "'not-an-ip' is not an IP address or CIDR range"),
    (["10.0.0.0/8"], "10.0.0.0/8 is not a public address or range"),
    ("203.0.113.7", "ips must be"),
])  # fmt: skip
async def test_ip_allow_refuses_bad_addresses_before_any_request(sandbox, sevalla_settings, ips, message):
    _, state = sandbox
    args = {"action": "ip_allow", "database": "acme-postgres", "values": {"ips": ips}}
    result = await call(sevalla_settings, MANAGE, args, elicitation_callback=Asker())
    assert result.is_error and message in text_of(result) and state.requests == []


async def test_v3_actions_take_only_their_own_values(sandbox, sevalla_settings):
    _, state = sandbox
    args = {"action": "external_on", "database": "acme-postgres", "values": {"ips": []}}
    result = await call(sevalla_settings, MANAGE, args)
    assert result.is_error and "'ips' is not a value this action takes" in text_of(result)
    assert state.requests == []


# -- restore_or_delete_database ---------------------------------------------------------------------


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_restore_takes_a_fresh_backup_first_and_names_it(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    asker = Asker(answer)
    args = {"action": "restore", "database": "acme-postgres", "item": "Before schema migration"}
    result = await call(sevalla_settings, DESTROY, args, mode=mode, elicitation_callback=asker)
    chosen = next(b for b in backups_of(state, "acme-postgres") if b["display_name"] == "Before schema migration")
    [question] = asker.asked
    assert f"Restore database Acme Postgres (acme-postgres) from backup {chosen['id']} (manual, " in question
    assert "days old, “Before schema migration”)" in question and "current data is replaced" in question
    assert "First a fresh manual backup “Before restoring Before schema migration” is taken" in question
    if answer == "decline":
        assert result.is_error and mutations(state) == [] and "data_as_of" not in pg
        return
    assert not result.is_error, text_of(result)
    backup, restore = mutations(state)
    assert backup.path == f"/databases/{pg['id']}/backups"
    assert backup.json == {"display_name": "Before restoring Before schema migration"}
    assert restore.path == f"/databases/{pg['id']}/backups/{chosen['id']}/restore"
    fresh = next(b for b in backups_of(state, "acme-postgres") if b["display_name"].startswith("Before restoring"))
    assert pg["data_as_of"] == chosen["created_at"] and pg["status"] == "ready"  # the backup's data, restored
    assert result.structured_content["state"] == "done"
    assert f"Fresh backup taken first: {fresh['id']} (manual" in text_of(result)


async def test_restore_without_a_fresh_backup_when_turned_off(sandbox, sevalla_settings):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    asker = Asker("accept")
    args = {"action": "restore", "database": "acme-postgres", "item": "latest", "backup_first": False}
    result = await call(sevalla_settings, DESTROY, args, elicitation_callback=asker)
    assert not result.is_error, text_of(result)
    latest = backups_of(state, "acme-postgres")[0]
    assert "No backup of the current data is taken first" in asker.asked[0]
    assert [r.path for r in mutations(state)] == [f"/databases/{pg['id']}/backups/{latest['id']}/restore"]
    assert pg["data_as_of"] == latest["created_at"] and "Fresh backup" not in text_of(result)


async def test_restore_without_elicitation_needs_the_code(sandbox, sevalla_settings):
    _, state = sandbox
    args = {"action": "restore", "database": "cache-redis", "item": "latest"}
    async with Client(server(sevalla_settings)) as client:
        result = await confirmed(client, DESTROY, args)
    assert not result.is_error, text_of(result)
    assert [r.method for r in mutations(state)] == ["POST", "POST"]


async def test_a_fresh_backup_not_listed_in_time_stops_before_the_restore(sandbox, sevalla_settings):
    _, state = sandbox
    state.operation_seconds = 5
    args = {"action": "restore", "database": "cache-redis", "item": "latest"}
    result = await call(sevalla_settings.with_(max_wait=0.3), DESTROY, args, elicitation_callback=Asker())
    assert result.structured_content["state"] == "running" and "restore NOT started" in text_of(result)
    assert "restore again with backup_first=false" in text_of(result)
    assert [r.path.rsplit("/", 1)[1] for r in mutations(state)] == ["backups"]
    assert "data_as_of" not in db_named(state, "cache-redis")


@pytest.mark.parametrize(("item", "message"), [
    ("no-such-backup", "No backup of Acme Postgres (acme-postgres) matches 'no-such-backup'"),
    ("20", "8 backups match '20'"),
])  # fmt: skip
async def test_an_unknown_or_ambiguous_backup_lists_them(sandbox, sevalla_settings, item, message):
    _, state = sandbox
    args = {"action": "restore", "database": "acme-postgres", "item": item}
    result = await call(sevalla_settings, DESTROY, args, elicitation_callback=Asker())
    assert result.is_error and message in text_of(result) and "Backups, newest first:" in text_of(result)
    assert mutations(state) == []


async def test_a_backup_by_its_date(sandbox, sevalla_settings):
    _, state = sandbox
    asker = Asker("accept")
    async with Client(server(sevalla_settings), elicitation_callback=asker) as client:
        await client.call_tool("list_databases", {"database": "acme-postgres"})  # seeds the backups
        manual = next(b for b in backups_of(state, "acme-postgres") if b["type"] == "manual")
        hour = datetime.fromtimestamp(manual["created_at"] / 1000, tz=UTC).strftime("%Y-%m-%d %H")
        result = await client.call_tool(DESTROY, {"action": "delete_backup", "database": "acme-postgres",
                                                  "item": hour})  # fmt: skip
    assert not result.is_error, text_of(result)
    assert f"Delete backup {manual['id']} (manual" in asker.asked[0] and "cannot be undone" in asker.asked[0]
    assert manual["id"] not in [b["id"] for b in backups_of(state, "acme-postgres")]


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_reset_password_never_shows_it_and_says_how_to_reveal(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    pg = db_named(state, "acme-postgres")
    old = pg["db_password"]
    asker = Asker(answer)
    args = {"action": "reset_password", "database": "acme-postgres"}
    result = await call(sevalla_settings, DESTROY, args, mode=mode, elicitation_callback=asker)
    [question] = asker.asked
    assert "the current one, which stops working at once" in question and "Acme API (api-service)" in question
    if answer == "decline":
        assert result.is_error and mutations(state) == [] and pg["db_password"] == old
        return
    assert not result.is_error, text_of(result)
    [post] = mutations(state)
    new = post.json["new_password"]
    assert post.path == f"/databases/{pg['id']}/reset-password" and pg["db_password"] == new != old
    assert new not in everything(result) and len(new) == 32
    assert "list_databases database='acme-postgres' reveal=true shows it" in text_of(result)
    assert result.structured_content["state"] == "done" and pg["status"] == "ready"
    async with Client(server(sevalla_settings), mode=mode, elicitation_callback=Asker()) as client:
        masked = await client.call_tool("list_databases", {"database": "acme-postgres"})
        shown = await client.call_tool("list_databases", {"database": "acme-postgres", "reveal": True})
    assert new not in everything(masked)
    assert shown.structured_content["connection"]["db_password"] == new


@pytest.mark.both_eras
async def test_suspend_asks_then_activate_brings_it_back(sandbox, sevalla_settings, mode):
    _, state = sandbox
    redis = db_named(state, "cache-redis")
    asker = Asker("accept")
    async with Client(server(sevalla_settings), mode=mode, elicitation_callback=asker) as client:
        stopped = await client.call_tool(DESTROY, {"action": "suspend", "database": "cache-redis"})
        assert redis["is_suspended"] is True
        shown = await client.call_tool("list_databases", {"database": "cache-redis"})
        again = await client.call_tool(DESTROY, {"action": "suspend", "database": "cache-redis"})
        woken = await client.call_tool(MANAGE, {"action": "activate", "database": "cache-redis"})
    assert not stopped.is_error and not woken.is_error, text_of(stopped) + text_of(woken)
    [question] = asker.asked  # the second suspend had nothing to do: not asked
    assert "Suspend database Cache Redis (cache-redis): its processes stop" in question
    assert shown.structured_content["connection"]["suspended"] == "yes"
    assert "it already is suspended: nothing sent" in text_of(again)
    assert [r.path.rsplit("/", 1)[1] for r in mutations(state)] == ["suspend", "activate"]
    assert redis["is_suspended"] is False


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_disconnect_an_app_asks_and_removes_the_link(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    pg, api = db_named(state, "acme-postgres"), app_named(state, "api-service")
    asker = Asker(answer)
    args = {"action": "disconnect", "database": "acme-postgres", "item": "Acme API"}
    result = await call(sevalla_settings, DESTROY, args, mode=mode, elicitation_callback=asker)
    assert "Disconnect application Acme API (api-service) from database Acme Postgres" in asker.asked[0]
    if answer == "decline":
        assert result.is_error and mutations(state) == [] and api["internal_connections"]
        return
    assert not result.is_error, text_of(result)
    [delete] = mutations(state)
    assert delete.method == "DELETE" and delete.path.startswith(f"/databases/{pg['id']}/internal-connections/")
    assert api["internal_connections"] == []


async def test_disconnect_something_not_connected_names_the_connections(sandbox, sevalla_settings):
    _, state = sandbox
    args = {"action": "disconnect", "database": "acme-postgres", "item": "portfolio-app"}
    result = await call(sevalla_settings, DESTROY, args, elicitation_callback=Asker())
    assert result.is_error and "Its connections: Acme API (api-service)." in text_of(result)
    assert mutations(state) == []


@pytest.mark.parametrize("action", ["restore", "delete_backup", "disconnect"])
async def test_actions_that_name_something_need_item(sandbox, sevalla_settings, action):
    _, state = sandbox
    result = await call(sevalla_settings, DESTROY, {"action": action, "database": "acme-postgres"})
    assert result.is_error and f"{action} needs item" in text_of(result) and state.requests == []


async def test_the_v2_detail_is_shown_when_a_v3_read_fails(sandbox, sevalla_settings):
    _, state = sandbox
    state.add_fault(Fault(method="GET", path="/databases/*/ip-restriction", status=400))
    result = await call(sevalla_settings, "list_databases", {"database": "acme-postgres"})
    assert not result.is_error, text_of(result)
    conn = result.structured_content["connection"]
    assert conn["sevalla_v3"].startswith("not read: ") and conn["db_name"] == "acme_postgres"
    assert "ip_restriction" not in conn and result.structured_content["backups"] == []
