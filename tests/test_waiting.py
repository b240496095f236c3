"""The one mechanism that follows jobs (jobs.follow), against the sandbox over real HTTP, and its pacing
with an injected clock (no real sleeping)."""

from __future__ import annotations

import time

import anyio
import pytest

from kinsta_mcp.api.cache import CLEAR_CACHE
from kinsta_mcp.api.endpoint import JobKind
from kinsta_mcp.api.facade import Api
from kinsta_mcp.client import KinstaClient
from kinsta_mcp.errors import OperationFailed
from kinsta_mcp.jobs import Job, follow, start
from kinsta_mcp.pacing import Clock, Pacer

pytestmark = pytest.mark.anyio


class Progress:
    def __init__(self) -> None:
        self.reports: list[tuple[float, str]] = []

    async def __call__(self, elapsed: float, message: str) -> None:
        self.reports.append((elapsed, message))


def polls(state) -> list:
    return [r for r in state.requests if r.path.startswith("/operations/")]


async def start_clear(api: Api, state) -> Job:
    env_id = state.sites[0]["environments"][0]["id"]
    job = await start(api, CLEAR_CACHE, action="Clear cache", body={"environment_id": env_id})
    assert isinstance(job, Job)
    return job


async def wait(api: Api, job: Job, settings, max_wait: float, progress: Progress | None = None, **kw):
    return await follow(api.read_only(), [job], action=job.action, max_wait=max_wait,
                        progress=progress or Progress(), settings=settings, **kw)


@pytest.fixture
async def api(settings):
    async with KinstaClient(settings) as kinsta:
        yield Api(kinsta, company_id=settings.company_id)


async def test_fast_operation_returns_done_with_progress_on_every_poll(sandbox, settings, api):
    _, state = sandbox
    progress = Progress()
    job = await start_clear(api, state)
    outcome = await wait(api, job, settings, 10, progress)
    assert outcome.state == "done" and list(outcome.jobs) == [f"op:{job.id}"] and ":" in job.id
    assert len(progress.reports) == len(polls(state)) + 1 >= 3  # "started", then one per poll
    elapsed = [r[0] for r in progress.reports]
    assert elapsed == sorted(elapsed)  # progress values only grow
    assert "Clear cache" in progress.reports[-1][1]
    assert outcome.seconds < 2


async def test_slow_operation_stops_at_the_bound_and_resumes_by_key(sandbox, settings, api):
    _, state = sandbox
    state.operation_seconds = 1.5
    job = await start_clear(api, state)
    started = time.monotonic()
    first = await wait(api, job, settings, 0.5)
    assert time.monotonic() - started < 1.0
    assert first.state == "running" and f"wait_for_job with jobs=['op:{job.id}']" in first.next_step()
    second = await wait(api, Job.from_key(next(iter(first.jobs))), settings, 5)
    assert second.state == "done"


async def test_failed_operation_raises_with_kinstas_message(sandbox, settings, api):
    _, state = sandbox
    state.fail_next_operations("Disk quota exceeded")
    job = await start_clear(api, state)
    with pytest.raises(OperationFailed) as caught:
        await wait(api, job, settings, 5)
    assert "Disk quota exceeded" in caught.value.message and caught.value.operation_id == job.id


async def test_operation_invisible_at_first_is_polled_through(sandbox, settings, api):
    _, state = sandbox
    state.operation_visible_after = 0.3
    progress = Progress()
    outcome = await wait(api, await start_clear(api, state), settings, 5, progress)
    assert outcome.state == "done"
    statuses = [r.status for r in polls(state)]
    assert statuses[0] == 404 and statuses[-1] == 200
    assert "register" in progress.reports[1][1]


async def test_unknown_operation_is_reported_after_the_grace_period(sandbox, settings, api):
    job = Job(JobKind.OPERATION, "cache:clear-00000000-0000-0000-0000-000000000000", "x")
    outcome = await wait(api, job, settings.with_(operation_grace=0.3), 5)
    assert outcome.state == "unknown" and outcome.seconds < 2


async def test_zero_wait_checks_once(sandbox, settings, api):
    _, state = sandbox
    state.operation_seconds = 5
    outcome = await wait(api, await start_clear(api, state), settings, 0)
    assert outcome.state == "running" and len(polls(state)) == 1


async def test_cancellation_stops_polling_and_logs_that_the_job_goes_on(sandbox, settings, api, caplog):
    _, state = sandbox
    state.operation_seconds = 30
    job = await start_clear(api, state)
    with anyio.move_on_after(0.3):
        await wait(api, job, settings, 30)
    polls_then = len(polls(state))
    await anyio.sleep(0.5)
    assert polls_then == len(polls(state))  # nothing polls after the cancel
    assert "the job goes on" in caplog.text


def test_job_keys_round_trip_and_a_bare_id_is_an_operation() -> None:
    for kind in JobKind:
        job = Job(kind, "abc:1", "x")
        assert Job.from_key(job.key).kind is kind and Job.from_key(job.key).id == "abc:1"
    assert Job.from_key("cache:clear-1").kind is JobKind.OPERATION


class FakeClock(Clock):
    """Time that moves only when the poller sleeps: pacing without waiting for real."""

    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def test_pacing_grows_with_age_up_to_the_cap_and_stretches_when_the_budget_runs_low() -> None:
    from kinsta_mcp.config import Settings

    real = Settings(poll_initial=1.0, poll_max=2.5)
    pacer = Pacer(real)
    assert pacer.interval(0) == 1.0 and pacer.interval(12) == pytest.approx(1.6) and pacer.interval(300) == 2.5
    low = Pacer(real, budget=lambda: 0.1)
    assert low.interval(300) == pytest.approx(2.5 * 2.5)
    assert Pacer(real, budget=lambda: 0.0).interval(300) == 10.0  # at most four times slower


async def test_a_45_second_job_is_reported_soon_after_it_ends_with_under_one_poll_a_second(sandbox, settings, api):
    _, state = sandbox
    clock = FakeClock()
    state.clock = clock.now  # the sandbox's operations run on the same fake time
    state.operation_seconds = 45
    job = await start_clear(api, state)
    outcome = await wait(api, job, settings.with_(poll_initial=1.0, poll_max=2.5), 120, clock=clock)
    assert outcome.state == "done"
    assert clock.t - 45 <= 2.5  # reported within one capped interval of the end
    assert len(polls(state)) / clock.t <= 1.0


async def test_an_answer_that_may_name_a_job_is_done_without_one_and_followed_with_one():
    """Endpoints whose answer is undocumented (job_optional): a plain message is a change already done; a
    mandatory job without an id is an error that says to check before repeating."""
    import httpx2

    from kinsta_mcp.api.backups import REQUEST_DOWNLOADABLE
    from kinsta_mcp.config import Settings
    from kinsta_mcp.errors import UnexpectedResponse
    from kinsta_mcp.jobs import ChangeOutcome
    from kinsta_mcp.secret import Secret

    answers = iter([{"message": "Queued"}, {"operation_id": "backups:1", "message": "ok"}, {"message": "?"}])
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, json=next(answers)))
    async with KinstaClient(Settings(api_key=Secret("k")), transport=transport) as kinsta:
        api = Api(kinsta, company_id="c")
        plain = await start(api, REQUEST_DOWNLOADABLE, action="Download", env_id="e1")
        followed = await start(api, REQUEST_DOWNLOADABLE, action="Download", env_id="e1")
        with pytest.raises(UnexpectedResponse, match="sent no operation id"):
            await start(api, CLEAR_CACHE, action="Clear cache", body={})
    assert isinstance(plain, ChangeOutcome) and plain.state == "done" and plain.message == "Queued"
    assert isinstance(followed, Job) and followed.key == "op:backups:1"
