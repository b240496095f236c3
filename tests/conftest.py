"""Shared fixtures: a sandbox on real HTTP (127.0.0.1) checked against the official spec, and the
server pointed at it.

Every sandbox started here carries a contract observer: each request our client sends must be one
the Kinsta OpenAPI spec (or a documented 2026 addition) allows, with its required parameters, and
each JSON answer the sandbox gives must validate against the spec's schema for that status. A test
fails at teardown if anything did not.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import pytest
import uvicorn

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


@pytest.fixture
async def sandbox(specs: dict[str, SpecIndex]) -> AsyncIterator[tuple[str, SandboxState]]:
    """A seeded sandbox served by uvicorn on 127.0.0.1; yields (base_url, state)."""
    state = SandboxState()
    state.operation_seconds = 0.2
    log = ContractLog()
    state.observers.append(contract_observer(specs, log))
    state.contract = log  # type: ignore[attr-defined]  # tests may read what was checked
    app = create_app(state)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    async with anyio.create_task_group() as tg:
        tg.start_soon(server.serve)
        while not server.started:
            await anyio.sleep(0.01)
        yield f"http://127.0.0.1:{port}/v2", state
        server.should_exit = True
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


@pytest.fixture(params=["auto", "legacy"])
def mode(request: pytest.FixtureRequest) -> str:
    """2026-07-28 (auto) and 2025-11-25 (legacy) clients: both eras must work."""
    return request.param
