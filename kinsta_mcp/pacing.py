"""When to look at a running job again, and the clock that waits.

Pacing: the first check soon after the start (most cache clears finish in seconds), then an interval
that grows with the job's age up to `poll_max` (a 45-second push is not polled every second), and
stretches when the rate budget runs low so that waiting never causes a 429 for other calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import anyio

from kinsta_mcp.config import Settings


class Clock:
    """Time for pacing; tests swap in one that does not sleep for real."""

    def now(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)


@dataclass
class Pacer:
    """When to poll next: soon at first, slower as the job ages and as the rate budget runs low."""

    settings: Settings
    budget: Callable[[], float] = lambda: 1.0  # share of the rate budget still free, 0..1

    def interval(self, age: float) -> float:
        base = min(self.settings.poll_max, max(self.settings.poll_initial, 0.6 + age / 12))
        free = self.budget()
        # Below a quarter of the budget left, stretch (up to 4×) so other calls still find room.
        return base if free >= 0.25 else base * min(4.0, 0.25 / max(free, 0.0625))
