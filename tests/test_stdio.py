"""The real thing: `kinsta-mcp` as a subprocess over stdio, driven by the SDK's client in both eras."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import ElicitResult

from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[1]


def server_params(*args: str, **env: str) -> StdioServerParameters:
    # StdioServerParameters passes only a few variables through: everything needed goes in env.
    return StdioServerParameters(command=sys.executable, args=["-m", "kinsta_mcp", *args], cwd=ROOT, env=env)


class Watch:
    """Collects what the client saw besides results: progress, and anything that was not JSON-RPC."""

    def __init__(self) -> None:
        self.progress: list[str] = []
        self.garbage: list[object] = []

    async def on_progress(self, value, total, message) -> None:
        self.progress.append(message or "")

    async def on_message(self, message) -> None:
        if isinstance(message, Exception):
            self.garbage.append(message)


@pytest.mark.both_eras
async def test_against_the_sandbox_over_http(sandbox, mode):
    base, state = sandbox
    state.operation_seconds = 0.5
    watch = Watch()
    asked = []

    async def accept(context, params):
        asked.append(params.message)
        return ElicitResult(action="accept", content={"confirm": True})

    # No KINSTA_COMPANY_ID: the server must learn it from GET /validate and say so on stderr.
    params = server_params(KINSTA_API_KEY=DEMO_API_KEY, KINSTA_API_BASE_URL=base)
    with tempfile.TemporaryFile("w+") as errlog:
        async with Client(stdio_client(params, errlog=errlog), mode=mode, elicitation_callback=accept,
                          message_handler=watch.on_message) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            sites = await client.call_tool("list_sites", {})
            cleared = await client.call_tool("clear_cache", {"site": "www.acmeshop.com"},
                                             progress_callback=watch.on_progress)
            deleted = await client.call_tool("delete_site", {"site": "portfolio"})
            version = client.protocol_version
        errlog.seek(0)
        stderr = errlog.read()
    assert version == {"auto": "2026-07-28", "legacy": "2025-11-25"}[mode]
    assert {"list_sites", "clear_cache", "delete_site", "wait_for_job"} <= names
    assert sites.structured_content["company_id"] == DEMO_COMPANY_ID
    assert cleared.structured_content["state"] == "done"
    assert watch.progress and all("Clear cache on Acme Shop" in m for m in watch.progress)
    assert len(asked) == 1 and not deleted.is_error
    assert "portfolio" not in [s["name"] for s in state.sites]
    assert watch.garbage == []  # stdout carried nothing but JSON-RPC
    assert "KINSTA_COMPANY_ID not set" in stderr and DEMO_COMPANY_ID in stderr
    assert DEMO_API_KEY not in stderr


@pytest.mark.both_eras
async def test_sandbox_flag_runs_with_no_account(mode):
    watch = Watch()
    async with Client(server_params("--sandbox", "--read-only"), mode=mode, message_handler=watch.on_message) as client:
        tools = (await client.list_tools()).tools
        regions = await client.call_tool("company_info", {"what": "regions"})
    assert tools and all(t.annotations.read_only_hint for t in tools)
    assert "us-central1" in [r["region"] for r in regions.structured_content["regions"]]
    assert watch.garbage == []


async def test_sandbox_flag_serves_the_sevalla_side_too():
    async with Client(server_params("--sandbox"), mode="legacy") as client:
        names = {t.name for t in (await client.list_tools()).tools}
        usage = await client.call_tool("list_static_sites", {"usage": 1})
    assert {"app_metrics", "list_applications", "list_databases", "manage_static_site"} <= names
    assert not usage.is_error and usage.structured_content["usage"]  # a Sevalla-only endpoint answered


async def test_sandbox_flag_reports_progress_for_a_real_wait():
    watch = Watch()
    async with Client(server_params("--sandbox"), mode="legacy") as client:
        result = await client.call_tool("restart_php", {"site": "client-bakery"}, progress_callback=watch.on_progress)
    assert result.structured_content["state"] == "done"
    assert len(watch.progress) >= 2  # the sandbox's operations take about two seconds
