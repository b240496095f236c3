"""The one mechanism that waits for Kinsta operations, against the sandbox over real HTTP."""

from __future__ import annotations

import time

import anyio
import pytest

from kinsta_mcp.client import KinstaClient
from kinsta_mcp.errors import OperationFailed
from kinsta_mcp.waiting import wait_for

pytestmark = pytest.mark.anyio


class Progress:
    def __init__(self) -> None:
        self.reports: list[tuple[float, str]] = []

    async def __call__(self, elapsed: float, message: str) -> None:
        self.reports.append((elapsed, message))


async def start_clear(api: KinstaClient, state) -> str:
    env_id = state.sites[0]["environments"][0]["id"]
    response = await api.post("/sites/tools/clear-cache", json={"environment_id": env_id})
    return response.data["operation_id"]


async def test_fast_operation_returns_done_with_progress_on_every_poll(sandbox, settings):
    _, state = sandbox
    progress = Progress()
    async with KinstaClient(settings) as api:
        op = await start_clear(api, state)
        outcome = await wait_for(api, op, action="Clear cache", max_wait=10, progress=progress, settings=settings)
    assert outcome.state == "done" and outcome.operation_id == op and ":" in op
    assert outcome.polls == len(progress.reports) >= 2  # 0.2 s op, polls from 0.05 s on
    elapsed = [r[0] for r in progress.reports]
    assert elapsed == sorted(elapsed)  # progress values only grow
    assert "Clear cache" in progress.reports[-1][1]
    assert outcome.elapsed_seconds < 2


async def test_slow_operation_stops_at_the_bound_and_resumes_by_id(sandbox, settings):
    _, state = sandbox
    state.operation_seconds = 1.5
    async with KinstaClient(settings) as api:
        op = await start_clear(api, state)
        started = time.monotonic()
        first = await wait_for(api, op, action="Clear cache", max_wait=0.5, progress=Progress(), settings=settings)
        assert time.monotonic() - started < 1.0
        assert first.state == "running" and "wait_for_operation" in first.next_step()
        second = await wait_for(api, op, action="Clear cache", max_wait=5, progress=Progress(), settings=settings)
    assert second.state == "done"


async def test_failed_operation_raises_with_kinstas_message(sandbox, settings):
    _, state = sandbox
    state.fail_next_operations("Disk quota exceeded")
    async with KinstaClient(settings) as api:
        op = await start_clear(api, state)
        with pytest.raises(OperationFailed) as caught:
            await wait_for(api, op, action="Clear cache", max_wait=5, progress=Progress(), settings=settings)
    assert "Disk quota exceeded" in caught.value.message and caught.value.operation_id == op


async def test_operation_invisible_at_first_is_polled_through(sandbox, settings):
    _, state = sandbox
    state.operation_visible_after = 0.3
    progress = Progress()
    async with KinstaClient(settings) as api:
        op = await start_clear(api, state)
        outcome = await wait_for(api, op, action="Clear cache", max_wait=5, progress=progress, settings=settings)
    assert outcome.state == "done"
    polls = [r.status for r in state.requests if r.path.startswith("/operations/")]
    assert polls[0] == 404 and polls[-1] == 200
    assert "register" in progress.reports[0][1]


async def test_unknown_operation_is_reported_after_the_grace_period(sandbox, settings):
    async with KinstaClient(settings) as api:
        outcome = await wait_for(api, "cache:clear-00000000-0000-0000-0000-000000000000", action="x",
                                 max_wait=5, progress=Progress(), settings=settings.with_(operation_grace=0.3))
    assert outcome.state == "unknown" and outcome.elapsed_seconds < 2


async def test_zero_wait_checks_once(sandbox, settings):
    _, state = sandbox
    state.operation_seconds = 5
    async with KinstaClient(settings) as api:
        op = await start_clear(api, state)
        outcome = await wait_for(api, op, action="x", max_wait=0, progress=Progress(), settings=settings)
    assert outcome.state == "running" and outcome.polls == 1


async def test_cancellation_stops_polling_and_logs_that_the_operation_goes_on(sandbox, settings, caplog):
    _, state = sandbox
    state.operation_seconds = 30
    async with KinstaClient(settings) as api:
        op = await start_clear(api, state)
        with anyio.move_on_after(0.3):
            await wait_for(api, op, action="Clear cache", max_wait=30, progress=Progress(), settings=settings)
        polls_then = len([r for r in state.requests if r.path.startswith("/operations/")])
        await anyio.sleep(0.5)
        polls_later = len([r for r in state.requests if r.path.startswith("/operations/")])
    assert polls_then == polls_later  # nothing polls after the cancel
    assert "goes on at Kinsta" in caplog.text


async def test_polling_backs_off_for_long_operations(sandbox, settings):
    _, state = sandbox
    state.operation_seconds = 2.0
    async with KinstaClient(settings.with_(poll_initial=0.1, poll_max=0.8)) as api:
        op = await start_clear(api, state)
        outcome = await wait_for(api, op, action="x", max_wait=5,
                                 progress=Progress(), settings=settings.with_(poll_initial=0.1, poll_max=0.8))
    assert outcome.state == "done"
    assert outcome.polls <= 8  # a fixed 0.1 s interval would have needed ~20
