"""The sandbox's rate limits: per company and API, per class, counted as the APIs count them.

Every request counts against its company's limit on its API (``state.rate_limit``, 120 a minute);
creation calls (``state.creation_routes``) also against ``state.create_rate_limit`` (5), and the logs
endpoints (``state.logs_rate_limit``, 35, Kinsta's figure; Sevalla v3 says 30) against their own. A
request over any of its limits is answered 429 with ``Retry-After`` and is not counted. Every answer
carries the count of the request's own class (or, on a 429, of the limit it hit): ``RateLimit-Limit``,
``-Remaining`` and ``-Reset`` (whole seconds until a slot frees) on Kinsta and Sevalla v2, and Sevalla
v3's documented ``x-ratelimit-*`` names on v3 (docs/api-notes.md#rate-limits). Several clients with
one key share one count, which is what lets a bench run several servers against one company.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .state import RateDecision, SandboxState

# (method, route template) of the endpoints with their own logs limit: Kinsta's environment logs and
# Sevalla v3's application and static-site logs.
LOGS_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/sites/environments/{env_id}/logs"),
        ("GET", "/applications/{id}/runtime-logs"),
        ("GET", "/applications/{id}/access-logs"),
        ("GET", "/applications/{id}/deployments/{deployment_id}/logs"),
        ("GET", "/static-sites/{id}/access-logs"),
        ("GET", "/static-sites/{id}/deployments/{deployment_id}/logs"),
    }
)


@dataclass
class Counted:
    """The buckets one request counts against: (bucket, limit), the company's first, its class's last."""

    state: SandboxState
    base: str
    buckets: list[tuple[str, int]]

    @classmethod
    def of(cls, state: SandboxState, base: str, method: str, template: str | None) -> Counted:
        company = f"{base}:{state.company_id}"
        buckets = [(company, state.rate_limit)]
        if (method, template) in state.creation_routes:
            buckets.append((company + "#create", state.create_rate_limit))
        elif (method, template) in state.logs_routes:
            buckets.append((company + "#logs", state.logs_rate_limit))
        return cls(state, base, buckets)

    def _decisions(self) -> list[RateDecision]:
        return [self.state.rate_limiter.check(bucket, limit) for bucket, limit in self.buckets]

    def denied(self) -> RateDecision | None:
        """The limit this request is over (the one that frees last), or None: it may go, and is counted."""
        over = [d for d in self._decisions() if not d.allowed]
        if over:
            return max(over, key=lambda d: d.retry_after)
        for bucket, _ in self.buckets:
            self.state.rate_limiter.hit(bucket)
        return None

    def headers(self, denied: RateDecision | None) -> dict[str, str]:
        shown = denied or self._decisions()[-1]
        prefix = "x-ratelimit" if self.base == "sevalla_v3" else "RateLimit"
        return {
            f"{prefix}-Limit": str(shown.limit),
            f"{prefix}-Remaining": str(shown.remaining),
            f"{prefix}-Reset": str(shown.reset),
        }
