"""Remote use: the server over Streamable HTTP (uvicorn on 127.0.0.1), protected by a bearer token."""

from __future__ import annotations

import anyio
import httpx2
import pytest
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ElicitResult

from kinsta_mcp.secret import Secret
from kinsta_mcp.server import build_server
from tests.conftest import free_port

pytestmark = pytest.mark.anyio
TOKEN = "http-test-token-7f3"


@pytest.fixture
async def mcp_url(settings):
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    server = build_server(settings.with_(http_token=Secret(TOKEN)), public_url=url)
    app = server.streamable_http_app(streamable_http_path="/mcp")
    web = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    async with anyio.create_task_group() as tg:
        tg.start_soon(web.serve)
        while not web.started:
            await anyio.sleep(0.01)
        yield url
        web.should_exit = True


async def test_requests_without_the_token_are_refused(mcp_url):
    async with httpx2.AsyncClient() as http:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            answer = await http.post(mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                                     headers={**headers, "Accept": "application/json, text/event-stream"})
            assert answer.status_code == 401


@pytest.mark.both_eras
async def test_tools_progress_and_confirmation_over_http(sandbox, mcp_url, mode):
    _, state = sandbox
    progress, asked = [], []

    async def on_progress(value, total, message):
        progress.append(message)

    async def accept(context, params):
        asked.append(params.message)
        return ElicitResult(action="accept", content={"confirm": True})

    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        async with Client(streamable_http_client(mcp_url, http_client=http), mode=mode,
                          elicitation_callback=accept) as client:
            cleared = await client.call_tool("clear_cache", {"site": "acmeshop"}, progress_callback=on_progress)
            deleted = await client.call_tool("delete_site", {"site": "portfolio"})
    assert cleared.structured_content["state"] == "done" and progress
    assert not deleted.is_error and len(asked) == 1
    assert "portfolio" not in [s["name"] for s in state.sites]
