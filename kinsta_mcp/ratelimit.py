"""Client-side rate limiting: token buckets shared by every concurrent call of the process.

Kinsta allows 120 requests a minute per company and 5 a minute for resource creation. A fan-out
(say, clearing the cache on 40 sites at once) would provoke 429s; waiting here instead costs the
same time and never makes a write ambiguous.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import anyio


class TokenBucket:
    """`capacity` tokens, refilled continuously at `per_minute / 60` a second."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError("a rate limit must allow at least one request a minute")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._tokens = self.capacity
        self._clock = clock
        self._stamp = clock()
        self._blocked_until = 0.0
        self._lock = anyio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def delay_needed(self) -> float:
        """Seconds until one token is available (0 when one is there now)."""
        self._refill()
        wait = max(0.0, self._blocked_until - self._clock())
        if self._tokens < 1:
            wait = max(wait, (1 - self._tokens) / self.rate)
        return wait

    async def acquire(self) -> float:
        """Take one token, sleeping as long as needed. Returns the seconds waited.

        The lock makes waiters queue in arrival order, so no caller starves.
        """
        waited = 0.0
        async with self._lock:
            while (wait := self.delay_needed()) > 0:
                await anyio.sleep(wait)
                waited += wait
            self._tokens -= 1
        return waited

    def observe(self, remaining: int | None, reset_seconds: float | None) -> None:
        """Align with the server's own count (RateLimit-* headers) when it sends one."""
        self._refill()
        if remaining is not None:
            self._tokens = min(self._tokens, float(remaining))
            if remaining <= 0 and reset_seconds is not None:
                self._blocked_until = max(self._blocked_until, self._clock() + reset_seconds)

    def pause(self, seconds: float) -> None:
        """After a 429: nobody sends for `seconds`."""
        self._blocked_until = max(self._blocked_until, self._clock() + seconds)
