"""Client-side rate limiting, shared by every concurrent call of the process.

Kinsta allows 120 requests a minute per company and 5 a minute for resource creation. A fan-out
(say, clearing the cache on 40 sites at once) would provoke 429s; waiting here instead costs the
same time and never makes a write ambiguous.

The limiter is a sliding-window log: at most `limit` requests in any `window` seconds. A token
bucket would allow a full burst and then a refill within the same minute, which a server counting
in sliding windows answers with 429; a log never exceeds either kind of server count.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

import anyio


class RateLimiter:
    def __init__(self, limit: int, window: float = 60.0, *, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1:
            raise ValueError("a rate limit must allow at least one request")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sent: deque[float] = deque()
        self._blocked_until = 0.0
        self._lock = anyio.Lock()

    def delay_needed(self) -> float:
        """Seconds until one more request may go (0 = now)."""
        now = self._clock()
        while self._sent and now - self._sent[0] >= self.window:
            self._sent.popleft()
        wait = max(0.0, self._blocked_until - now)
        if len(self._sent) >= self.limit:
            wait = max(wait, self._sent[0] + self.window - now)
        return wait

    async def acquire(self) -> float:
        """Wait for a slot and take it. Returns the seconds waited.

        The lock makes waiters queue in arrival order, so no caller starves.
        """
        waited = 0.0
        async with self._lock:
            while (wait := self.delay_needed()) > 0:
                await anyio.sleep(wait)
                waited += wait
            self._sent.append(self._clock())
        return waited

    def observe(self, remaining: int, reset_seconds: float | None) -> None:
        """The server's own count (RateLimit-* headers): when it says none are left, wait for its reset."""
        if remaining <= 0 and reset_seconds is not None:
            self.pause(reset_seconds)

    def pause(self, seconds: float) -> None:
        """After a 429, or a server count of zero: nobody sends for `seconds`."""
        self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    def free_share(self) -> float:
        """The share of the window's budget still free (0..1): pollers slow down as it runs low."""
        if self._clock() < self._blocked_until:
            return 0.0
        self.delay_needed()  # drops what left the window
        return max(0.0, 1.0 - len(self._sent) / self.limit)
