"""One way to follow everything long-running: Kinsta operations, application and static-site
deployments, database provisioning.

A change that starts work returns `Job`s; `follow` polls each on its own endpoint through one
pacing, reports MCP progress on every poll, stops at a bound and returns one `ChangeOutcome`
whose text and structured content state the same facts. A job's key (`op:…`, `app-deploy:…`,
`static-deploy:…`, `db:…`) is all `wait_for_job` needs to pick it up again.

When to poll is kinsta_mcp/pacing.py. Kinsta answers 404 for the first seconds of a new operation
(docs/api-notes.md#operations): that is polled through for `operation_grace` seconds.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import anyio
from pydantic import Field, PrivateAttr

from kinsta_mcp.api import common
from kinsta_mcp.api.endpoint import Endpoint, JobKind
from kinsta_mcp.api.facade import Api, ReadApi, Reply
from kinsta_mcp.config import Settings
from kinsta_mcp.errors import InvalidInput, OperationFailed, UnexpectedResponse
from kinsta_mcp.models.base import Output
from kinsta_mcp.pacing import Clock, Pacer
from kinsta_mcp.text import quoted

log = logging.getLogger("kinsta_mcp.jobs")

State = Literal["done", "running", "failed", "unknown"]
Reported = Literal["done", "running", "unknown"]  # a failed job is an error result, never an outcome
Progress = Callable[[float, str], Awaitable[None]]
"""progress(elapsed_seconds, message): reported to the MCP client on every poll."""

DEPLOY_DONE = frozenset({"success", "successful", "skipped"})
DEPLOY_FAILED = frozenset({"failed", "error", "cancelled", "canceled"})
# Where a failed deployment's reason is: its build log, shown around the first error.
BUILD_LOG = {
    JobKind.APP_DEPLOYMENT: " Its build log: app_logs kind=build deployment={id} with the same application.",
    JobKind.STATIC_DEPLOYMENT: " Its build log: app_logs kind=build deployment={id} with the same static_site.",
}
DB_DONE = frozenset({"ready", "running", "active"})
DB_FAILED = frozenset({"failed", "error", "restoringfailed", "passwordchangefailed", "dbdeletionfailed"})
KIND_WORDS = {
    JobKind.OPERATION: "operation",
    JobKind.APP_DEPLOYMENT: "deployment",
    JobKind.STATIC_DEPLOYMENT: "static-site deployment",
    JobKind.DATABASE: "database",
}


@dataclass
class Job:
    kind: JobKind
    id: str
    action: str
    state: State = "running"
    message: str = ""
    relists: bool = False  # when it ends, the cached site listing may be out of date
    detail: str = ""  # e.g. the application a deployment is for

    def __post_init__(self) -> None:
        if not self.relists:  # so that wait_for_job, given only the key, knows it too
            _LEAVES_LISTING.append(self.key)

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.id}"

    @classmethod
    def from_key(cls, key: str) -> Job:
        """A key handed out earlier; a bare id is taken as a Kinsta operation id. Its end may change the site
        listing unless this process started it and knows it cannot (a cache clear, a PHP restart)."""
        text = key.strip()
        for kind in JobKind:
            if text.startswith(kind.value + ":") and len(text) > len(kind.value) + 1:
                ident = text[len(kind.value) + 1 :]
                relists = text not in _LEAVES_LISTING
                return cls(kind, ident, f"{KIND_WORDS[kind].capitalize()} {ident}", relists=relists)
        if not text:
            raise InvalidInput("Pass the job key from an earlier result, e.g. 'op:…' or 'app-deploy:…'.")
        relists = f"{JobKind.OPERATION.value}:{text}" not in _LEAVES_LISTING
        return cls(JobKind.OPERATION, text, f"Operation {text}", relists=relists)


# Keys of jobs started here whose end cannot change the listing; bounded, and a key it forgot only costs a
# listing. Filled by Job itself, so every way a job is made (tools, call_endpoint) is covered.
_LEAVES_LISTING: deque[str] = deque(maxlen=2000)


class ChangeOutcome(Output):
    """What every change tool returns: synchronous changes are jobs already done."""

    action: str = Field(description="What was asked, in words")
    state: Reported = Field(
        description="done; running: still going when the wait ended; unknown: the API does not know the job (yet)"
    )
    message: str = Field("", description="The API's last word")
    # key → state: a key still running is what wait_for_job takes. Each job's own action is in `message`
    # when there are several (a map, not rows, keeps this schema small in all 27 change tools).
    jobs: dict[str, Reported] = Field(default_factory=dict)
    # How long it was followed: said in the text only (a field would cost every change tool's schema).
    _seconds: float = PrivateAttr(0.0)

    @property
    def seconds(self) -> float:
        return self._seconds

    def after(self, seconds: float) -> ChangeOutcome:
        self._seconds = seconds
        return self

    def summary(self) -> str:
        words = {
            "done": "Done",
            "running": f"Still running after {self.seconds:.0f} s",
            "unknown": "Unknown job",
        }
        text = f"{words[self.state]}: {self.action}"
        if self.state == "done" and self.jobs:
            text += f" ({self.seconds:.0f} s)"
        text += "."
        if self.message:
            text += ("\n" if len(self.jobs) > 1 else " ") + self.message
        return text

    def next_step(self) -> str:
        pending = [key for key, state in self.jobs.items() if state == "running"]
        if self.state == "running" and pending:
            return f"To keep waiting, call wait_for_job with jobs={pending!r}. Cancelling only stops the wait."
        if self.state == "unknown":
            return "New operations take a few seconds to appear and old ones expire: check the target's state directly."
        return ""


def done(action: str, message: str = "") -> ChangeOutcome:
    """A change the API carried out at once."""
    return ChangeOutcome(action=action, state="done", message=message)


Started = Job | list[Job] | ChangeOutcome


async def start(api: Api, endpoint: Endpoint, *, action: str, relists: bool | None = None, **kwargs: object) -> Started:
    """Send a change; a job when the endpoint starts one (and the answer names it), else done."""
    reply = await api.call(endpoint, **kwargs)  # type: ignore[arg-type]
    service = api.service if endpoint.base.value == "paas" else "Kinsta"
    return started(endpoint, reply, action=action, service=service, relists=relists)


def started(endpoint: Endpoint, reply: Reply, *, action: str, service: str, relists: bool | None = None) -> Started:
    """What an answer to `endpoint` started: a job when the endpoint declares one and the answer names it."""
    body = reply.body if isinstance(reply.body, dict) else {}
    if endpoint.job is None:
        return done(action, str(body.get("message") or ""))
    ident = _job_id(endpoint.job, body)
    if not ident and endpoint.job_optional:
        return done(action, str(body.get("message") or ""))
    if not ident:
        raise UnexpectedResponse(
            f"{service} accepted '{action}' but sent no {KIND_WORDS[endpoint.job]} id to follow ({reply.status}). "
            "Check the target before repeating it.",
            status=reply.status,
            body=reply.body,
        )
    return Job(endpoint.job, ident, action, relists=endpoint.relists if relists is None else relists)


def _job_id(kind: JobKind, body: dict[str, object]) -> str:
    if kind is JobKind.OPERATION:
        return str(body.get("operation_id") or "")
    wrapped = body.get("deployment") if kind is not JobKind.DATABASE else body.get("database")
    inner = wrapped if isinstance(wrapped, dict) else body  # Sevalla v3 answers with the object itself
    return str(inner.get("id") or "")


async def _poll(api: ReadApi, job: Job, age: float, settings: Settings) -> None:
    """One look at a job; updates its state and message."""
    if job.kind is JobKind.OPERATION:
        reply = await api.call(common.OPERATION, operation_id=job.id, accept=frozenset({404, 500}))
        answer = common.OperationState.model_validate(reply.body if isinstance(reply.body, dict) else {})
        job.message = answer.message
        if reply.status == 404:
            job.state = "unknown" if age >= settings.operation_grace else "running"
            if job.state == "running":
                job.message = "waiting for Kinsta to register the operation"
        else:
            job.state = "done" if reply.status == 200 else ("failed" if reply.status == 500 else "running")
        return
    endpoint = {
        JobKind.APP_DEPLOYMENT: common.APP_DEPLOYMENT,
        JobKind.STATIC_DEPLOYMENT: common.STATIC_DEPLOYMENT,
        JobKind.DATABASE: common.DATABASE,
    }[job.kind]
    key = "id" if job.kind is JobKind.DATABASE else "deployment_id"
    # GET /databases/{id} requires internal/external; neither is needed to read the status.
    query = {"internal": False, "external": False} if job.kind is JobKind.DATABASE else None
    reply = await api.call(endpoint, query=query, accept=frozenset({404}), **{key: job.id})
    if reply.status == 404:
        job.state = "unknown" if age >= settings.operation_grace else "running"
        job.message = (
            f"{api.service} knows no {KIND_WORDS[job.kind]} {job.id}" if job.state == "unknown" else "registering"
        )
        return
    status: str = str(reply.value.status or "").strip().lower()
    if job.kind is not JobKind.DATABASE:
        status = status.removeprefix("deployment")
        branch = getattr(reply.value, "branch", "")
        job.detail = f"branch {branch}" if branch else job.detail
    finished, failed = (DB_DONE, DB_FAILED) if job.kind is JobKind.DATABASE else (DEPLOY_DONE, DEPLOY_FAILED)
    job.message = status or "unknown status"
    job.state = "done" if status in finished else ("failed" if status in failed else "running")


async def follow(
    api: ReadApi,
    jobs: Iterable[Job],
    *,
    action: str,
    max_wait: float,
    progress: Progress,
    settings: Settings,
    clock: Clock | None = None,
    pacer: Pacer | None = None,
    on_relist: Callable[[], None] = lambda: None,
) -> ChangeOutcome:
    """Poll every job until all are done, one failed (raises OperationFailed), or `max_wait` passed."""
    clock = clock or Clock()
    pacer = pacer or Pacer(settings)
    jobs = list(jobs)
    started = clock.now()
    polls = 0
    await progress(0.0, f"{action}: started")
    try:
        while True:
            age = clock.now() - started
            open_jobs = [j for j in jobs if j.state == "running"]
            if not open_jobs:
                break
            wait = pacer.interval(age) if polls else min(settings.poll_initial, max_wait)
            if polls and age + 0.001 >= max_wait:
                break
            if max_wait > 0:
                await clock.sleep(max(0.0, min(wait, max_wait - age)))
            for job in open_jobs:
                await _poll(api, job, clock.now() - started, settings)
                polls += 1
                if job.state == "failed":
                    raise OperationFailed(
                        f"Failed: {job.action}. {api.service if job.kind is not JobKind.OPERATION else 'Kinsta'} "
                        f"said: {quoted(job.message) if job.message else 'no reason given'}"
                        + (f" ({quoted(job.detail)})" if job.detail else "")
                        + f" ({KIND_WORDS[job.kind]} {job.id})."
                        + BUILD_LOG.get(job.kind, "").format(id=job.id),
                        job.id,
                    )
                if job.state != "running" and job.relists:
                    on_relist()
            elapsed = clock.now() - started
            await progress(round(elapsed, 1), f"{action}: {_states(jobs)} ({elapsed:.0f} s)")
            if max_wait <= 0:
                break
    except anyio.get_cancelled_exc_class():
        log.warning("stopped waiting for %s: the client cancelled; the job goes on", action)
        raise
    return _outcome(action, jobs, round(clock.now() - started, 1), polls)


def _states(jobs: list[Job]) -> str:
    if len(jobs) == 1:
        return jobs[0].message or jobs[0].state
    return "; ".join(f"{j.action}: {j.state}" for j in jobs)


def _outcome(action: str, jobs: list[Job], elapsed: float, polls: int) -> ChangeOutcome:
    states = {j.state for j in jobs}
    state: Reported = "running" if "running" in states else "unknown" if "unknown" in states else "done"
    reported: dict[str, Reported] = {j.key: "unknown" if j.state == "failed" else j.state for j in jobs}
    message = jobs[0].message if len(jobs) == 1 else "\n".join(f"- {j.action}: {reported[j.key]}" for j in jobs)
    return ChangeOutcome(action=action, state=state, message=message, jobs=reported).after(elapsed)


@dataclass
class Following:
    """What the gate needs to follow what a change started."""

    api: ReadApi
    settings: Settings
    progress: Progress
    clock: Clock = field(default_factory=Clock)
    on_relist: Callable[[], None] = lambda: None
    budget: Callable[[], float] = lambda: 1.0

    async def outcome(self, action: str, started: Started, max_wait: float) -> ChangeOutcome:
        if isinstance(started, ChangeOutcome):
            return started
        jobs = [started] if isinstance(started, Job) else started
        if not jobs:
            return done(action)
        return await follow(
            self.api,
            jobs,
            action=action,
            max_wait=max_wait,
            progress=self.progress,
            settings=self.settings,
            clock=self.clock,
            pacer=Pacer(self.settings, self.budget),
            on_relist=self.on_relist,
        )
