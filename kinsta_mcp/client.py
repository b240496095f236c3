"""The one way this server talks to the Kinsta API.

Everything about HTTP lives here: bearer auth, pooling, timeouts, rate limiting, retries and the
mapping of failures to `kinsta_mcp.errors`. Tools never see httpx2.

Retry policy, and why:
- A read (GET) is retried on 429, 5xx, timeouts and connection failures, with exponential
  backoff and full jitter, inside a total time budget: repeating it cannot change anything.
- A 429 is retried for every method after Retry-After: Kinsta did not process the request.
- A connection that could not be opened is retried for every method: nothing was sent.
- Any other failed write is never repeated: it may have been carried out, and doing it twice
  could, for instance, start two pushes.
"""

from __future__ import annotations

import functools
import logging
import random
import ssl
import time
from dataclasses import dataclass
from typing import Any

import anyio
import httpx2

from kinsta_mcp import __version__
from kinsta_mcp import errors as e
from kinsta_mcp.config import Settings
from kinsta_mcp.ratelimit import RateLimiter
from kinsta_mcp.secret import Secret

log = logging.getLogger("kinsta_mcp.client")

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass
class ApiResponse:
    status: int
    data: Any
    headers: httpx2.Headers


def _float_header(headers: httpx2.Headers, name: str) -> float | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        return None


# Since 2026-01-31 applications, databases and static sites live at Sevalla; Kinsta answers 404 for
# accounts that moved (docs/api-notes.md#hosting-moved-to-sevalla). Endpoints declare it (`moved`).
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
    ) -> None:
        self.settings = settings
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
        self.limiter = RateLimiter(settings.rate_limit, settings.rate_window)
        self.creation_limiter = RateLimiter(settings.create_rate_limit, settings.rate_window)
        self.requests_sent = 0

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
        retried): the operation poller reads 404 and 500 as states, not failures. `creates` and
        `moved` come from the endpoint declaration (kinsta_mcp.api).
        """
        method = method.upper()
        params = _query(params)
        is_read = method == "GET"
        deadline = time.monotonic() + self.settings.retry_budget
        attempt = 0
        while True:
            attempt += 1
            await self._take_tokens(method, path, creates)
            try:
                response = await self._send(method, path, params, json)
            except httpx2.TimeoutException:
                failure: e.KinstaError = e.Timeout(
                    f"{self.service.name} did not answer {method} {path} within {self.settings.timeout:.0f} s. "
                    + ("" if is_read else "The request may still have been carried out: check before repeating it.")
                )
                retry = is_read
            except httpx2.ConnectError:
                failure = e.ConnectionFailed(
                    f"Could not connect to the {self.service.name} API at {self.base_url}. Check the network "
                    f"(and {self.service.name.upper()}_API_BASE_URL)."
                )
                retry = True  # the connection never opened, so nothing was sent
            except httpx2.TransportError as exc:
                failure = e.ConnectionFailed(
                    f"The connection to {self.service.name} broke during {method} {path} ({type(exc).__name__}). "
                    + ("" if is_read else "The request may still have been carried out: check before repeating it.")
                )
                retry = is_read
            else:
                outcome = self._interpret(method, path, response, accept, moved)
                if isinstance(outcome, ApiResponse):
                    return outcome
                failure = outcome
                retry = isinstance(failure, e.RateLimited) or (is_read and failure_status(failure) in RETRYABLE_STATUS)

            wait = self._backoff(attempt, failure)
            if not retry or time.monotonic() + wait > deadline or attempt >= 8:
                raise failure
            log.info("retrying %s %s in %.1fs after: %s", method, path, wait, type(failure).__name__)
            await anyio.sleep(wait)

    # -- internals ---------------------------------------------------------------------------

    async def _take_tokens(self, method: str, path: str, creates: bool) -> None:
        waited = await self.limiter.acquire()
        if creates:
            waited += await self.creation_limiter.acquire()
        if waited > 0.05:
            log.info("rate limit: waited %.1fs before %s %s", waited, method, path)

    async def _send(self, method: str, path: str, params: dict[str, str] | None, json: Any) -> httpx2.Response:
        self.requests_sent += 1
        kwargs: dict[str, Any] = {"params": params}
        if json is not None:
            kwargs["json"] = json
        return await self._http.request(method, path, **kwargs)

    def _interpret(
        self, method: str, path: str, response: httpx2.Response, accept: frozenset[int], moved: bool
    ) -> ApiResponse | e.KinstaError:
        self._observe_limits(response)
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
        retry_after = _float_header(response.headers, "Retry-After") if status == 429 else None
        if status == 429:
            self.limiter.pause(retry_after if retry_after is not None else 1.0)
        failure = e.from_status(status, data, method=method, path=path, retry_after=retry_after, service=self.service)
        if status in (404, 410) and self.service is e.KINSTA and moved:
            failure.message += MOVED_HINT
        failure.message = self._key.redact(failure.message)
        return failure

    def _observe_limits(self, response: httpx2.Response) -> None:
        remaining = _float_header(response.headers, "RateLimit-Remaining")
        reset = _float_header(response.headers, "RateLimit-Reset")
        if remaining is not None:
            self.limiter.observe(int(remaining), reset)

    def _backoff(self, attempt: int, failure: e.KinstaError) -> float:
        if isinstance(failure, e.RateLimited):
            return failure.retry_after
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
