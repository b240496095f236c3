"""The command line: start-up errors, `call` for scripts, `tools`, `--help`."""

from __future__ import annotations

import json
import os
import sys

import anyio
import pytest

from kinsta_mcp.config import OPTIONS
from kinsta_mcp.sandbox import DEMO_API_KEY

pytestmark = pytest.mark.anyio


async def run(*args: str, **env: str) -> tuple[int, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KINSTA_")}
    result = await anyio.run_process([sys.executable, "-m", "kinsta_mcp", *args], env=clean | env, check=False)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


async def test_missing_key_is_one_clear_line_and_exit_2():
    code, out, err = await run()
    assert code == 2 and out == ""
    assert "KINSTA_API_KEY" in err and "API Keys" in err and "--sandbox" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


async def test_rejected_key_is_exit_2_without_traceback(sandbox):
    base, _ = sandbox
    code, out, err = await run(KINSTA_API_KEY="wrong-key-42", KINSTA_API_BASE_URL=base)
    assert code == 2 and out == ""
    assert "401" in err and "API Keys" in err and "Traceback" not in err
    assert "wrong-key-42" not in err


async def test_bad_setting_value_is_exit_2():
    code, _, err = await run(KINSTA_API_KEY="k", KINSTA_TIMEOUT="soon")
    assert code == 2 and "KINSTA_TIMEOUT" in err and "Traceback" not in err


async def test_unknown_toolset_is_exit_2():
    code, _, err = await run("tools", "--toolsets", "sites,nope")
    assert code == 2 and "nope" in err and "sites" in err


async def test_call_prints_a_summary_or_json(sandbox):
    base, _ = sandbox
    env = {"KINSTA_API_KEY": DEMO_API_KEY, "KINSTA_API_BASE_URL": base}
    code, out, err = await run("call", "list_sites", "--json", **env)
    assert code == 0 and err.count("KINSTA_COMPANY_ID not set") == 1
    assert json.loads(out)["result"]["total"] == 5  # tests/test_cli_call.py: the --json document
    code, out, err = await run("call", "clear_cache", "site=acmeshop", "environment=staging", **env)
    assert code == 0 and "Done: Clear cache on Acme Shop (acmeshop) › staging" in out
    assert "…" not in err  # progress lines only on a terminal: a cron job mails whatever it prints


async def test_call_with_sandbox_flag_in_either_position():
    first = await run("--sandbox", "call", "list_sites", "site=acmeshop.com", "--json")
    second = await run("call", "list_sites", "site=acmeshop.com", "--json", "--sandbox")
    assert first[0] == second[0] == 0
    names = [json.loads(out)["result"]["sites"][0]["name"] for _, out, _ in (first, second)]
    assert names == ["acmeshop", "acmeshop"]


async def test_destructive_call_without_confirm_changes_nothing_and_exits_3():
    code, out, err = await run("--sandbox", "call", "delete_site", "site=portfolio")
    assert code == 3 and out == "" and "Confirmation needed" in err and "--confirm=delete_site" in err
    # The model's confirmation code is not taken on the command line: --confirm is.
    refused = await run("--sandbox", "call", "delete_site", "site=portfolio", "confirm=ABC234")
    assert refused[0] == 2 and "--confirm" in refused[2]  # the confirmed run: tests/test_cli_call.py


async def test_call_rejects_unknown_arguments():
    code, _, err = await run("--sandbox", "call", "list_sites", "name=acmeshop")
    assert code == 2 and "name: unknown argument" in err and "site" in err


async def test_tools_lists_by_toolset_and_honours_read_only():
    code, out, _ = await run("tools")
    assert code == 0 and "delete_site" in out and "destructive" in out
    code, out, _ = await run("tools", "--read-only")
    offered, _, left_out = out.partition("Not offered here")
    assert code == 0 and "delete_site" not in offered and "list_sites" in offered
    assert "delete_site" in left_out and "call TOOL --help" in left_out  # which flag would offer it


async def test_help_documents_every_option_and_variable():
    code, out, _ = await run("--help")
    assert code == 0
    for option in OPTIONS:
        assert option.flag in out and option.env in out


async def test_http_beyond_loopback_needs_a_token():
    code, _, err = await run("--sandbox", "--transport", "http", "--host", "0.0.0.0")
    assert code == 2 and "KINSTA_MCP_HTTP_TOKEN" in err
