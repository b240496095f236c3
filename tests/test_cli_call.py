"""`kinsta-mcp call` for people and cron, run as the real program: tool --help, typed key=value arguments,
one line per bad argument, terminal text without the model's fence, the --json document, exit codes 0-3,
--confirm naming the call, and the reason a tool is not offered."""

from __future__ import annotations

import json
import os
import sys

import anyio
import pytest

from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID
from kinsta_mcp.text import FENCE_NOTE

pytestmark = pytest.mark.anyio

JSON_KEYS = {"ok", "exit_code", "tool", "result", "text", "error"}


async def run(*args: str, **env: str) -> tuple[int, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KINSTA_", "SEVALLA_"))}
    result = await anyio.run_process([sys.executable, "-m", "kinsta_mcp", *args], env=clean | env, check=False)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


async def run_all(*commands: tuple[str, ...], **env: str) -> list[tuple[int, str, str]]:
    """Several independent commands at once (each start is most of its cost)."""
    results: list[tuple[int, str, str]] = [(0, "", "")] * len(commands)

    async def one(i: int, command: tuple[str, ...]) -> None:
        results[i] = await run(*command, **env)

    async with anyio.create_task_group() as tg:
        for i, command in enumerate(commands):
            tg.start_soon(one, i, command)
    return results


def on_sandbox(sandbox) -> dict[str, str]:
    base, _ = sandbox
    return {"KINSTA_API_KEY": DEMO_API_KEY, "KINSTA_API_BASE_URL": base, "KINSTA_COMPANY_ID": DEMO_COMPANY_ID}


def unfenced(text: str) -> bool:
    return FENCE_NOTE not in text and "kinsta-data-" not in text


def changes(state) -> list[str]:
    return [f"{r.method} {r.path}" for r in state.requests if r.method != "GET"]


async def test_help_of_a_tool_and_of_call_need_no_key():
    (code, out, err), (call_code, call_out, _), (keyless, keyless_out, keyless_err) = await run_all(
        ("call", "restore_or_delete_backup", "--help"), ("call", "--help"), ("call", "list_sites", "--json")
    )
    assert keyless == 2 and "KINSTA_API_KEY" in keyless_err and json.loads(keyless_out)["error"]["kind"] == "usage"
    assert code == 0 and err == ""
    assert "action" in out and "required; one of: restore, delete" in out
    assert "backup_id" in out and "integer ≥ 1" in out
    assert "backup_first" in out and "default true" in out  # defaults, and the argument's own description
    assert "restore: back up first" in out
    assert "kinsta-mcp call restore_or_delete_backup action=delete" in out  # an example command line
    assert "--confirm=restore_or_delete_backup:delete" in out and "exits 3" in out
    assert "confirm " not in out.split("arguments (key=value):")[1].split("\n\n")[0]  # the model's code: not offered
    assert call_code == 0
    for words in ("starts fresh for each call", '"exit_code"', "confirmation_needed", "3  confirmation needed"):
        assert words in call_out, words


async def test_bad_arguments_are_one_line_each_before_anything_is_sent(sandbox):
    _, state = sandbox
    code, out, err = await run(
        "call",
        "create_site",
        "kind=nope",
        "extras=woocommerce,bogus",
        "admin_pasword=hunter2-secret",
        "confirm=ABC123",
        **on_sandbox(sandbox),
    )
    lines = err.strip().splitlines()
    assert code == 2 and out == "" and state.requests == []
    assert [line.split(": ")[1] for line in lines] == ["kind", "extras", "admin_pasword", "confirm", "display_name"]
    assert all(line.startswith("kinsta-mcp call create_site: ") for line in lines)
    assert "one of: wordpress, plain, clone" in lines[0]  # what is allowed
    assert "'bogus'" in lines[1] and "woocommerce, wordpressseo" in lines[1]
    assert "did you mean admin_password" in lines[2] and "--confirm" in lines[3] and "required" in lines[4]
    assert "hunter2" not in err and "Input should" not in err and "validation error" not in err


async def test_lists_take_commas_or_json_and_the_preview_shows_every_item(sandbox):
    env = on_sandbox(sandbox)
    (code, out, err), (code_json, out_json, _) = await run_all(
        ("call", "remove_domains", "site=acmeshop", "domains=www.acmeshop.com,acmeshop.kinsta.cloud"),
        ("call", "remove_domains", "site=acmeshop", 'domains=["www.acmeshop.com","acmeshop.kinsta.cloud"]', "--json"),
        **env,
    )
    assert code == code_json == 3, err
    assert "www.acmeshop.com" in err and "acmeshop.kinsta.cloud" in err and out == ""
    preview = json.loads(out_json)["error"]["preview"]
    assert "www.acmeshop.com" in preview and "acmeshop.kinsta.cloud" in preview
    assert not changes(sandbox[1])


async def test_destructive_call_needs_a_confirm_that_names_it(sandbox):
    env = on_sandbox(sandbox)
    _, state = sandbox
    (code, out, err), (wrong, _, wrong_err) = await run_all(
        ("call", "delete_site", "site=portfolio", "--json"),
        ("call", "delete_site", "site=portfolio", "--confirm=restore_or_delete_backup"),
        **env,
    )
    document = json.loads(out)
    assert code == 3 and set(document) == JSON_KEYS and document["ok"] is False and document["exit_code"] == 3
    error = document["error"]
    assert error["kind"] == "confirmation_needed" and error["confirm_flag"] == "--confirm=delete_site"
    assert "Portfolio" in error["preview"] and "cannot be undone" in error["preview"]
    assert "--confirm=delete_site" in err and unfenced(out + err) and 'confirm="' not in err
    assert wrong == 2 and "does not name this call" in wrong_err and "--confirm=delete_site" in wrong_err
    assert not changes(state)

    code, out, err = await run("call", "delete_site", "site=portfolio", "--confirm=delete_site", "--json", **env)
    document = json.loads(out)
    assert code == 0 and document["ok"] is True and document["error"] is None, err
    assert document["result"]["state"] == "done" and "Delete site Portfolio" in document["text"]
    assert [c for c in changes(state) if c.startswith("DELETE /sites/")]
    assert DEMO_API_KEY not in out + err


async def test_an_action_tool_is_confirmed_per_action(sandbox):
    env = on_sandbox(sandbox)
    live = ("call", "cache_settings", "action=php_version", "value=8.3", "site=acmeshop", "--protect-live")
    (asked, _, err), (wrong, _, wrong_err), (bare, _, bare_err) = await run_all(
        live, (*live, "--confirm=cache_settings:edge_cache_off"), (*live, "--confirm=cache_settings"), **env
    )
    assert asked == 3 and "LIVE environment" in err and "--confirm=cache_settings:php_version" in err
    assert wrong == 2 and "--confirm=cache_settings:php_version" in wrong_err
    assert bare == 2 and "name the action too" in bare_err
    assert not changes(sandbox[1])


async def test_terminal_text_and_json_carry_no_model_wrapper(sandbox):
    env = on_sandbox(sandbox)
    (code, out, err), (code_json, out_json, _), (failed, failed_out, failed_err) = await run_all(
        ("call", "list_plugins", "updates_only"),
        ("call", "list_plugins", "updates_only=true", "--json"),
        ("call", "list_sites", "site=no-such-site", "--json"),
        **env,
    )
    assert code == code_json == 0 and err == ""  # no progress lines without a terminal: no cron mail
    assert "need an update" in out and unfenced(out)
    document = json.loads(out_json)
    assert set(document) == JSON_KEYS and document["tool"] == "list_plugins" and document["error"] is None
    assert document["result"]["items"] and all(item["updates"] > 0 for item in document["result"]["items"])
    assert document["text"] == out.strip() and unfenced(document["text"])
    assert failed == 1 and json.loads(failed_out)["error"]["kind"] == "tool_error"
    assert len(failed_err.strip().splitlines()) == 1 and "no-such-site" in failed_err and unfenced(failed_err)


async def test_a_hidden_tool_says_why_and_what_offers_it():
    key = {"KINSTA_API_KEY": "k-not-used"}  # refused before any request: no API needed
    results = await run_all(
        ("call", "delete_site", "site=x", "--read-only"),
        ("call", "list_applications"),
        ("call", "list_plugins", "--toolsets", "sites,cache"),
        ("call", "lsit_sites", "--json"),
        **key,
    )
    (read_only, _, ro_err), (sevalla, _, sv_err), (toolsets, _, ts_err), (unknown, unknown_out, un_err) = results
    assert {read_only, sevalla, toolsets, unknown} == {2}
    assert "read-only mode" in ro_err and "--read-only" in ro_err and "KINSTA_READ_ONLY" in ro_err
    assert "SEVALLA_API_KEY" in sv_err and "--toolsets default,applications" in sv_err
    assert "--toolsets sites,cache,plugins" in ts_err
    assert "did you mean list_sites" in un_err and json.loads(unknown_out)["error"]["kind"] == "usage"
    for err in (ro_err, sv_err, ts_err, un_err):
        assert len(err.strip().splitlines()) == 1 and "No tool" not in err and "k-not-used" not in err
