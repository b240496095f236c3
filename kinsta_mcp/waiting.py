"""Waiting for Kinsta's long-running operations, with MCP progress on every poll.

Kinsta answers 202 + `operation_id` and the job runs on its side; `GET /operations/{id}` answers
202 while it runs, 200 when it is done, 500 when it failed, and 404 both for unknown ids and for
the first seconds of a fresh one. We poll on an interval that starts short (most cache clears
finish in seconds) and backs off (site creation takes minutes and should not burn the 120/min
budget), and stop at a bound so no MCP client times out: then the caller gets the id back and
`wait_for_operation` picks it up again.

`paced` is that pacing on its own; application and static-site deployments (polled on the
deployment, not on /operations) wait through it too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Literal

import anyio
from pydantic import Field

from kinsta_mcp.client import KinstaClient, segment
from kinsta_mcp.config import Settings
from kinsta_mcp.errors import OperationFailed
from kinsta_mcp.models.base import Output
from kinsta_mcp.models.operations import OperationStatus

log = logging.getLogger("kinsta_mcp.waiting")

Progress = Callable[[float, str], Awaitable[None]]
"""progress(elapsed_seconds, message): reported to the MCP client on every poll."""

POLL_STATUSES = frozenset({200, 202, 404, 500})


class OperationOutcome(Output):
    action: str = Field(description="What was asked, in words")
    operation_id: str = Field(description="Kinsta's id for the job; pass it to wait_for_operation")
    state: Literal["done", "running", "unknown"] = Field(
        description="done: finished successfully; running: still going when the wait ended; "
        "unknown: Kinsta does not know the id (yet)"
    )
    message: str = Field("", description="Kinsta's last status message")
    elapsed_seconds: float = 0.0
    polls: int = 0

    def summary(self) -> str:
        if self.state == "done":
            return f"Done: {self.action} ({self.elapsed_seconds:.0f} s). Kinsta: {self.message or 'finished'}."
        if self.state == "running":
            return f"Still running after {self.elapsed_seconds:.0f} s: {self.action}. It goes on at Kinsta."
        return (
            f"Kinsta does not know operation {self.operation_id!r} (404 for {self.elapsed_seconds:.0f} s): "
            f"{self.action}."
        )

    def next_step(self) -> str:
        if self.state == "running":
            return f"To keep waiting, call wait_for_operation with operation_id={self.operation_id!r}."
        if self.state == "unknown":
            return "New operations take a few seconds to appear and old ones expire: check the target's state directly."
        return ""


async def paced(settings: Settings, max_wait: float, check: Callable[[], Awaitable[bool]], *, what: str,
                where: str) -> bool:
    """Call `check` until it answers True (then True) or `max_wait` seconds pass (then False).

    The one pacing of every wait here, for operations and deployments alike: the first check after
    poll_initial (at once when max_wait is 0, which checks exactly once), then an interval growing by
    half up to poll_max, never sleeping past the bound. A client's cancellation stops the polling and
    is logged; the job itself goes on at `where`.
    """
    started = time.monotonic()
    interval = settings.poll_initial
    polls = 0
    try:
        while True:
            elapsed = time.monotonic() - started
            if polls and elapsed >= max_wait:
                return False
            if polls:
                await anyio.sleep(max(0.0, min(interval, max_wait - elapsed)))
                interval = min(interval * 1.5, settings.poll_max)
            elif max_wait > 0:
                await anyio.sleep(min(interval, max_wait))
            polls += 1
            if await check():
                return True
            if max_wait <= 0:
                return False
    except anyio.get_cancelled_exc_class():
        log.warning("stopped waiting for %s: the client cancelled; it goes on at %s", what, where)
        raise


async def wait_for(
    api: KinstaClient,
    operation_id: str,
    *,
    action: str,
    max_wait: float,
    progress: Progress,
    settings: Settings,
) -> OperationOutcome:
    """Poll until done, failed (raises OperationFailed), unknown past the grace period, or `max_wait`."""
    started = time.monotonic()
    polls = 0
    status, last = 202, OperationStatus(status=202, message="accepted")

    async def check() -> bool:
        nonlocal polls, status, last
        response = await api.get(f"/operations/{segment(operation_id)}", accept=POLL_STATUSES)
        polls += 1
        status, last = response.status, OperationStatus.model_validate(response.data or {})
        elapsed = time.monotonic() - started
        await progress(round(elapsed, 1), f"{action}: {_phase(status, last.message)} ({elapsed:.0f} s)")
        if status == 500:
            raise OperationFailed(
                f"Failed: {action}. Kinsta said: {last.message or 'no reason given'} (operation {operation_id}).",
                operation_id,
            )
        return status == 200 or (status == 404 and elapsed >= settings.operation_grace)

    finished = await paced(settings, max_wait, check, what=f"{operation_id} ({action})", where="Kinsta")
    state: Literal["done", "running", "unknown"] = (
        "done" if status == 200 else "unknown" if status == 404 else "running"
    )
    if not finished and state == "unknown" and max_wait > 0:
        state = "running"  # still 404 inside the grace period when the bound came: it may yet appear
    return OperationOutcome(
        action=action,
        operation_id=operation_id,
        state=state,
        message=last.message,
        elapsed_seconds=round(time.monotonic() - started, 1),
        polls=polls,
    )


def _phase(status: int, message: str) -> str:
    if status == 404:
        return "waiting for Kinsta to register the operation"
    return message or {200: "finished", 202: "in progress", 500: "failed"}.get(status, str(status))
