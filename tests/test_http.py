"""Remote use: the server over Streamable HTTP (uvicorn on 127.0.0.1) as `kinsta-mcp --http` builds it:
a plain bearer-token resource server (no OAuth to discover), with idle sessions dropped and capped."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
import pytest
import uvicorn
from mcp import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from mcp.types import ElicitResult

from kinsta_mcp.http_serve import MCP_PATH, Http, build_app
from kinsta_mcp.secret import Secret
from kinsta_mcp.server import build_server
from tests.conftest import free_port

pytestmark = pytest.mark.anyio
TOKEN = "http-test-token-7f3"
ACCEPT = {"Accept": "application/json, text/event-stream"}
LEGACY = "2025-11-25"  # the era with sessions (2026-07-28 requests are per-request)
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": LEGACY, "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}},
}
OAUTH_PATHS = [
    "/.well-known/oauth-protected-resource",
    "/.well-known/oauth-protected-resource/mcp",
    "/.well-known/oauth-authorization-server",
    "/.well-known/oauth-authorization-server/mcp",
    "/.well-known/openid-configuration",
    "/authorize",
    "/token",
    "/register",
]


@asynccontextmanager
async def served(settings, *, token: str = TOKEN, idle: float = 600, cap: int = 200, url: str = ""):
    """The app on a free 127.0.0.1 port; yields (url, paths asked for)."""
    port = free_port()
    http = Http("127.0.0.1", port, url or f"http://127.0.0.1:{port}{MCP_PATH}", idle, cap, Secret(token))
    app = build_app(build_server(settings), http)
    seen: list[str] = []

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append(scope["path"])
        await app(scope, receive, send)

    web = uvicorn.Server(uvicorn.Config(recording, host="127.0.0.1", port=port, log_level="warning"))
    async with anyio.create_task_group() as tg:
        tg.start_soon(web.serve)
        while not web.started:
            await anyio.sleep(0.01)
        yield f"http://127.0.0.1:{port}{MCP_PATH}", seen
        web.should_exit = True


@pytest.fixture
async def mcp_url(settings):
    async with served(settings) as (url, _):
        yield url


async def failure_of(work) -> str:
    """The text of what `work()` raised, exception groups unwrapped."""
    try:
        await work()
    except BaseException as error:  # the SDK wraps its errors in groups
        while isinstance(error, BaseExceptionGroup):
            error = error.exceptions[0]
        return str(error)
    raise AssertionError("expected a failure")


@pytest.mark.both_eras
async def test_a_client_without_the_header_gets_a_clean_401_and_tries_no_oauth(settings, mode):
    async with served(settings) as (url, seen):

        async def connect() -> None:
            async with Client(streamable_http_client(url), mode=mode) as client:
                await client.list_tools()

        error = await failure_of(connect)
    assert "Unauthorized: no bearer token was sent" in error and "Authorization: Bearer <token>" in error
    assert "KINSTA_MCP_HTTP_TOKEN" in error and TOKEN not in error
    assert seen and set(seen) == {MCP_PATH}  # no discovery requests


async def test_the_challenge_is_a_plain_bearer_one_and_no_oauth_route_exists(mcp_url):
    base = mcp_url.removesuffix(MCP_PATH)
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    async with httpx2.AsyncClient(headers=ACCEPT) as http:
        missing = await http.post(mcp_url, json=ping)
        wrong = await http.post(mcp_url, json=ping, headers={"Authorization": "Bearer wrong"})
        basic = await http.post(mcp_url, json=ping, headers={"Authorization": f"Basic {TOKEN}"})
        others = [await http.request("POST" if p == "/register" else "GET", base + p) for p in OAUTH_PATHS]
    assert missing.status_code == wrong.status_code == basic.status_code == 401
    assert missing.headers["www-authenticate"] == basic.headers["www-authenticate"] == 'Bearer realm="kinsta-mcp"'
    challenge = wrong.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="kinsta-mcp", error="invalid_token"')
    assert "resource_metadata" not in challenge + missing.text
    assert "not this server's" in wrong.json()["error"]["message"]
    for path, answer in zip(OAUTH_PATHS, others, strict=True):
        assert answer.status_code == 404, path
        described = answer.json()["error_description"]
        assert mcp_url in described and "Authorization: Bearer <token>" in described and "no OAuth login" in described
    assert all(TOKEN not in a.text for a in [missing, wrong, basic, *others])


class Memory:
    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info


async def test_an_oauth_client_finds_no_login_and_is_told_to_send_the_header(settings):
    """A client that does OAuth on a 401 (as Claude Code does without a configured header) finds no metadata,
    falls back to registering, and fails with our explanation instead of starting a login."""
    redirected: list[str] = []

    async def redirect(url: str) -> None:
        redirected.append(url)

    async with served(settings) as (url, seen):
        oauth = OAuthClientProvider(
            url,
            OAuthClientMetadata(redirect_uris=["http://127.0.0.1:1/callback"], client_name="test"),
            Memory(),
            redirect_handler=redirect,
        )

        async def connect() -> None:
            http = httpx2.AsyncClient(auth=oauth)
            async with http, Client(streamable_http_client(url, http_client=http), mode="legacy") as client:
                await client.list_tools()

        error = await failure_of(connect)
    assert "Registration failed: 404" in error and "Authorization: Bearer <token>" in error
    assert not redirected and "/token" not in seen and "/authorize" not in seen
    assert "/register" in seen and any(p.startswith("/.well-known/oauth-protected-resource") for p in seen)


@pytest.mark.both_eras
async def test_tools_progress_and_confirmation_over_http(sandbox, mcp_url, mode):
    _, state = sandbox
    progress, asked = [], []

    async def on_progress(value, total, message):
        progress.append(message)

    async def accept(context, params):
        asked.append(params.message)
        return ElicitResult(action="accept", content={"confirm": True})

    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"})
    async with (
        http,
        Client(streamable_http_client(mcp_url, http_client=http), mode=mode, elicitation_callback=accept) as client,
    ):
        cleared = await client.call_tool("clear_cache", {"site": "acmeshop"}, progress_callback=on_progress)
        deleted = await client.call_tool("delete_site", {"site": "portfolio"})
    assert cleared.structured_content["state"] == "done" and progress
    assert not deleted.is_error and len(asked) == 1
    assert "portfolio" not in [s["name"] for s in state.sites]


# ----- sessions ------------------------------------------------------------------------------


def session_headers(session: str) -> dict[str, str]:
    return {"mcp-session-id": session, "mcp-protocol-version": LEGACY}


async def open_session(http: httpx2.AsyncClient, url: str) -> str:
    answer = await http.post(url, json=INITIALIZE)
    assert answer.status_code == 200, answer.text
    session = answer.headers["mcp-session-id"]
    sent = await http.post(
        url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=session_headers(session)
    )
    assert sent.status_code == 202
    return session


async def ping(http: httpx2.AsyncClient, url: str, session: str) -> int:
    answer = await http.post(url, json={"jsonrpc": "2.0", "id": 9, "method": "ping"}, headers=session_headers(session))
    return answer.status_code


def authorized() -> httpx2.AsyncClient:
    return httpx2.AsyncClient(headers={**ACCEPT, "Authorization": f"Bearer {TOKEN}"}, timeout=10)


async def test_an_idle_session_is_dropped_and_a_used_one_kept(settings):
    async with served(settings, idle=1) as (url, _), authorized() as http:
        left, used = await open_session(http, url), await open_session(http, url)
        for _ in range(6):  # 1.5 s, a request every 0.25 s (slack for a loaded machine)
            await anyio.sleep(0.25)
            assert await ping(http, url, used) == 200
        assert await ping(http, url, left) == 404
        await anyio.sleep(1.5)
        assert await ping(http, url, used) == 404


async def test_at_the_cap_the_longest_idle_session_makes_room(settings):
    async with served(settings, cap=3) as (url, _), authorized() as http:
        first, second, third = [await open_session(http, url) for _ in range(3)]
        assert await ping(http, url, first) == 200  # now `second` is idle the longest
        fourth = await open_session(http, url)
        assert [await ping(http, url, s) for s in (second, first, third, fourth)] == [404, 200, 200, 200]
        fifth = await open_session(http, url)  # `first` was pinged before `third`: it goes
        assert [await ping(http, url, s) for s in (first, third, fourth, fifth)] == [404, 200, 200, 200]


async def test_sessions_in_use_are_never_dropped_for_a_newcomer(settings):
    """An open event stream (a request in flight) holds its session; with every session busy the newcomer
    gets the SDK's 503, and room returns as soon as one is idle."""
    async with served(settings, cap=2) as (url, _), authorized() as http:
        first, second = await open_session(http, url), await open_session(http, url)
        listen = {**session_headers(first), "Accept": "text/event-stream"}
        async with http.stream("GET", url, headers=listen) as stream:
            assert stream.status_code == 200
            async with http.stream("GET", url, headers={**listen, **session_headers(second)}) as other:
                assert other.status_code == 200
                refused = await http.post(url, json=INITIALIZE)
                assert refused.status_code == 503 and "Too many open sessions" in refused.text
            # `second` is idle once the server has seen its stream close: then it makes room.
            with anyio.fail_after(5):
                while (await http.post(url, json=INITIALIZE)).status_code == 503:
                    await anyio.sleep(0.05)
            assert [await ping(http, url, s) for s in (second, first)] == [404, 200]


async def test_a_public_url_host_is_accepted_and_others_refused(settings):
    """Behind a local TLS proxy the Host is the public one; DNS-rebinding protection still refuses others."""
    async with served(settings, url="https://mcp.example.com/mcp") as (url, _), authorized() as http:
        public = await http.post(url, json=INITIALIZE, headers={"Host": "mcp.example.com"})
        evil = await http.post(url, json=INITIALIZE, headers={"Host": "evil.example"})
        origin = await http.post(url, json=INITIALIZE, headers={"Origin": "https://mcp.example.com"})
        missing = await http.get(url.removesuffix(MCP_PATH) + "/")
    assert public.status_code == origin.status_code == 200 and evil.status_code == 421
    assert "https://mcp.example.com/mcp" in missing.json()["error_description"]


async def test_on_loopback_without_a_token_no_header_is_needed(settings):
    async with served(settings, token="") as (url, _):
        async with Client(url, mode="legacy") as client:
            assert (await client.list_tools()).tools
        async with httpx2.AsyncClient() as http:
            missing = await http.get(url.removesuffix(MCP_PATH) + "/register")
    assert missing.status_code == 404 and "Bearer" not in missing.text and url in missing.text
