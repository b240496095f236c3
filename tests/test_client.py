"""The API client against the sandbox over real HTTP: error mapping, retries, rate limiting, redaction."""

from __future__ import annotations

import time

import anyio
import pytest

from kinsta_mcp import errors as e
from kinsta_mcp.client import KinstaClient
from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID, Fault
from kinsta_mcp.secret import Secret
from tests.conftest import fast_settings, free_port

pytestmark = pytest.mark.anyio


async def test_reads_and_sends_the_bearer_key(sandbox, settings):
    base, state = sandbox
    async with KinstaClient(settings) as api:
        response = await api.get("/sites", params={"company": DEMO_COMPANY_ID, "include_environments": True})
    names = [s["name"] for s in response.data["company"]["sites"]]
    assert "acmeshop" in names and response.status == 200
    sent = state.requests[-1]
    assert sent.query == {"company": DEMO_COMPANY_ID, "include_environments": "true"}  # booleans as strings
    assert sent.headers["user-agent"].startswith("kinsta-mcp/")


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (400, e.BadRequest, "invalid"),
        (403, e.Forbidden, "owner or administrator"),
        (404, e.NotFound, "no access"),
        (422, e.BadRequest, "invalid"),
    ],
)
async def test_error_statuses_map_to_actionable_errors(sandbox, settings, status, error, words):
    _, state = sandbox
    state.add_fault(Fault(method="GET", path="/sites/*", status=status))
    async with KinstaClient(settings) as api:
        with pytest.raises(error) as caught:
            await api.get("/sites/abc")
    assert caught.value.status == status
    assert words in caught.value.message
    assert len([r for r in state.requests if r.path == "/sites/abc"]) == 1  # client errors are not retried


async def test_wrong_key_says_where_to_make_a_new_one(sandbox, settings):
    async with KinstaClient(settings.with_(api_key=Secret("not-the-key-123"))) as api:
        with pytest.raises(e.Unauthorized) as caught:
            await api.get("/validate")
    assert "API Keys" in caught.value.message and "KINSTA_API_KEY" in caught.value.message
    assert "not-the-key-123" not in caught.value.message


async def test_kinsta_message_is_quoted_in_errors(sandbox, settings):
    _, state = sandbox
    async with KinstaClient(settings) as api:
        with pytest.raises(e.BadRequest) as caught:
            await api.post("/sites/tools/clear-cache", json={})
    assert "environment_id" in caught.value.message
    # The request was invalid on purpose; the contract observer must have noticed, and is reset.
    assert state.contract.problems == [
        "request POST /sites/tools/clear-cache: body: 'environment_id' is a required property"
    ]
    state.contract.problems.clear()


async def test_reads_retry_server_errors_until_they_pass(sandbox, settings):
    _, state = sandbox
    state.add_fault(Fault(method="GET", path="/validate", status=503, times=2))
    async with KinstaClient(settings) as api:
        response = await api.get("/validate")
    assert response.data["company"] == DEMO_COMPANY_ID
    assert [r.status for r in state.requests if r.path == "/validate"] == [503, 503, 200]


async def test_reads_give_up_when_the_retry_budget_is_spent(sandbox, settings):
    _, state = sandbox
    state.add_fault(Fault(method="GET", path="/validate", status=500, times=-1))
    started = time.monotonic()
    async with KinstaClient(settings.with_(retry_budget=0.5, backoff_base=0.1)) as api:
        with pytest.raises(e.ServerError) as caught:
            await api.get("/validate")
    assert time.monotonic() - started < 2
    assert "Kinsta's side" in caught.value.message
    assert len([r for r in state.requests if r.path == "/validate"]) >= 2


async def test_failed_writes_are_never_repeated(sandbox, settings):
    _, state = sandbox
    state.add_fault(Fault(method="POST", path="/sites/tools/clear-cache", status=500, times=-1))
    async with KinstaClient(settings) as api:
        with pytest.raises(e.ServerError):
            await api.post("/sites/tools/clear-cache", json={"environment_id": "x"})
    assert len([r for r in state.requests if r.path == "/sites/tools/clear-cache"]) == 1


async def test_429_is_retried_for_writes_after_retry_after(sandbox, settings):
    base, state = sandbox
    env_id = state.sites[0]["environments"][0]["id"]
    state.add_fault(Fault(method="POST", path="/sites/tools/clear-cache", status=429, retry_after=1))
    started = time.monotonic()
    async with KinstaClient(settings) as api:
        response = await api.post("/sites/tools/clear-cache", json={"environment_id": env_id})
    assert response.status == 202 and "operation_id" in response.data
    assert time.monotonic() - started >= 0.9  # it waited as told
    assert [r.status for r in state.requests if r.path == "/sites/tools/clear-cache"] == [429, 202]


async def test_429_beyond_a_window_reports_retry_after_at_once(sandbox, settings):
    """A wait within one rate window is a shared quota freeing up (waited, see test_rate_limits.py); a longer
    one is reported at once rather than holding the call."""
    _, state = sandbox
    state.add_fault(Fault(method="GET", path="/validate", status=429, retry_after=120))
    started = time.monotonic()
    async with KinstaClient(settings.with_(retry_budget=1, rate_window=60)) as api:
        with pytest.raises(e.RateLimited) as caught:
            await api.get("/validate")
    assert caught.value.retry_after == 120 and "120 s" in caught.value.message
    assert time.monotonic() - started < 1


async def test_read_timeout_is_retried_then_reported(sandbox, settings):
    _, state = sandbox
    state.add_fault(Fault(method="GET", path="/validate", delay=1.0, times=-1))
    async with KinstaClient(settings.with_(timeout=0.2, retry_budget=0.6)) as api:
        with pytest.raises(e.Timeout) as caught:
            await api.get("/validate")
        assert api.requests_sent >= 2  # retried
    assert "did not answer" in caught.value.message


async def test_write_timeout_is_not_repeated_and_says_so(sandbox, settings):
    _, state = sandbox
    env_id = state.sites[0]["environments"][0]["id"]
    state.add_fault(Fault(method="POST", path="/sites/tools/restart-php", delay=1.0))
    async with KinstaClient(settings.with_(timeout=0.2)) as api:
        with pytest.raises(e.Timeout) as caught:
            await api.post("/sites/tools/restart-php", json={"environment_id": env_id})
        assert api.requests_sent == 1
    assert "may still have been carried out" in caught.value.message


async def test_connection_failure_is_reported_with_the_base_url():
    url = f"http://127.0.0.1:{free_port()}/v2"  # nothing listens there
    async with KinstaClient(fast_settings(url, retry_budget=0.3)) as api:
        with pytest.raises(e.ConnectionFailed) as caught:
            await api.get("/validate")
    assert url in caught.value.message and "KINSTA_API_BASE_URL" in caught.value.message


@pytest.mark.parametrize("status", [200, 502])
async def test_non_json_bodies_are_reported_not_crashed(sandbox, settings, status):
    _, state = sandbox
    state.add_fault(Fault(method="GET", path="/validate", status=status, body=b"<html>proxy error</html>", times=-1))
    async with KinstaClient(settings.with_(retry_budget=0.3)) as api:
        with pytest.raises((e.UnexpectedResponse, e.ServerError)) as caught:
            await api.get("/validate")
    assert caught.value.status == status
    if status == 200:
        assert "not JSON" in caught.value.message


async def test_fan_out_is_paced_so_the_server_never_says_429(sandbox, settings):
    _, state = sandbox
    state.rate_limit = 5
    state.rate_limiter.window = 1.0
    async with KinstaClient(settings.with_(rate_limit=5, rate_window=1.0)) as api:
        started = time.monotonic()
        async with anyio.create_task_group() as tg:
            for _ in range(12):
                tg.start_soon(api.get, "/validate")
        elapsed = time.monotonic() - started
    statuses = [r.status for r in state.requests if r.path == "/validate"]
    assert statuses == [200] * 12
    assert elapsed >= 2.0  # 12 requests at 5 per second need two extra windows


async def test_without_pacing_the_server_does_say_429(sandbox, settings):
    """Control for the test above: the sandbox really enforces the limit."""
    _, state = sandbox
    state.rate_limit = 5
    state.rate_limiter.window = 1.0
    async with KinstaClient(settings.with_(rate_limit=1000, rate_window=1.0, retry_budget=5)) as api:
        async with anyio.create_task_group() as tg:
            for _ in range(8):
                tg.start_soon(api.get, "/validate")
    statuses = [r.status for r in state.requests if r.path == "/validate"]
    assert 429 in statuses and statuses.count(200) == 8  # throttled, then retried after Retry-After


async def test_creation_requests_have_their_own_lower_limit(sandbox, settings):
    """Declared once per endpoint (rate=CREATE), counted on the creation limiter; nothing is matched by URL."""
    from kinsta_mcp.api.cache import CLEAR_CACHE
    from kinsta_mcp.api.endpoint import RateClass
    from kinsta_mcp.api.facade import Api
    from tests.test_endpoints import declarations

    creating = {(e.method, e.path) for e in declarations() if e.rate is RateClass.CREATE}
    assert {("POST", "/sites"), ("POST", "/sites/{site_id}/environments/clone"), ("POST", "/databases")} <= creating
    assert all(method == "POST" for method, _ in creating)
    env_id = sandbox[1].sites[0]["environments"][0]["id"]
    async with KinstaClient(settings) as kinsta:
        await Api(kinsta, company_id=DEMO_COMPANY_ID).call(CLEAR_CACHE, body={"environment_id": env_id})
        assert kinsta.creation_limiter.free_share() == 1.0 and kinsta.limiter.free_share() < 1.0


async def test_the_key_never_appears_in_repr_errors_or_logs(sandbox, settings, caplog):
    _, state = sandbox
    caplog.set_level("DEBUG")
    state.add_fault(Fault(method="GET", path="/validate", status=500, times=2))
    async with KinstaClient(settings) as api:
        await api.get("/validate")
        assert DEMO_API_KEY not in repr(api) and DEMO_API_KEY not in repr(settings)
    assert DEMO_API_KEY not in caplog.text
    assert all(DEMO_API_KEY not in str(r.headers) for r in state.requests)


async def test_sevalla_base_has_its_own_key_and_wording(sandbox, sevalla_settings):
    from kinsta_mcp.errors import SEVALLA

    async with KinstaClient(sevalla_settings, base_url=sevalla_settings.sevalla_base_url,
                            api_key=Secret("not-a-sevalla-key"), service=SEVALLA) as api:
        with pytest.raises(e.Unauthorized) as caught:
            await api.get("/applications", params={"company": DEMO_COMPANY_ID})
    assert "Sevalla did not accept" in caught.value.message and "SEVALLA_API_KEY" in caught.value.message
    assert sandbox[1].requests[-1].base == "sevalla_v2"


async def test_moved_paths_on_kinsta_tell_the_user_to_set_a_sevalla_key(sandbox, settings):
    _, state = sandbox
    state.paas_moved = True
    from kinsta_mcp.api.facade import Api
    from kinsta_mcp.api.paas import APPLICATIONS
    from kinsta_mcp.api.sites import ENVIRONMENTS

    async with KinstaClient(settings) as kinsta:
        api = Api(kinsta, company_id=DEMO_COMPANY_ID)
        with pytest.raises(e.NotFound) as caught:
            await api.get(APPLICATIONS, query={"company": DEMO_COMPANY_ID})
        with pytest.raises(e.NotFound) as other:
            await api.get(ENVIRONMENTS, site_id="nope")
    assert "SEVALLA_API_KEY" in caught.value.message and "moved" in caught.value.message
    assert "SEVALLA_API_KEY" not in other.value.message
