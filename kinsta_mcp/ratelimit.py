"""Client-side rate limiting: one limiter per rate class, shared by every concurrent call of the process.

Kinsta counts 120 requests a minute per company, and on their own 5 a minute for resource creation and
35 a minute for the logs endpoint (Sevalla v3: 30). A fan-out (say, clearing the cache on 40 sites)
would provoke 429s; waiting here instead costs the same time and never makes a write ambiguous.

Every request takes a slot of the company limiter; a creation or logs request first takes one of its
own class (`Limits.chain`). A 429, and the server's own count (`RateLimit-*`, Sevalla's
`X-RateLimit-*`), apply to the class the request belongs to: a logs 429 pauses logs, not `list_sites`.

Each limiter is a sliding-window log: at most `limit` requests in any `window` seconds. A token bucket
would allow a full burst and then a refill within the same minute, which a server counting in sliding
windows answers with 429; a log never exceeds either kind of count. A slot is stamped when its answer
arrives, not when it was sent: the server counted the request in between, so a slow answer can never
make the server's window hold one more than ours.

Several processes may share one company key without knowing of each other. Each paces on the server's
count as well as its own: the freshest `Remaining`, minus what this process sent after that request,
is what may still go now; at zero it waits for the server's `Reset`, then sends one request, whose
answer is the new count. The quota is thus shared first come, first served, and a 429 costs a wait,
never a failed call (kinsta_mcp/client.py retries it).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import anyio
import httpx2

from kinsta_mcp.pacing import Clock

PROBE_SECONDS = 1.0  # after the server's reset: how long one probe's answer is awaited before another


@dataclass
class _View:
    """The server's count as of our request number `seq`: `remaining` left then, valid until `until`."""

    seq: int
    remaining: int
    until: float


class RateLimiter:
    def __init__(self, limit: int, window: float = 60.0, *, clock: Clock | None = None) -> None:
        if limit < 1:
            raise ValueError("a rate limit must allow at least one request")
        self.configured = limit
        self.limit = limit  # the configured figure, or the server's when it states a lower one
        self.window = window
        self.clock = clock or Clock()
        self._answered: deque[float] = deque()  # when our answered requests were answered, oldest first
        self._in_flight = 0
        self._seq = 0  # requests sent so far
        self._view: _View | None = None
        self._blocked_until = 0.0
        self._lock = anyio.Lock()

    def delay_needed(self) -> float:
        """Seconds until one more request may go (0 = now)."""
        now = self.clock.now()
        while self._answered and now - self._answered[0] >= self.window:
            self._answered.popleft()
        wait = max(0.0, self._blocked_until - now, self._server_wait(now))
        if len(self._answered) + self._in_flight >= self.limit:
            # All in flight: none frees before it is answered and a window has passed, so look again then.
            wait = max(wait, self._answered[0] + self.window - now if self._answered else self.window)
        return wait

    def _server_wait(self, now: float) -> float:
        view = self._view
        if view is None or view.remaining - (self._seq - view.seq) > 0:
            return 0.0
        if now < view.until:
            return view.until - now
        # The server's window has moved on: send one request; its answer says what is left now.
        self._view = _View(self._seq, 1, now + PROBE_SECONDS)
        return 0.0

    async def acquire(self) -> tuple[int, float]:
        """Wait for a slot and take it: (the request's number, for `observe` and `done`; seconds waited).

        The lock makes waiters queue in arrival order, so no caller starves.
        """
        waited = 0.0
        async with self._lock:
            while (wait := self.delay_needed()) > 0:
                await self.clock.sleep(wait)
                waited += wait
            self._seq += 1
            self._in_flight += 1
        return self._seq, waited

    def done(self, *, sent: bool = True) -> None:
        """The request was answered (or given up): its slot counts from now. One that never left (no
        connection, cancelled while queued) frees its slot."""
        self._in_flight = max(0, self._in_flight - 1)
        if sent:
            self._answered.append(self.clock.now())

    def observe(self, seq: int, remaining: int, reset: float | None, limit: int | None = None) -> None:
        """The server's count in the answer to our request `seq`; the freshest request's count wins."""
        if limit is not None and limit >= 1:
            self.limit = min(self.configured, limit)
        if self._view is not None and seq < self._view.seq:
            return
        until = self.clock.now() + (reset if reset is not None and reset > 0 else PROBE_SECONDS)
        self._view = _View(seq, max(0, remaining), until)

    def pause(self, seconds: float) -> None:
        """After a 429: nobody of this class sends for `seconds`."""
        self._blocked_until = max(self._blocked_until, self.clock.now() + seconds)

    def free_share(self) -> float:
        """The share of the window's budget still free (0..1), by our count and the server's: pollers slow
        down as it runs low."""
        if self.delay_needed() > 0:  # also drops what left the window
            return 0.0
        share = 1.0 - (len(self._answered) + self._in_flight) / self.limit
        if self._view is not None and self.clock.now() < self._view.until:
            share = min(share, (self._view.remaining - (self._seq - self._view.seq)) / self.limit)
        return max(0.0, share)


# Per class: the limit where no setting names one. Logs: Kinsta's spec (Logs tag) says 35 a minute,
# Sevalla v3's rate-limit page 30; the server's `Limit` header lowers either (docs/api-notes.md#rate-limits).
LOGS_LIMIT = {"Kinsta": 35, "Sevalla": 30}


@dataclass
class Ticket:
    """The slots one request holds, its own class's first: (limiter, the request's number there)."""

    held: list[tuple[RateLimiter, int]]
    waited: float

    @property
    def own(self) -> tuple[RateLimiter, int]:
        return self.held[0]

    def done(self, *, sent: bool = True) -> None:
        for limiter, _ in self.held:
            limiter.done(sent=sent)


class Limits:
    """The limiters of one client (one API base and key): the company's, creation's and logs'."""

    def __init__(
        self, company: int, create: int, logs: int, window: float = 60.0, *, clock: Clock | None = None
    ) -> None:
        self.by_class = {
            "default": RateLimiter(company, window, clock=clock),
            "create": RateLimiter(create, window, clock=clock),
            "logs": RateLimiter(logs, window, clock=clock),
        }

    @property
    def company(self) -> RateLimiter:
        return self.by_class["default"]

    async def acquire(self, rate: str) -> Ticket:
        """A slot of the request's own class, then one of the company's: waiting for a creation slot while
        holding a company slot would keep that slot from everyone else."""
        own = self.by_class.get(rate, self.company)
        held: list[tuple[RateLimiter, int]] = []
        waited = 0.0
        try:
            for limiter in [own] if own is self.company else [own, self.company]:
                seq, wait = await limiter.acquire()
                held.append((limiter, seq))
                waited += wait
        except BaseException:  # cancelled while queued: give back what was taken
            Ticket(held, waited).done(sent=False)
            raise
        return Ticket(held, waited)

    @staticmethod
    def observe(ticket: Ticket, headers: httpx2.Headers) -> None:
        """The server's count, if the answer states one, for the class of the request."""
        remaining = _number(headers, "remaining")
        if remaining is not None:
            limiter, seq = ticket.own
            limit = _number(headers, "limit")
            limiter.observe(seq, int(remaining), _number(headers, "reset"), int(limit) if limit else None)

    @staticmethod
    def throttled(ticket: Ticket, headers: httpx2.Headers, *, waited: float) -> float:
        """A 429: only the request's own class waits (a company-wide 429 comes from a company request), for
        Retry-After, else the count's reset, else a pause that grows with what this call `waited` already."""
        retry_after = _number(headers, "retry-after", prefixes=("",))
        if retry_after is None:
            retry_after = _number(headers, "reset") or min(8.0, 1.0 + waited)
        ticket.own[0].pause(retry_after)
        return retry_after


def _number(
    headers: httpx2.Headers, name: str, prefixes: tuple[str, ...] = ("ratelimit-", "x-ratelimit-")
) -> float | None:
    """`RateLimit-<name>` (IETF draft, what Kinsta may send) or `X-RateLimit-<name>` (Sevalla v3); a number of
    seconds or requests, never negative."""
    for key in (prefix + name for prefix in prefixes):
        raw = headers.get(key)
        if raw is not None:
            try:
                value = float(raw.split(",")[0].split(";")[0])
            except ValueError:
                continue
            if math.isfinite(value) and value >= 0:
                return value
    return None
