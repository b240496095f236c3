"""The one way this server talks to the Kinsta API.

Everything about HTTP lives here: bearer auth, pooling, timeouts, rate limiting, retries and the
mapping of failures to `kinsta_mcp.errors`. Tools never see httpx2.

Retry policy, and why:
- A read (GET) is retried on 429, 5xx, timeouts and connection failures, with exponential
  backoff and full jitter, inside a total time budget: repeating it cannot change anything.
- A 429 is retried for every method after Retry-After: Kinsta did not process the request. Only the
  request's rate class waits (kinsta_mcp/ratelimit.py), and as long as the API asks for no more than
  a rate window (plus the budget), since a shared quota frees within one window.
- A connection that could not be opened is retried for every method: nothing was sent.
- Any other failed write is never repeated: it may have been carried out, and doing it twice
  could, for instance, start two pushes. Its error says so.

The retry budget counts time spent failing (attempts and backoff), never time queued in our own
limiter or waiting out a 429: a call that waited a minute for its turn still gets its retries.
"""

from __future__ import annotations

import functools
import logging
import random
import ssl
from dataclasses import dataclass
from typing import Any

import httpx2

from kinsta_mcp import __version__
from kinsta_mcp import errors as e
from kinsta_mcp.config import Settings
from kinsta_mcp.pacing import Clock
from kinsta_mcp.ratelimit import LOGS_LIMIT, Limits, Ticket
from kinsta_mcp.secret import Secret

log = logging.getLogger("kinsta_mcp.client")

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass
class ApiResponse:
    status: int
    data: Any
    headers: httpx2.Headers


# Since 2026-01-31 applications, databases and static sites live at Sevalla; Kinsta answers 404 for
# accounts that moved (docs/api-notes.md#hosting-moved-to-sevalla). Endpoints declare it (`moved`).
MAY_HAVE_HAPPENED = "The request may still have been carried out: check before repeating it."
# A read that failed after its retries: what a person (or model) can do about it.
READ_AGAIN = (
    "It was retried within the retry budget. Try again in a minute; if it keeps failing, check Kinsta's or "
    "Sevalla's status page, or raise KINSTA_TIMEOUT for a large answer."
)
MOVED_HINT = (
    " Applications, databases and static sites moved from Kinsta to Sevalla on 2026-01-31: set SEVALLA_API_KEY "
    "(create a key in the Sevalla dashboard > Company settings > API Keys) so these tools use the Sevalla API."
)


class KinstaClient:
    """Async client for one API base (Kinsta v2, Sevalla v2 or v3) with one key.

    Each instance has its own pool and rate limiter: limits are counted per API and company.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        base_url: str = "",
        api_key: Secret | None = None,
        service: e.Service = e.KINSTA,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock or Clock()
        self.service = service
        self.base_url = (base_url or settings.base_url).rstrip("/")
        self._key = api_key if api_key is not None else settings.api_key
        self._http = httpx2.AsyncClient(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {self._key.reveal()}",
                "Accept": "application/json",
                "User-Agent": f"kinsta-mcp/{__version__}",
            },
            timeout=httpx2.Timeout(settings.timeout, connect=settings.connect_timeout),
            limits=httpx2.Limits(max_connections=20, max_keepalive_connections=10),
            transport=transport,
            verify=_tls() if transport is None else True,  # a given transport brings its own TLS (or none)
        )
        logs = LOGS_LIMIT.get(service.name, min(LOGS_LIMIT.values()))
        self.limits = Limits(
            settings.rate_limit, settings.create_rate_limit, logs, settings.rate_window, clock=self.clock
        )
        self.limiter = self.limits.company
        self.creation_limiter = self.limits.by_class["create"]
        self.requests_sent = 0
        self.throttled = 0  # 429 answers received

    def __repr__(self) -> str:
        return f"KinstaClient({self.service.name}, base_url={self.base_url!r})"

    async def __aenter__(self) -> KinstaClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the public surface ------------------------------------------------------------------

    async def get(
        self, path: str, *, params: dict[str, Any] | None = None, accept: frozenset[int] = frozenset()
    ) -> ApiResponse:
        return await self.request("GET", path, params=params, accept=accept)

    async def post(self, path: str, *, json: Any = None) -> ApiResponse:
        return await self.request("POST", path, json=json)

    async def put(self, path: str, *, json: Any = None) -> ApiResponse:
        return await self.request("PUT", path, json=json)

    async def delete(self, path: str, *, json: Any = None) -> ApiResponse:
        return await self.request("DELETE", path, json=json)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        accept: frozenset[int] = frozenset(),
        creates: bool = False,
        moved: bool = False,
        rate: str = "default",
    ) -> ApiResponse:
        """Send one logical request; returns the parsed 2xx answer (or a status in `accept`).

        `accept` lists error statuses the caller handles itself (they are neither raised nor
        retried): the operation poller reads 404 and 500 as states, not failures. `rate` (the
        endpoint's RateClass value; `creates` is the same as rate="create") and `moved` come from the
        endpoint declaration (kinsta_mcp.api).
        """
        method = method.upper()
        params = _query(params)
        is_read = method == "GET"
        rate = "create" if creates else rate
        spent = 0.0  # seconds spent failing: attempts and backoff, not queueing
        throttled = 0.0  # seconds the API asked us to wait (429)
        attempt = 0
        while True:
            ticket = await self.limits.acquire(rate)
            if ticket.waited > 0.05:
                log.info("rate limit: waited %.1fs before %s %s", ticket.waited, method, path)
            began = self.clock.now()
            sent = True
            try:
                response = await self._send(method, path, params, json)
            except httpx2.TimeoutException:
                failure: e.KinstaError = e.Timeout(
                    f"{self.service.name} did not answer {method} {path} within {self.settings.timeout:.0f} s. "
                    + (READ_AGAIN if is_read else MAY_HAVE_HAPPENED),
                    maybe_applied=not is_read,
                )
                retry = is_read
            except httpx2.ConnectError:
                failure = e.ConnectionFailed(
                    f"Could not connect to the {self.service.name} API at {self.base_url}. Check the network "
                    f"(and {self.service.name.upper()}_API_BASE_URL)."
                )
                retry, sent = True, False  # the connection never opened, so nothing was sent
            except httpx2.TransportError as exc:
                failure = e.ConnectionFailed(
                    f"The connection to {self.service.name} broke during {method} {path} ({type(exc).__name__}). "
                    + (READ_AGAIN if is_read else MAY_HAVE_HAPPENED),
                    maybe_applied=not is_read,
                )
                retry = is_read
            else:
                Limits.observe(ticket, response.headers)
                outcome = self._interpret(method, path, response, accept, moved, ticket, throttled)
                if isinstance(outcome, ApiResponse):
                    return outcome
                failure = outcome
                retry = is_read and failure_status(failure) in RETRYABLE_STATUS
            finally:
                spent += self.clock.now() - began
                ticket.done(sent=sent)

            if isinstance(failure, e.RateLimited):
                # Not processed, so safe to repeat; the wait happens in the class's limiter, which it paused.
                throttled += max(failure.retry_after, 1.0)  # a Retry-After of 0 must not loop forever
                # One wait longer than a window is not a window's traffic (a daily cap, an outage): say so at once.
                # Several processes sharing a key can each meet a few 429s in a row: two windows cover them.
                window, budget = self.settings.rate_window, self.settings.retry_budget
                if failure.retry_after > window or throttled > 2 * window + budget:
                    raise failure
                log.info("%s %s: 429, again in %.1fs", method, path, failure.retry_after)
                continue
            attempt += 1
            wait = self._backoff(attempt)
            if not retry or spent + wait > self.settings.retry_budget or attempt >= 8:
                raise failure
            log.info("retrying %s %s in %.1fs after: %s", method, path, wait, type(failure).__name__)
            spent += wait
            await self.clock.sleep(wait)

    # -- internals ---------------------------------------------------------------------------

    async def _send(self, method: str, path: str, params: dict[str, str] | None, json: Any) -> httpx2.Response:
        self.requests_sent += 1
        kwargs: dict[str, Any] = {"params": params}
        if json is not None:
            kwargs["json"] = json
        return await self._http.request(method, path, **kwargs)

    def _interpret(
        self,
        method: str,
        path: str,
        response: httpx2.Response,
        accept: frozenset[int],
        moved: bool,
        ticket: Ticket,
        throttled: float,
    ) -> ApiResponse | e.KinstaError:
        data, parsed = _parse_json(response)
        status = response.status_code
        if 200 <= status < 300 or status in accept:
            if not parsed and response.content:
                return e.UnexpectedResponse(
                    f"{self.service.name} answered {status} to {method} {path} with a body that is not JSON "
                    f"({response.headers.get('content-type', 'no content type')}). Try again later.",
                    status=status,
                )
            return ApiResponse(status, data, response.headers)
        if not parsed and response.content and status != 429 and status < 500:
            return e.UnexpectedResponse(
                f"{self.service.name} answered {status} to {method} {path} with a body that is not JSON.", status=status
            )
        retry_after = None
        if status == 429:
            self.throttled += 1
            retry_after = Limits.throttled(ticket, response.headers, waited=throttled)
        failure = e.from_status(status, data, method=method, path=path, retry_after=retry_after, service=self.service)
        if status in (404, 410) and self.service is e.KINSTA and moved:
            failure.message += MOVED_HINT
        if status >= 500 and method != "GET" and "carried out" not in failure.message:
            # "Try again shortly" is wrong advice for a change: it may have been made.
            failure.message = failure.message.replace(f"This is on {self.service.name}'s side; try again shortly.", "")
            failure.message = f"{failure.message.rstrip()} {MAY_HAVE_HAPPENED}"
            failure.maybe_applied = True
        failure.message = self._key.redact(failure.message)
        return failure

    def _backoff(self, attempt: int) -> float:
        ceiling = min(8.0, self.settings.backoff_base * 2 ** (attempt - 1))
        return random.uniform(0, ceiling)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client of the process, made as httpx2 makes its default (the OS trust store,
    SSL_CERT_FILE/SSL_CERT_DIR honoured): loading the store costs ~18 ms a client."""
    return httpx2.create_ssl_context()


def failure_status(failure: e.KinstaError) -> int | None:
    return failure.status if isinstance(failure, e.HTTPError) else None


def _query(params: dict[str, Any] | None) -> dict[str, str] | None:
    """Kinsta wants query booleans as the strings "true"/"false"; None means leave it out."""
    if not params:
        return None
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        out[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


def _parse_json(response: httpx2.Response) -> tuple[Any, bool]:
    if not response.content:
        return None, True
    try:
        return response.json(), True
    except ValueError:
        return None, False
