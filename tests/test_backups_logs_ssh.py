"""Backups, logs and SSH/SFTP tools through the real MCP client, against the stateful sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from mcp import Client

from kinsta_mcp.registry import load_all
from kinsta_mcp.sandbox.routes.ssh import ssh_of
from kinsta_mcp.server import build_server
from kinsta_mcp.text import FENCE_NOTE
from tests.test_tools import Asker, confirm_code, confirmed, text_of

pytestmark = pytest.mark.anyio


def env_of(state, site: str, env: str = "live") -> dict:
    found = next(s for s in state.sites if s["name"] == site)
    return next(e for e in found["environments"] if e["name"] == env)


def user(state, email_start: str) -> dict:
    return next(u for u in state.users if u["email"].startswith(email_start))


def sent(state, method: str, suffix: str) -> list:
    return [r for r in state.requests if r.method == method and r.path.endswith(suffix)]


def changes(state) -> list:
    return [(r.method, r.path) for r in state.requests if r.method != "GET"]


RESTORE = "restore_or_delete_backup"


# -- backups ---------------------------------------------------------------------------------


async def test_list_backups_newest_first_with_dates_paging_and_downloads(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings), mode=mode) as client:
        first = await client.call_tool("list_backups", {"site": "acmeshop.com", "limit": 3})
        second = await client.call_tool("list_backups", {"site": "acmeshop", "limit": 3, "offset": 3})
    assert not first.is_error, text_of(first)
    data = first.structured_content
    assert (data["total"], data["returned"], data["next_offset"]) == (9, 3, 3)
    stamps = [b["created_at"] for b in data["backups"] + second.structured_content["backups"]]
    assert stamps == sorted(stamps, reverse=True) and len(set(stamps)) == 6
    assert [b["type"] for b in data["backups"]] == ["automatic", "manual", "automatic"]
    assert all(isinstance(b["id"], int) for b in data["backups"])
    text = text_of(first)
    assert "2026-10-01T03:00:00Z automatic “Daily Auto Backup”" in text
    assert "2026-09-30T15:00:00Z manual “before plugin updates”" in text
    assert "more with offset=3" in text
    # The seeded downloadable archive is listed without its signed link.
    assert len(data["downloads"]) == 1 and "ready until 2026-10-06T03:00:00Z" in data["downloads"][0]
    assert "signature" not in text and "signature" not in str(data)
    live = env_of(state, "acmeshop")["id"]
    assert [r.path for r in state.requests if "backups" in r.path] == [
        f"/sites/environments/{live}/backups", f"/sites/environments/{live}/downloadable-backups"] * 2


async def test_manual_backup_appears_in_the_list(sandbox, settings, mode):
    _, state = sandbox
    staging = env_of(state, "acmeshop", "staging")["id"]
    async with Client(build_server(settings), mode=mode) as client:
        made = await client.call_tool(
            "manage_backups", {"action": "create", "site": "acmeshop", "environment": "staging", "tag": "pre-deploy"})
        listed = await client.call_tool("list_backups", {"environment": staging})
    assert not made.is_error, text_of(made)
    assert made.structured_content["state"] == "done"
    assert made.structured_content["action"] == "Manual backup of Acme Shop (acmeshop) › staging"
    assert [r.json for r in sent(state, "POST", f"/{staging}/manual-backups")] == [{"tag": "pre-deploy"}]
    newest = listed.structured_content["backups"][0]
    assert (newest["type"], newest["note"]) == ("manual", "pre-deploy")
    assert listed.structured_content["total"] == 8  # 7 seeded daily backups of staging + this one


async def test_request_download_checks_availability_first(sandbox, settings):
    _, state = sandbox
    staging = env_of(state, "blog-acme", "staging")["id"]
    args = {"action": "request_download", "site": "blog-acme", "environment": "staging"}
    async with Client(build_server(settings)) as client:
        made = await client.call_tool("manage_backups", args)
        listed = await client.call_tool("list_backups", {"environment": staging})
        again = await client.call_tool("manage_backups", args)
    assert not made.is_error, text_of(made)
    assert made.structured_content["state"] == "done"
    assert len(sent(state, "GET", f"/{staging}/next-downloadable-backup-available")) == 2
    assert len(sent(state, "POST", f"/{staging}/downloadable-backups")) == 1  # the second one was refused
    assert "ready until" in listed.structured_content["downloads"][0]
    assert again.is_error and "next one possible at" in text_of(again)


@pytest.mark.both_eras
async def test_restore_previews_backup_and_target_then_backs_up_first(sandbox, settings, mode):
    _, state = sandbox
    live, staging = env_of(state, "acmeshop"), env_of(state, "acmeshop", "staging")
    priya = user(state, "priya")
    asker = Asker("accept")
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        listed = await client.call_tool("list_backups", {"site": "acmeshop"})
        backup = listed.structured_content["backups"][2]  # live's automatic backup of 2026-09-30
        result = await client.call_tool(RESTORE, {
            "action": "restore", "site": "acmeshop", "environment": "staging", "backup_id": backup["id"],
            "notify_email": "Priya.Shah@acmedigital.agency"})
    assert not result.is_error, text_of(result)
    assert result.structured_content["state"] == "done"
    # The backup taken first and the restore are both jobs of the outcome, each with its key.
    jobs = result.structured_content["jobs"]
    assert list(jobs.values()) == ["done", "done"] and all(key.startswith("op:") for key in jobs)
    restore = f"Restore backup {backup['id']} onto Acme Shop (acmeshop) › staging"
    assert result.structured_content["message"].splitlines()[1] == f"- {restore}: done"
    assert len(asker.asked) == 1
    preview = asker.asked[0]
    assert f"Restore backup {backup['id']} 2026-09-30T03:00:00Z automatic" in preview
    assert ("from Acme Shop (acmeshop) › live onto Acme Shop (acmeshop) › staging (staging-acmeshop.kinsta.cloud)"
            in preview)
    assert "overwritten" in preview and "First a manual backup of staging" in preview
    assert "Priya Shah <priya.shah@acmedigital.agency>" in preview
    assert changes(state) == [("POST", f"/sites/environments/{staging['id']}/manual-backups"),
                              ("POST", f"/sites/environments/{staging['id']}/backups/restore")]
    restore = sent(state, "POST", "/backups/restore")[0]
    assert restore.json == {"backup_id": backup["id"], "notified_user_id": priya["id"]}
    state.advance()  # a finished operation is applied on the sandbox's next request; none follows here
    assert state.backups["restores"] == [{"target_env_id": staging["id"], "source_env_id": live["id"],
                                          "backup_id": backup["id"], "notified_user_id": priya["id"]}]
    assert staging["backups"][0]["note"] == f"before restore of {backup['id']}"


@pytest.mark.both_eras
async def test_restore_without_elicitation_needs_confirm_and_defaults_to_the_first_user(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "blog-acme")
    async with Client(build_server(settings), mode=mode) as client:
        listed = await client.call_tool("list_backups", {"site": "blog-acme"})
        backup_id = listed.structured_content["backups"][0]["id"]
        args = {"action": "restore", "site": "blog-acme", "backup_id": backup_id, "backup_first": False}
        preview = await client.call_tool(RESTORE, args)
        assert preview.is_error and changes(state) == []
        assert "Confirmation needed" in text_of(preview) and 'confirm="' in text_of(preview)
        assert "No backup of its current state is taken first" in text_of(preview)
        assert "Kinsta notifies Alex Morgan <alex.morgan@acmedigital.agency>" in text_of(preview)
        wrong = await client.call_tool(RESTORE, {**args, "confirm": "AAAAAA"})
        assert wrong.is_error and changes(state) == []
        done = await client.call_tool(RESTORE, {**args, "confirm": confirm_code(preview)})
    assert not done.is_error, text_of(done)
    assert changes(state) == [("POST", f"/sites/environments/{live['id']}/backups/restore")]
    state.advance()  # a finished operation is applied on the sandbox's next request; none follows here
    assert state.backups["restores"][0]["notified_user_id"] == user(state, "alex")["id"]


@pytest.mark.both_eras
@pytest.mark.parametrize(("action", "confirm"), [("decline", False), ("accept", False)])
async def test_restore_and_delete_send_nothing_when_the_user_says_no(sandbox, settings, mode, action, confirm):
    _, state = sandbox
    asker = Asker(action, confirm)
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        listed = await client.call_tool("list_backups", {"site": "portfolio"})
        backup_id = listed.structured_content["backups"][0]["id"]
        restore = await client.call_tool(RESTORE, {"action": "restore", "site": "portfolio", "backup_id": backup_id})
        delete = await client.call_tool(RESTORE, {"action": "delete", "site": "portfolio", "backup_id": backup_id})
    assert len(asker.asked) == 2
    assert restore.is_error and delete.is_error and "nothing was changed" in text_of(delete)
    assert changes(state) == []


async def test_restore_stops_when_the_backup_before_it_is_still_running(sandbox, settings):
    _, state = sandbox
    state.operation_seconds = 5.0
    live = env_of(state, "portfolio")["id"]
    async with Client(build_server(settings.with_(max_wait=0.3))) as client:
        listed = await client.call_tool("list_backups", {"site": "portfolio"})
        backup_id = listed.structured_content["backups"][0]["id"]
        result = await confirmed(client, RESTORE, {"action": "restore", "site": "portfolio", "backup_id": backup_id})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert data["state"] == "running" and "restore NOT started" in data["action"]
    assert "wait_for_job" in text_of(result) and next(iter(data["jobs"])) in text_of(result)
    assert changes(state) == [("POST", f"/sites/environments/{live}/manual-backups")]


@pytest.mark.both_eras
async def test_delete_backup_must_belong_to_the_environment(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings), mode=mode) as client:
        live_backup = (await client.call_tool("list_backups", {"site": "acmeshop"})).structured_content["backups"][1]
        wrong = await client.call_tool(RESTORE, {
            "action": "delete", "site": "acmeshop", "environment": "staging", "backup_id": live_backup["id"]})
        assert f"Backup {live_backup['id']} is not in Acme Shop (acmeshop) › staging" in text_of(wrong)
        assert changes(state) == []
        args = {"action": "delete", "site": "acmeshop", "backup_id": live_backup["id"]}
        preview = await client.call_tool(RESTORE, args)
        assert "Delete backup" in text_of(preview) and "manual “before plugin updates”" in text_of(preview)
        assert changes(state) == []
        done = await client.call_tool(RESTORE, {**args, "confirm": confirm_code(preview)})
        after = await client.call_tool("list_backups", {"site": "acmeshop"})
    assert done.structured_content["state"] == "done"
    assert changes(state) == [("DELETE", f"/sites/environments/backups/{live_backup['id']}")]
    assert live_backup["id"] not in [b["id"] for b in after.structured_content["backups"]]
    assert after.structured_content["total"] == 8


async def test_backup_arguments_are_checked_before_any_request(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        no_id = await client.call_tool(RESTORE, {"action": "restore", "site": "acmeshop"})
        assert no_id.is_error and "backup_id: required" in text_of(no_id)
        misspelt = await client.call_tool(RESTORE, {"action": "delete", "site": "acmeshop", "backup_id": 1,
                                                    "enviroment": "staging"})
        assert misspelt.is_error and "did you mean 'environment'" in text_of(misspelt)
        moved = await client.call_tool("manage_backups", {"action": "restore", "site": "acmeshop"})
        assert moved.is_error
        assert state.requests == []
        listed = await client.call_tool("list_backups", {"site": "acmeshop"})
        backup_id = listed.structured_content["backups"][0]["id"]
        nobody = await client.call_tool(RESTORE, {
            "action": "restore", "site": "acmeshop", "backup_id": backup_id, "notify_email": "ghost@example.com"})
        unknown = await client.call_tool(RESTORE, {"action": "restore", "site": "acmeshop", "backup_id": 42})
    assert nobody.is_error and "No company user has the email 'ghost@example.com'" in text_of(nobody)
    assert "tom.becker@acmedigital.agency" in text_of(nobody)
    assert unknown.is_error and "Backup 42 is not in any environment of Acme Shop (acmeshop)" in text_of(unknown)
    assert changes(state) == []


async def test_protect_live_asks_before_a_manual_backup_of_live(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(protect_live=True))) as client:
        live = await client.call_tool("manage_backups", {"action": "create", "site": "acmeshop"})
        staging = await client.call_tool(
            "manage_backups", {"action": "create", "site": "acmeshop", "environment": "staging"})
    assert live.is_error and "LIVE environment of Acme Shop" in text_of(live)
    assert not staging.is_error
    assert len(sent(state, "POST", "/manual-backups")) == 1


# -- logs --------------------------------------------------------------------------------------


async def test_logs_default_to_a_fenced_tail_of_the_error_log(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "acmeshop")["id"]
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("get_logs", {"site": "acmeshop.com"})
    assert not result.is_error, text_of(result)
    lines = result.structured_content["lines"]
    assert result.structured_content["scanned"] == 40 and "[error]" in lines[0]  # about what fits 16 KB
    assert lines[-1].startswith("2026/10/01 12:00:00 [error]")
    request = sent(state, "GET", "/logs")[0]
    assert request.path == f"/sites/environments/{live}/logs"
    assert request.query == {"file_name": "error", "lines": "40"}
    text = text_of(result)
    assert text.startswith(FENCE_NOTE) and lines[-1] in text


async def test_logs_time_window_and_search(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("get_logs", {
            "site": "acmeshop", "environment": "staging", "file": "access", "lines": 50,
            "since": "2026-10-01T10:00:00+02:00", "until": "2026-10-01T09:00:00Z", "search": "googlebot"})
        cache = await client.call_tool("get_logs", {"site": "acmeshop", "file": "cache", "lines": 5})
    assert not result.is_error, text_of(result)
    assert sent(state, "GET", "/logs")[0].query == {  # the search runs here, over what was read
        "file_name": "access", "lines": "5000", "from": "2026-10-01T08:00:00Z", "to": "2026-10-01T09:00:00Z"}
    lines = result.structured_content["lines"]
    assert lines and all("Googlebot" in line for line in lines)
    times = [datetime.strptime(line.split("[", 1)[1][:20], "%d/%b/%Y:%H:%M:%S") for line in lines]
    assert min(times) >= datetime(2026, 10, 1, 8) and max(times) <= datetime(2026, 10, 1, 9)
    assert sent(state, "GET", "/logs")[1].query["file_name"] == "kinsta-cache-perf"
    assert len(cache.structured_content["lines"]) == 5


async def test_log_arguments_are_checked_before_any_request(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        bad = await client.call_tool("get_logs", {"site": "acmeshop", "since": "last fortnight"})
        backwards = await client.call_tool(
            "get_logs", {"site": "acmeshop", "since": "2026-10-01T09:00:00Z", "until": "2026-10-01T08:00:00Z"})
        too_many = await client.call_tool("get_logs", {"site": "acmeshop", "lines": 5000})
    assert bad.is_error and "since='last fortnight' is not a time" in text_of(bad)
    assert backwards.is_error and "is not before until" in text_of(backwards)
    assert too_many.is_error
    assert state.requests == []


async def test_log_windows_mean_what_a_person_means(sandbox, settings):
    _, state = sandbox
    today = datetime.now(UTC).date()
    async with Client(build_server(settings)) as client:
        await client.call_tool("get_logs", {"site": "acmeshop", "since": "yesterday"})
        await client.call_tool("get_logs", {"site": "acmeshop", "since": "2026-10-01", "until": "2026-10-02"})
    yesterday, days = (r.query for r in state.requests if r.path.endswith("/logs"))
    assert (yesterday["from"], yesterday["to"]) == (f"{today - timedelta(days=1)}T00:00:00Z", f"{today}T00:00:00Z")
    assert (days["from"], days["to"]) == ("2026-10-01T00:00:00Z", "2026-10-03T00:00:00Z")  # until's whole day


# -- SSH / SFTP --------------------------------------------------------------------------------


async def test_ssh_access_shows_how_to_connect_with_the_password_hidden(sandbox, settings, mode):
    _, state = sandbox
    site = next(s for s in state.sites if s["name"] == "acmeshop")
    live = env_of(state, "acmeshop")
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("ssh_access", {"site": "acmeshop"})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    password = live["ssh"]["password"]
    assert (data["ssh_enabled"], data["host"], data["port"], data["user"]) == (
        True, "203.0.113.20", "30013", "acmeshop")
    assert data["password"] == f"•••••• (hidden, {len(password)} characters)"
    assert password not in text_of(result) and password not in str(data)
    assert data["ip_allowlist"] == [] and data["sftp_users_port"] == ""
    assert data["sftp_users"] == [{"username": "designer-anna", "root_directory": "/wp-content/themes",
                                   "permission": "write", "is_active": False}]
    assert "ssh acmeshop@203.0.113.20 -p 30013" in text_of(result)
    paths = {r.path for r in state.requests if r.path != "/sites"}
    env_path = f"/sites/environments/{live['id']}"
    assert paths == {f"/sites/{site['id']}/environments/{live['id']}/ssh/config", f"{env_path}/ssh/password",
                     f"{env_path}/ssh/get-allowed-ips", f"{env_path}/ssh/get-status",
                     f"{env_path}/additional-sftp-accounts"}


@pytest.mark.both_eras
async def test_ssh_password_is_revealed_only_after_the_user_agrees(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings), mode=mode, elicitation_callback=Asker("accept")) as client:
        shown = await client.call_tool("ssh_access", {"site": "acmeshop", "environment": "staging", "reveal": True})
    async with Client(build_server(settings), mode=mode, elicitation_callback=Asker("decline")) as client:
        refused = await client.call_tool("ssh_access", {"site": "acmeshop", "environment": "staging", "reveal": True})
    async with Client(build_server(settings), mode=mode) as client:
        preview = await client.call_tool("ssh_access", {"site": "acmeshop", "environment": "staging", "reveal": True})
        confirmed = await client.call_tool(
            "ssh_access", {"site": "acmeshop", "environment": "staging", "reveal": True,
                           "confirm": confirm_code(preview)})
    password = env_of(state, "acmeshop", "staging")["ssh"]["password"]
    assert shown.structured_content["password"] == password
    assert refused.is_error and password not in text_of(refused)
    assert preview.is_error and "Confirmation needed" in text_of(preview) and password not in text_of(preview)
    assert confirmed.structured_content["password"] == password


@pytest.mark.both_eras
async def test_ssh_switches_allowlist_and_expiry_are_stored(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "blog-acme")
    path = f"/sites/environments/{live['id']}/ssh"
    async with Client(build_server(settings), mode=mode) as client:
        async def change(action: str, confirm: bool = False, **more):
            args = {"action": action, "site": "blog-acme", **more}
            result = await (confirmed(client, "ssh_settings", args) if confirm
                            else client.call_tool("ssh_settings", args))
            assert not result.is_error, text_of(result)
            return result

        off = await change("ssh_off")
        await change("password_login_off")
        # From an empty allowlist (any IP) to a list narrows access: no confirmation.
        allowed = await change("allow_ips", ips=["203.0.113.7", " 198.51.100.0/24 ", "2001:db8::1"])
        await change("password_expiry", expiry="days_30")
        after = await client.call_tool("ssh_access", {"site": "blog-acme"})
        await change("allow_any_ip", confirm=True)
        await change("ssh_on", confirm=True)  # the allowlist is empty again: any IP could connect
    assert off.structured_content == {"action": "SSH/SFTP off for Acme Blog (blog-acme) › live", "state": "done",
                                      "message": "", "jobs": {}}
    assert allowed.structured_content["message"] == "203.0.113.7, 198.51.100.0/24, 2001:db8::1"
    assert after.structured_content["ssh_enabled"] is False
    assert after.structured_content["ip_allowlist"] == ["203.0.113.7", "198.51.100.0/24", "2001:db8::1"]
    assert [(r.path, r.json) for r in state.requests if r.method == "POST"] == [
        (f"{path}/set-status", {"is_enabled": False}),
        (f"{path}/set-password-status", {"is_enabled": False}),
        (f"{path}/set-allowed-ips", {"ip_allowlist": ["203.0.113.7", "198.51.100.0/24", "2001:db8::1"]}),
        (f"{path}/change-expiration-interval", {"exp_interval": "days_30"}),
        (f"{path}/set-allowed-ips", {"ip_allowlist": []}),
        (f"{path}/set-status", {"is_enabled": True}),
    ]
    ssh = live["ssh"]
    assert (ssh["enabled"], ssh["password_login"], ssh["allowlist"], ssh["expiry"]) == (True, False, [], "days_30")


@pytest.mark.both_eras
@pytest.mark.parametrize(("args", "says"), [
    ({"action": "allow_any_ip"}, "Let any IP connect over SSH/SFTP to Acme Blog (blog-acme) › live "
                                 "(now: 203.0.113.7)"),
    ({"action": "allow_ips", "ips": ["0.0.0.0/0"]}, "Let any IP connect"),
    ({"action": "allow_ips", "ips": ["203.0.113.7", "198.51.100.0/24"]}, "198.51.100.0/24 can connect that could "
                                                                         "not before"),
    ({"action": "password_login_on"}, "anyone with the password can connect"),
    ({"action": "add_sftp_user", "username": "dev", "password": "a-long-password-123!", "permission": "write",
      "root_directory": "/wp-content"}, "Add SFTP user dev to Acme Blog (blog-acme) › live with WRITE permission "
                                        "on /wp-content"),
])
async def test_opening_ssh_access_is_confirmed_before_anything_is_sent(sandbox, settings, mode, args, says):
    _, state = sandbox
    live = env_of(state, "blog-acme")
    async with Client(build_server(settings), mode=mode) as client:
        narrowed = await client.call_tool("ssh_settings", {"action": "allow_ips", "ips": ["203.0.113.7"],
                                                          "site": "blog-acme"})
        assert not narrowed.is_error, text_of(narrowed)
        before = changes(state)
        preview = await client.call_tool("ssh_settings", {**args, "site": "blog-acme"})
        assert preview.is_error and "Confirmation needed" in text_of(preview) and says in text_of(preview)
        assert changes(state) == before  # nothing sent before the user agreed
        done = await client.call_tool("ssh_settings", {**args, "site": "blog-acme", "confirm": confirm_code(preview)})
    assert not done.is_error, text_of(done)
    assert len(changes(state)) == len(before) + 1
    if args["action"] == "allow_any_ip":
        assert live["ssh"]["allowlist"] == []


async def test_narrowing_or_read_only_access_needs_no_confirmation(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        await client.call_tool("ssh_settings", {"action": "allow_ips", "ips": ["198.51.100.0/24"], "site": "blog-acme"})
        inside = await client.call_tool("ssh_settings", {"action": "allow_ips", "ips": ["198.51.100.7"],
                                                        "site": "blog-acme"})
        ssh_on = await client.call_tool("ssh_settings", {"action": "ssh_on", "site": "blog-acme"})
        reader = await client.call_tool("ssh_settings", {
            "action": "add_sftp_user", "username": "auditor", "password": "a-long-password-123!", "site": "blog-acme"})
    assert not inside.is_error and not ssh_on.is_error and not reader.is_error, text_of(reader)
    assert len(changes(state)) == 4


async def test_ssh_setting_arguments_are_checked_before_any_request(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        bad_ip = await client.call_tool(
            "ssh_settings", {"action": "allow_ips", "site": "acmeshop", "ips": ["10.0.0.300"]})
        no_ips = await client.call_tool("ssh_settings", {"action": "allow_ips", "site": "acmeshop"})
        no_expiry = await client.call_tool("ssh_settings", {"action": "password_expiry", "site": "acmeshop"})
        short = await client.call_tool("ssh_settings", {
            "action": "add_sftp_user", "site": "acmeshop", "username": "dev", "password": "too-short"})
        no_name = await client.call_tool("revoke_ssh_access", {"action": "remove_sftp_user", "site": "acmeshop"})
        misspelt = await client.call_tool("ssh_settings", {"action": "ssh_on", "site": "acmeshop", "ip": ["1.2.3.4"]})
        moved = await client.call_tool("ssh_settings", {"action": "new_password", "site": "acmeshop"})
    assert bad_ip.is_error and "'10.0.0.300' is not an IP address or CIDR range" in text_of(bad_ip)
    assert no_ips.is_error and "allow_any_ip" in text_of(no_ips)
    assert no_expiry.is_error and "password_expiry needs expiry" in text_of(no_expiry)
    assert short.is_error and "at least 16 characters" in text_of(short)
    assert no_name.is_error and "remove_sftp_user needs username" in text_of(no_name)
    assert misspelt.is_error and "did you mean 'ips'" in text_of(misspelt)
    assert moved.is_error  # destructive actions are only in revoke_ssh_access
    assert state.requests == []


@pytest.mark.both_eras
async def test_new_password_is_confirmed_then_rotated_and_stays_hidden(sandbox, settings, mode):
    _, state = sandbox
    staging = env_of(state, "client-bakery", "staging")
    args = {"action": "new_password", "site": "client-bakery", "environment": "staging"}
    async with Client(build_server(settings), mode=mode) as client:
        preview = await client.call_tool("revoke_ssh_access", args)
        assert preview.is_error and "current one stops working" in text_of(preview) and changes(state) == []
    async with Client(build_server(settings), mode=mode, elicitation_callback=Asker("decline")) as client:
        declined = await client.call_tool("revoke_ssh_access", args)
        assert declined.is_error and changes(state) == []
    old = ssh_of(staging)["password"]
    asker = Asker("accept")
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        done = await client.call_tool("revoke_ssh_access", args)
    assert not done.is_error, text_of(done)
    new = staging["ssh"]["password"]
    assert new != old and len(asker.asked) == 1 and "Rosie's Bakery" in asker.asked[0]
    assert changes(state) == [("POST", f"/sites/environments/{staging['id']}/ssh/generate-password")]
    assert new not in text_of(done) and new not in str(done.structured_content)
    assert f"hidden, {len(new)} characters" in done.structured_content["message"]


@pytest.mark.both_eras
async def test_additional_sftp_users_add_enable_and_remove(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    base = {"site": "acmeshop"}
    async with Client(build_server(settings), mode=mode) as client:
        added = await client.call_tool("ssh_settings", {
            **base, "action": "add_sftp_user", "username": "seo-agency", "password": "a-long-password-123!",
            "root_directory": "/wp-content/uploads"})
        # Switching the accounts on lets the existing ones in: the preview names them.
        enabled = await client.call_tool("ssh_settings", {**base, "action": "sftp_users_on"})
        assert enabled.is_error and "designer-anna (write, /wp-content/themes)" in text_of(enabled)
        enabled = await client.call_tool(
            "ssh_settings", {**base, "action": "sftp_users_on", "confirm": confirm_code(enabled)})
        listed = await client.call_tool("ssh_access", base)
        seo_id = next(a["id"] for a in live["additional_sftp_accounts"] if a["username"] == "seo-agency")
        missing = await client.call_tool(
            "revoke_ssh_access", {**base, "action": "remove_sftp_user", "username": "nobody"})
        preview = await client.call_tool(
            "revoke_ssh_access", {**base, "action": "remove_sftp_user", "username": "seo-agency"})
        removed = await client.call_tool("revoke_ssh_access", {
            **base, "action": "remove_sftp_user", "username": "seo-agency", "confirm": confirm_code(preview)})
        after = await client.call_tool("ssh_access", base)
    assert added.structured_content["state"] == enabled.structured_content["state"] == "done"
    assert added.structured_content["action"] == (
        "Add SFTP user seo-agency (read, /wp-content/uploads) to Acme Shop (acmeshop) › live")
    assert next(iter(added.structured_content["jobs"])).startswith("op:")
    assert "a-long-password-123!" not in text_of(added) + str(added.structured_content)
    users = {u["username"]: u for u in listed.structured_content["sftp_users"]}
    assert users["seo-agency"] == {"username": "seo-agency", "root_directory": "/wp-content/uploads",
                                   "permission": "read", "is_active": True}
    assert listed.structured_content["sftp_users_port"] == "30014"
    assert missing.is_error and "Its users: designer-anna, seo-agency" in text_of(missing)
    assert preview.is_error and "Remove additional SFTP user seo-agency (read, /wp-content/uploads)" in text_of(preview)
    assert [u["username"] for u in after.structured_content["sftp_users"]] == ["designer-anna"]
    path = f"/sites/environments/{live['id']}/additional-sftp-accounts"
    assert [(r.method, r.path, r.json) for r in state.requests if r.method != "GET"] == [
        ("POST", path, {"username": "seo-agency", "password": "a-long-password-123!",
                        "root_directory": "/wp-content/uploads", "permission": "read"}),
        ("PUT", f"{path}/toggle-status", {"enabled": True}),
        ("DELETE", f"/sites/environments/additional-sftp-accounts/{seo_id}", None),
    ]
    assert removed.structured_content["state"] == "done"
    assert live["is_additional_sftp_accounts_enabled"] is True


def test_split_tools_declare_a_risk_true_for_every_action():
    """Reads are read-only, the write tools hold no deletion or restore, the destructive ones nothing else."""
    from kinsta_mcp.gate import Risk

    tools = load_all()
    kinds = {name: tools[name].risk for name in (
        "list_backups", "manage_backups", RESTORE, "get_logs", "ssh_access", "ssh_settings", "revoke_ssh_access")}
    assert kinds == {"list_backups": Risk.READ, "manage_backups": Risk.WRITE, RESTORE: Risk.DESTRUCTIVE,
                     "get_logs": Risk.READ, "ssh_access": Risk.READ, "ssh_settings": Risk.WRITE,
                     "revoke_ssh_access": Risk.DESTRUCTIVE}

    def offered(name: str) -> set[str]:
        import typing

        return set(typing.get_args(typing.get_type_hints(tools[name].fn)["action"]))

    assert offered("manage_backups") == {"create", "request_download"}
    assert offered(RESTORE) == {"restore", "delete"}
    assert offered("revoke_ssh_access") == {"remove_sftp_user", "new_password"}
    assert not offered("ssh_settings") & {"remove_sftp_user", "new_password"}
    assert {a for a, r in tools["ssh_settings"].actions.items() if r is Risk.SENSITIVE} == {
        "allow_any_ip", "password_login_on"}
    assert tools["ssh_access"].secret and tools[RESTORE].annotations.destructive_hint
    assert not tools["manage_backups"].annotations.destructive_hint


async def test_reads_with_a_wrong_environment_send_no_area_request(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        backups = await client.call_tool("list_backups", {"site": "acmeshop", "environment": "qa"})
        ssh = await client.call_tool("ssh_access", {"site": "portfolio", "environment": "staging"})
        logs = await client.call_tool("get_logs", {"site": "nope-nope"})
    assert backups.is_error and "has no environment 'qa'" in text_of(backups)
    assert ssh.is_error and "Its environments: live" in text_of(ssh)
    assert logs.is_error and "No site matches 'nope-nope'" in text_of(logs)
    assert {r.path for r in state.requests} == {"/sites"}
