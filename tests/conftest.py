"""Shared fixtures: a sandbox on real HTTP (127.0.0.1) checked against the official spec, and the
server pointed at it.

One sandbox app on one 127.0.0.1 socket serves the whole session (uvicorn's protocol, run in each test's
event loop); each test gets a fresh seeded SandboxState swapped in under it (``app.state.sandbox``).

Every sandbox state handed out here carries a contract observer: each request our client sends must be one
the Kinsta OpenAPI spec (or a documented 2026 addition) allows, with its required parameters, and
each JSON answer the sandbox gives must validate against the spec's schema for that status. A test
fails at teardown if anything did not.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette

from kinsta_mcp.config import Settings
from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID, DEMO_SEVALLA_KEY, SandboxState, create_app
from kinsta_mcp.secret import Secret
from tests.spec import SpecIndex

CLIENT_AGENT = "kinsta-mcp/"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def spec() -> SpecIndex:
    return SpecIndex.load()


@pytest.fixture(scope="session")
def specs() -> dict[str, SpecIndex]:
    """The official spec of each sandbox base (Kinsta v2, Sevalla v2, Sevalla v3)."""
    return {base: SpecIndex.for_base(base) for base in ("kinsta", "sevalla_v2", "sevalla_v3")}


@dataclass
class ContractLog:
    checked: int = 0
    problems: list[str] = field(default_factory=list)


def contract_observer(specs: dict[str, SpecIndex], log: ContractLog):
    def observe(request: Any) -> None:
        spec = specs.get(request.base)
        if spec is None:
            return  # outside every API base: nothing to check against
        where = f"{request.method} {request.path}" if request.base == "kinsta" else (
            f"{request.base} {request.method} {request.path}")
        if request.headers.get("user-agent", "").startswith(CLIENT_AGENT):
            log.checked += 1
            log.problems += [f"request {where}: {p}" for p in spec.request_problems(
                request.method, request.path, request.query, request.json)]
        if request.response_json is not None and request.route is not None:
            log.problems += [f"response {where} {request.status}: {p}" for p in spec.response_problems(
                request.method, request.path, request.status, request.response_json)]

    return observe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SandboxServer:
    """The session's sandbox: one app, one listening socket on 127.0.0.1 and one uvicorn configuration.

    Each test's event loop serves the socket while the test runs (``serve``): requests are answered in
    the test's own loop, as when every test started its own uvicorn, so the order of events between the
    client and the sandbox stays what it was; what is no longer paid per test is uvicorn's start and its
    stop (a 0.1 s tick and a 0.1 s grace sleep).
    """

    base_url: str
    app: Starlette
    sock: socket.socket
    config: uvicorn.Config

    @contextlib.asynccontextmanager
    async def serve(self, state: SandboxState) -> AsyncIterator[None]:
        """Serve ``state`` from this event loop until the block ends, then stop as uvicorn stops: no new
        connections, idle ones closed, requests still being answered (say, behind a delay fault a test
        gave up on) finished, so they are answered from, and checked against, this test's state."""
        self.app.state.sandbox = state
        server = uvicorn.Server(self.config)
        server.lifespan = self.config.lifespan_class(self.config)  # lifespan="off": a no-op
        await server.startup(sockets=[self.sock.dup()])  # the dup is closed on the way out, not the socket
        try:
            yield
        finally:
            for listener in server.servers:
                listener.close()
            for connection in list(server.server_state.connections):
                connection.shutdown()  # closes idle keep-alive connections, busy ones after their answer
            deadline = time.monotonic() + 30
            while (server.server_state.connections or server.server_state.tasks) and time.monotonic() < deadline:
                await asyncio.sleep(0.001)
            for listener in server.servers:
                await listener.wait_closed()
            self.app.state.sandbox = SandboxState(seed=False)  # nothing of this test's state is left served


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    """The session's sandbox app and socket (see SandboxServer)."""
    app = create_app(SandboxState(seed=False))
    # proto IPPROTO_TCP, not socket()'s 0: asyncio sets TCP_NODELAY on a connection only when it sees
    # that, and without it Nagle plus delayed ACKs add ~40 ms to every keep-alive request.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # and accepted sockets inherit it on Linux
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    config.load()
    try:
        yield SandboxServer(f"http://127.0.0.1:{port}/v2", app, sock, config)
    finally:
        sock.close()


@pytest.fixture
async def sandbox(sandbox_server: SandboxServer, specs: dict[str, SpecIndex]) -> AsyncIterator[tuple[str, SandboxState]]:
    """A fresh seeded sandbox state served on 127.0.0.1 (the session's socket); yields (base_url, state)."""
    state = SandboxState()
    state.operation_seconds = 0.2
    log = ContractLog()
    state.observers.append(contract_observer(specs, log))
    state.contract = log  # type: ignore[attr-defined]  # tests may read what was checked
    async with sandbox_server.serve(state):
        yield sandbox_server.base_url, state
    assert not log.problems, "contract violations:\n" + "\n".join(log.problems)


def fast_settings(base_url: str, *, sevalla: bool = False, **changes: Any) -> Settings:
    """Settings for tests: the sandbox's keys and company, and short polling/backoff.

    `sevalla=True` adds the Sevalla key and base (the sandbox serves /sevalla/v2 and /sevalla/v3 beside
    Kinsta's /v2), so application, database and static-site tools go to Sevalla.
    """
    root = base_url.removesuffix("/v2")
    base = Settings(
        sevalla_api_key=Secret(DEMO_SEVALLA_KEY if sevalla else ""),
        sevalla_base_url=f"{root}/sevalla/v2",
        api_key=Secret(DEMO_API_KEY),
        company_id=DEMO_COMPANY_ID,
        base_url=base_url,
        timeout=5.0,
        connect_timeout=2.0,
        retry_budget=5.0,
        poll_initial=0.05,
        poll_max=0.2,
        operation_grace=1.0,
        backoff_base=0.01,
    )
    return base.with_(**changes)


@pytest.fixture
def settings(sandbox: tuple[str, SandboxState]) -> Settings:
    return fast_settings(sandbox[0])


@pytest.fixture
def sevalla_settings(sandbox: tuple[str, SandboxState]) -> Settings:
    """Settings with a Sevalla key: applications, databases and static sites go to the sandbox's Sevalla."""
    return fast_settings(sandbox[0], sevalla=True)


@pytest.fixture(params=["kinsta", "sevalla"])
def base(request: pytest.FixtureRequest) -> str:
    """The two routes of the application, database and static-site tools (see tests/paas.py)."""
    return request.param


@pytest.fixture
def paas_settings(base: str, settings: Settings, sevalla_settings: Settings) -> Settings:
    """Kinsta's base (no Sevalla key, the PaaS toolsets asked for) or Sevalla's (key set)."""
    from tests.paas import PAAS_TOOLSETS

    return settings.with_(toolsets=PAAS_TOOLSETS) if base == "kinsta" else sevalla_settings


ERAS = ("auto", "legacy")


@pytest.fixture
def mode(request: pytest.FixtureRequest) -> str:
    """The client's protocol era: 2026-07-28 ("auto"), and also 2025-11-25 ("legacy") for tests marked
    ``both_eras`` (see pytest_generate_tests)."""
    return request.param


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests taking ``mode`` run on 2026-07-28 only, unless marked ``@pytest.mark.both_eras`` (where the
    era changes what happens: confirmation and elicitation, progress, transports): then on both."""
    if "mode" in metafunc.fixturenames:
        eras = ERAS if metafunc.definition.get_closest_marker("both_eras") else ERAS[:1]
        metafunc.parametrize("mode", eras, indirect=True)
