"""In-memory state of the sandbox: demo company, async operations, faults,
rate limiting and the request log.

Everything is plain Python so tests can inspect and steer it in-process while
the app runs under uvicorn in the same event loop. Time comes from ``clock``
(monotonic by default) so tests may swap in a fake clock.
"""

from __future__ import annotations

import math
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from . import seed as _seed
from .limits import LOGS_ROUTES

# (method, OpenAPI route template) pairs that count against the stricter
# resource-creation limit. Kinsta does not say exactly which calls these are;
# site and environment creation/cloning are the obvious ones. Area modules
# that add more creation endpoints should add them here.
CREATION_ROUTES: set[tuple[str, str]] = {
    ("POST", "/sites"),
    ("POST", "/sites/plain"),
    ("POST", "/sites/clone"),
    ("POST", "/sites/{site_id}/environments"),
    ("POST", "/sites/{site_id}/environments/plain"),
    ("POST", "/sites/{site_id}/environments/clone"),
}

RATE_WINDOW_SECONDS = 60.0


@dataclass
class Fault:
    """A scripted misbehaviour for requests matching ``method`` and ``path``.

    ``path`` is an fnmatch pattern on the path after ``/v2``. ``status`` answers
    with that status and a Kinsta error body (429 adds ``Retry-After``);
    ``body`` sends these raw bytes as text/html instead (with ``status`` or 200);
    ``delay`` sleeps first and, alone, then answers normally. ``times`` is how
    many matching requests it affects (-1 = forever).
    """

    method: str = "*"
    path: str = "*"
    status: int | None = None
    delay: float = 0.0
    body: bytes | None = None
    media_type: str = "text/html"  # of `body`: application/json for a well-formed answer of the wrong shape
    times: int = 1
    retry_after: float = 1

    def matches(self, method: str, path: str) -> bool:
        return (self.method == "*" or self.method.upper() == method.upper()) and fnmatchcase(path, self.path)


@dataclass
class RecordedRequest:
    method: str
    path: str  # after /v2, percent-decoded
    query: dict[str, str]
    json: Any | None
    headers: dict[str, str]  # lower-case names, never Authorization
    status: int  # 0 while the request is still being answered
    response_json: Any | None
    route: str | None  # OpenAPI-style template, e.g. "/sites/{site_id}"
    base: str = "kinsta"  # which API: "kinsta", "sevalla_v2" or "sevalla_v3"


@dataclass
class Operation:
    id: str
    kind: str  # "<namespace>:<action>", e.g. "cache:clear"
    created_at: float
    duration: float
    visible_after: float
    fail_message: str | None
    apply: Callable[[], None] | None
    applied: bool = False

    def age(self, now: float) -> float:
        return now - self.created_at

    def is_visible(self, now: float) -> bool:
        return self.age(now) >= self.visible_after

    def is_done(self, now: float) -> bool:
        return self.age(now) >= self.duration


@dataclass
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # whole seconds until the oldest counted request leaves the window
    retry_after: int  # whole seconds until a slot frees (0 if allowed)


class RateLimiter:
    """Sliding-window log: a request is allowed if fewer than ``limit``
    requests of the same bucket happened in the last ``window`` seconds.
    Sliding (not fixed) so a burst at a window edge cannot double the limit.
    """

    def __init__(self, clock: Callable[[], float], window: float = RATE_WINDOW_SECONDS):
        self._clock = clock
        self.window = window
        self._hits: dict[str, deque[float]] = {}

    def _live_hits(self, bucket: str, now: float) -> deque[float]:
        hits = self._hits.get(bucket)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def check(self, bucket: str, limit: int) -> RateDecision:
        """Inspect a bucket without counting a request."""
        now = self._clock()
        hits = self._live_hits(bucket, now)
        used = len(hits)
        until_free = (hits[0] + self.window - now) if hits else 0.0
        reset = math.ceil(until_free) if hits else 0
        allowed = used < limit
        return RateDecision(
            allowed=allowed,
            limit=limit,
            remaining=max(limit - used, 0),
            reset=reset,
            retry_after=0 if allowed else max(1, math.ceil(until_free)),
        )

    def hit(self, bucket: str) -> None:
        now = self._clock()
        self._live_hits(bucket, now)
        self._hits.setdefault(bucket, deque()).append(now)

    def reset_all(self) -> None:
        self._hits.clear()


class SandboxState:
    def __init__(self, seed: bool = True) -> None:
        self.clock: Callable[[], float] = time.monotonic
        self.operation_seconds: float = 2.0
        self.operation_visible_after: float = 0.0
        self.rate_limit: int = 120
        self.create_rate_limit: int = 5
        self.logs_rate_limit: int = 35  # the logs endpoints' own limit (sandbox/limits.py)
        self.logs_routes: set[tuple[str, str]] = set(LOGS_ROUTES)
        # Copied so a test can tweak one state without touching the module default.
        self.creation_routes: set[tuple[str, str]] = set(CREATION_ROUTES)
        # True: applications, databases and static sites have moved to Sevalla, and Kinsta's /v2 answers
        # 404 for them (as it does for accounts moved on 2026-01-31). False: an account still served there.
        self.paas_moved: bool = False
        # The names Sevalla v3 metric calls take for their window: the spec's from/to, or start/end as
        # some v3 reference pages show, to emulate an API that wants those
        # (docs/api-notes.md#sevalla-v3-metric-window).
        self.v3_window_names: tuple[str, str] = ("from", "to")

        self.company_id = _seed.DEMO_COMPANY_ID
        self.company_name = _seed.DEMO_COMPANY_NAME
        self.api_key_name = _seed.DEMO_API_KEY_NAME
        self.api_key_expires_at: str | None = _seed.DEMO_API_KEY_EXPIRES_AT
        self.regions = [dict(r) for r in _seed.REGIONS]
        self.sites: list[dict[str, Any]] = _seed.build_sites(self.company_id) if seed else []
        self.users: list[dict[str, str]] = _seed.build_users() if seed else []
        self.dns_domains: list[dict[str, Any]] = _seed.build_dns_domains() if seed else []

        self.operations: dict[str, Operation] = {}
        self._pending_failures: deque[str] = deque()
        self.faults: list[Fault] = []
        self.requests: list[RecordedRequest] = []
        self.observers: list[Callable[[RecordedRequest], None]] = []
        # The lambda keeps the limiter on whatever clock is current, so a test
        # replacing ``state.clock`` also moves rate-limit time.
        self.rate_limiter = RateLimiter(lambda: self.clock())

    # ----- lookups ---------------------------------------------------------

    def find_site(self, site_id: str) -> dict[str, Any] | None:
        return next((s for s in self.sites if s["id"] == site_id), None)

    def find_environment(self, env_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(site, environment) for an environment id, or None."""
        for site in self.sites:
            for env in site["environments"]:
                if env["id"] == env_id:
                    return site, env
        return None

    # ----- operations ------------------------------------------------------

    def start_operation(self, kind: str, apply: Callable[[], None] | None = None) -> Operation:
        """Register an async operation; ``apply`` runs once it completes successfully."""
        fail_message = self._pending_failures.popleft() if self._pending_failures else None
        op = Operation(
            id=f"{kind}-{uuid.uuid4()}",
            kind=kind,
            created_at=self.clock(),
            duration=self.operation_seconds,
            visible_after=self.operation_visible_after,
            fail_message=fail_message,
            apply=apply,
        )
        self.operations[op.id] = op
        return op

    def fail_next_operations(self, message: str, count: int = 1) -> None:
        self._pending_failures.extend([message] * count)

    def advance(self) -> None:
        """Apply the side effects of every operation that has finished successfully."""
        now = self.clock()
        for op in list(self.operations.values()):
            if op.applied or op.fail_message is not None or not op.is_done(now):
                continue
            op.applied = True  # set first so a failing apply is not retried forever
            if op.apply is not None:
                op.apply()

    # ----- faults ----------------------------------------------------------

    def add_fault(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def take_fault(self, method: str, path: str) -> Fault | None:
        """Consume one use of the first fault matching this request."""
        for fault in self.faults:
            if fault.times != 0 and fault.matches(method, path):
                if fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                return fault
        return None

    # ----- request log -----------------------------------------------------

    def record(self, request: RecordedRequest) -> None:
        """Log a request as it arrives (``status`` 0 until answered), so tests
        can count attempts a client abandoned, e.g. after a delay fault."""
        self.requests.append(request)

    def answered(self, request: RecordedRequest, status: int, response_json: Any | None) -> None:
        request.status = status
        request.response_json = response_json
        for observer in list(self.observers):
            observer(request)
