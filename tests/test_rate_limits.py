"""Rate limits isolated per class, shared across processes by the API's own count, never wasted.

The client against the sandbox over real HTTP: the sandbox counts per company and class (company,
creation, logs), answers 429 + Retry-After over a limit, and states its count in `RateLimit-*` headers
(`x-ratelimit-*` on Sevalla v3). A second KinstaClient is a second process: it shares the company's
count, not our limiter. Short windows keep these tests to seconds; the one with a minute-long queue runs
on the fake clock of tests/test_waiting.py.
"""

from __future__ import annotations

import functools
import time

import anyio
import httpx2
import pytest

from kinsta_mcp import errors as e
from kinsta_mcp.api.common import SITES
from kinsta_mcp.api.facade import Api
from kinsta_mcp.api.logs import LOGS
from kinsta_mcp.client import KinstaClient
from kinsta_mcp.config import Settings
from kinsta_mcp.sandbox import DEMO_COMPANY_ID, Fault
from kinsta_mcp.secret import Secret
from tests.test_waiting import FakeClock

pytestmark = pytest.mark.anyio

LOG_QUERY = {"file_name": "error", "lines": 10}


def env_id(state) -> str:
    return state.sites[0]["environments"][0]["id"]


def statuses(state, path: str) -> list[int]:
    return [r.status for r in state.requests if r.path == path]


async def answered(state, status: int) -> None:
    """Until the sandbox has answered some request with `status`."""
    with anyio.fail_after(5):
        while not any(r.status == status for r in state.requests):
            await anyio.sleep(0.01)


# -- one class's 429 pauses that class only --------------------------------------------------------------


async def test_a_429_on_logs_does_not_delay_list_sites(sandbox, settings):
    _, state = sandbox
    state.rate_limiter.window = 3.0
    state.logs_rate_limit = 1  # the second logs read of the window is refused for ~3 s
    async with KinstaClient(settings.with_(rate_window=3.0)) as kinsta:
        api = Api(kinsta, company_id=DEMO_COMPANY_ID)
        logs_path = f"/sites/environments/{env_id(state)}/logs"
        took: dict[str, float] = {}

        async def read_logs() -> None:
            await api.get(LOGS, query=LOG_QUERY, env_id=env_id(state))

        async def list_sites() -> None:
            await answered(state, 429)
            began = time.monotonic()
            await api.get(SITES, query={"company": DEMO_COMPANY_ID})
            took["sites"] = time.monotonic() - began

        began = time.monotonic()
        async with anyio.create_task_group() as group:
            group.start_soon(read_logs)
            group.start_soon(read_logs)
            group.start_soon(list_sites)
        took["logs"] = time.monotonic() - began
    assert statuses(state, logs_path) == [200, 429, 200]  # the refused one was retried, not failed
    assert took["logs"] >= 2.0  # it waited for the logs limit to free
    assert took["sites"] < 0.5  # while the company's other requests went on


async def test_the_sandbox_counts_logs_and_creation_apart_and_says_so_in_headers(sandbox, settings):
    """The emulation the tests above rely on: each class has its own count, stated in the answer."""
    base, state = sandbox
    state.logs_rate_limit = 1
    headers = {"Authorization": f"Bearer {settings.api_key.reveal()}"}
    async with httpx2.AsyncClient(base_url=base, headers=headers) as http:
        logs_path = f"/sites/environments/{env_id(state)}/logs"
        first = await http.get(logs_path, params=LOG_QUERY)
        refused = await http.get(logs_path, params=LOG_QUERY)
        sites = await http.get("/sites", params={"company": DEMO_COMPANY_ID})
    assert first.status_code == 200 and first.headers["ratelimit-limit"] == "1"
    assert first.headers["ratelimit-remaining"] == "0"
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert sites.status_code == 200 and sites.headers["ratelimit-limit"] == "120"
    assert sites.headers["ratelimit-remaining"] == "118"  # the company counted both allowed requests


# -- queueing is not failing -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
async def test_time_queued_in_our_limiter_does_not_count_against_the_retry_budget(sandbox, settings, status):
    """Two requests fill our own limiter for 1.5 s; the third queues that long, longer than the whole retry
    budget, then meets a 429 (or a 503): it is still retried, after Retry-After."""
    _, state = sandbox
    state.add_fault(Fault(method="GET", path="/validate", status=status, retry_after=1))
    async with KinstaClient(settings.with_(rate_limit=2, rate_window=1.5, retry_budget=1.2)) as api:
        await api.get("/sites", params={"company": DEMO_COMPANY_ID})
        await api.get("/sites", params={"company": DEMO_COMPANY_ID})
        began = time.monotonic()
        response = await api.get("/validate")
    assert response.status == 200 and statuses(state, "/validate") == [status, 200]
    assert time.monotonic() - began >= 1.4  # it did queue


async def test_a_429_after_a_minute_in_the_queue_is_retried_after_retry_after(sandbox, settings):
    """Kinsta's figures on a fake clock: 120 a minute used up, so the next call queues ~60 s in our limiter,
    then the API says 429, Retry-After 20 (another process took the slot): retried after 20 s, not failed."""
    _, state = sandbox
    clock = FakeClock()
    state.clock = clock.now
    async with KinstaClient(settings.with_(rate_limit=120, retry_budget=30), clock=clock) as api:
        async with anyio.create_task_group() as group:
            for _ in range(120):
                group.start_soon(api.get, "/validate")
        assert clock.t == 0.0
        state.add_fault(Fault(method="GET", path="/validate", status=429, retry_after=20))
        await api.get("/validate")
    assert statuses(state, "/validate")[-2:] == [429, 200]
    assert clock.sleeps[0] >= 59.0 and sum(clock.sleeps[1:]) >= 20.0  # queued, then waited as told
    assert api.throttled == 1


async def test_several_429s_in_a_row_within_two_windows_are_waited_through(sandbox, settings):
    """Processes sharing a key can each meet 429s in a row: 50 s + 50 s (past one window plus the budget) is still
    waited through on a fake clock; a single Retry-After longer than a window is reported at once."""
    _, state = sandbox
    clock = FakeClock()
    state.clock = clock.now
    async with KinstaClient(settings.with_(rate_limit=120, retry_budget=30), clock=clock) as api:
        state.add_fault(Fault(method="GET", path="/validate", status=429, retry_after=50, times=2))
        await api.get("/validate")
        assert statuses(state, "/validate") == [429, 429, 200] and sum(clock.sleeps) >= 100.0
        state.add_fault(Fault(method="GET", path="/validate", status=429, retry_after=61))
        with pytest.raises(e.RateLimited):
            await api.get("/validate")
    assert statuses(state, "/validate")[-1] == 429


# -- several processes share the company's count ---------------------------------------------------------


@pytest.mark.parametrize("api_base", ["kinsta", "sevalla_v3"])
async def test_pacing_on_the_apis_count_when_another_process_shares_the_key(sandbox, sevalla_settings, api_base):
    """Another process (another client: its own limiter) has used 3 of the company's 6 a window. Our
    first request learns from the headers that 2 are left: of a burst of 4, two go and two wait for the
    window to free, and the API never has to say 429. Kinsta names the headers RateLimit-*, Sevalla v3
    x-ratelimit-*."""
    _, state = sandbox
    state.rate_limit = 6
    state.rate_limiter.window = 2.0
    if api_base == "kinsta":
        where: dict = {}
        path, params = "/sites", {"company": DEMO_COMPANY_ID}
    else:
        where = {
            "base_url": sevalla_settings.sevalla_v3_url,
            "api_key": sevalla_settings.sevalla_api_key,
            "service": e.SEVALLA,
        }
        path, params = "/applications/global-env-vars", {}
    mine = sevalla_settings.with_(rate_limit=6, rate_window=2.0)
    async with KinstaClient(mine, **where) as other, KinstaClient(mine, **where) as api:
        for _ in range(3):
            await other.get(path, params=params)
        await api.get(path, params=params)
        began = time.monotonic()
        async with anyio.create_task_group() as group:
            for _ in range(4):
                group.start_soon(functools.partial(api.get, path, params=params))
        took = time.monotonic() - began
    assert statuses(state, path) == [200] * 8 and api.throttled == 0
    assert took >= 1.0  # the last two waited for the company's window


async def test_two_processes_over_the_limit_both_finish_every_call(sandbox, settings):
    """Each process thinks it has the whole limit; together they ask for twice it. Every call succeeds:
    429s cost a wait (and teach the limiter the API's count), never a failed call."""
    _, state = sandbox
    state.rate_limit = 5
    state.rate_limiter.window = 1.0
    mine = settings.with_(rate_limit=5, rate_window=1.0, retry_budget=0.5)
    async with KinstaClient(mine) as one, KinstaClient(mine) as two, anyio.create_task_group() as group:
        for api in (one, two) * 6:
            group.start_soon(api.get, "/validate")
    assert statuses(state, "/validate").count(200) == 12


# -- writes are never repeated blindly ---------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_write_answered_5xx_is_sent_once_and_says_it_may_have_happened(sandbox, settings, status):
    _, state = sandbox
    state.add_fault(Fault(method="POST", path="/sites/tools/clear-cache", status=status, times=-1))
    async with KinstaClient(settings) as api:
        with pytest.raises(e.ServerError) as caught:
            await api.post("/sites/tools/clear-cache", json={"environment_id": env_id(state)})
    assert statuses(state, "/sites/tools/clear-cache") == [status]
    assert "may still have been carried out" in caught.value.message
    assert "try again shortly" not in caught.value.message


@pytest.mark.parametrize("broken", ["timeout", "reset"])
async def test_a_write_that_timed_out_or_broke_is_sent_once(broken):
    sent: list[str] = []

    def answer(request: httpx2.Request) -> httpx2.Response:
        sent.append(request.method)
        if broken == "timeout":
            raise httpx2.ReadTimeout("no answer", request=request)
        raise httpx2.RemoteProtocolError("Server disconnected without sending a response.", request=request)

    transport = httpx2.MockTransport(answer)
    async with KinstaClient(Settings(api_key=Secret("k"), backoff_base=0.01), transport=transport) as api:
        with pytest.raises((e.Timeout, e.ConnectionFailed)) as caught:
            await api.post("/sites/tools/restart-php", json={"environment_id": "x"})
        with pytest.raises((e.Timeout, e.ConnectionFailed)):
            await api.get("/validate")
    assert sent.count("POST") == 1 and sent.count("GET") > 1  # the read was retried, the write not
    assert "may still have been carried out" in caught.value.message


async def test_changes_that_cannot_alter_the_listing_keep_it(sandbox, settings):
    """A warm clear_cache is its request plus its polls; waiting on a PHP restart by its key, and restarting
    PHP through call_endpoint, keep the cached site listing too: the next site lookup sends no listing."""
    from mcp import Client

    from kinsta_mcp.server import build_server

    _, state = sandbox
    site = next(s for s in state.sites if s["name"] == "acmeshop")
    live = next(e["id"] for e in site["environments"] if e["name"] == "live")
    async with Client(build_server(settings)) as client:
        await client.call_tool("list_sites", {})
        restart = await client.call_tool("restart_php", {"site": "acmeshop", "max_wait_seconds": 0})
        before = len(state.requests)
        cleared = await client.call_tool("clear_cache", {"site": "acmeshop", "max_wait_seconds": 10})
        waited = await client.call_tool("wait_for_job", {"jobs": list(restart.structured_content["jobs"]),
                                                         "max_wait_seconds": 10})
        called = await client.call_tool("call_endpoint", {"endpoint": "kinsta:restartPhpEngine",
                                                          "body": {"environment_id": live}})
        await client.call_tool("clear_cache", {"site": "acmeshop", "max_wait_seconds": 0})
    assert not (cleared.is_error or waited.is_error or called.is_error)
    sent = [(r.method, r.path) for r in state.requests[before:]]
    assert ("GET", "/sites") not in sent, sent
    assert sent[0] == ("POST", "/sites/tools/clear-cache")
