"""Every failure a tool can report, as one hierarchy.

Messages are written for the model that reads them: what went wrong and what to do next.
They never contain the API key (the client redacts it before an error is built).

    KinstaError
    ├── ConfigError             missing or unusable configuration (start-up)
    ├── InvalidInput            a tool argument that cannot be acted on (bad reference, bad value)
    │   └── OutOfScope          the target is outside the configured allowlist
    ├── OperationFailed         a long-running operation finished with an error
    ├── TransportError          no HTTP answer at all
    │   ├── Timeout
    │   └── ConnectionFailed
    └── HTTPError               an HTTP answer with an error status (.status, .body)
        ├── BadRequest          400, 422
        ├── Unauthorized        401
        ├── Forbidden           403
        ├── NotFound            404 (Kinsta also answers 404 when the key's role lacks access)
        ├── RateLimited         429 (.retry_after)
        ├── ServerError         5xx
        └── UnexpectedResponse  2xx/4xx/5xx whose body is not the JSON we expect
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kinsta_mcp.text import quoted

KEYS_PAGE = "MyKinsta > Company settings > API Keys"


@dataclass(frozen=True)
class Service:
    """Which API an error came from, so its message names the right product, page and variable."""

    name: str
    keys_page: str
    key_variable: str


KINSTA = Service("Kinsta", KEYS_PAGE, "KINSTA_API_KEY")
SEVALLA = Service("Sevalla", "the Sevalla dashboard > Company settings > API Keys", "SEVALLA_API_KEY")


class KinstaError(Exception):
    """Base of every error a tool turns into an error result. `maybe_applied`: a change whose answer never came
    (5xx, timeout, broken connection) may have been made; the tool layer says how to check."""

    def __init__(self, message: str, *, maybe_applied: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.maybe_applied = maybe_applied

    def __str__(self) -> str:
        return self.message

    def without(self, secrets: Iterable[str]) -> KinstaError:
        """The same error with these values gone from its text: as sent, as quoted (escaped) in it, and cut
        short where a long quote was (a PEM key the API echoed must not leave even its first lines)."""
        for secret in (s for s in secrets if len(s) >= 4):
            # The escaped form first: it is the longer one, and the raw one's opening would match it too.
            for form in sorted({secret, quoted(secret, limit=len(secret))[1:-1]}, key=len, reverse=True):
                self.message = _cut(self.message, form)
        return self


def _cut(text: str, secret: str) -> str:
    """`text` with `secret`, and any run of at least its first 12 characters, replaced."""
    if len(secret) < 12:
        return text.replace(secret, "[hidden]")
    start = text.find(secret[:12])
    while start != -1:
        end = start + 12
        while end < len(text) and end - start < len(secret) and text[end] == secret[end - start]:
            end += 1
        text = text[:start] + "[hidden]" + text[end:]
        start = text.find(secret[:12], start + len("[hidden]"))
    return text


class ConfigError(KinstaError):
    pass


class InvalidInput(KinstaError):
    pass


class OutOfScope(InvalidInput):
    pass


class OperationFailed(KinstaError):
    def __init__(self, message: str, operation_id: str) -> None:
        super().__init__(message)
        self.operation_id = operation_id


class TransportError(KinstaError):
    pass


class Timeout(TransportError):
    pass


class ConnectionFailed(TransportError):
    pass


class HTTPError(KinstaError):
    def __init__(self, message: str, *, status: int, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class BadRequest(HTTPError):
    pass


class Unauthorized(HTTPError):
    pass


class Forbidden(HTTPError):
    pass


class NotFound(HTTPError):
    pass


class RateLimited(HTTPError):
    def __init__(self, message: str, *, status: int, body: Any = None, retry_after: float) -> None:
        super().__init__(message, status=status, body=body)
        self.retry_after = retry_after


class ServerError(HTTPError):
    pass


class UnexpectedResponse(HTTPError):
    pass


def _api_message(body: Any) -> str:
    """Kinsta's own words from an error body ({status, message, data}); `error` is an older key."""
    if isinstance(body, dict):
        for key in ("message", "error"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                text = value.strip()
                data = body.get("data")
                if isinstance(data, (dict, list)) and data:
                    text += f" (details: {data})"
                return text
    return ""


def from_status(
    status: int, body: Any, *, method: str, path: str, retry_after: float | None = None, service: Service = KINSTA
) -> HTTPError:
    """The error for an HTTP error answer, worded so a model knows what to do next."""
    said = _api_message(body)
    where = f"{method} {path}"
    api = service.name
    words = f" {api} said: {quoted(said)}." if said else ""
    if status in (400, 422):
        return BadRequest(
            f"{api} rejected the request as invalid ({status}, {where}).{words} Check the arguments and try again.",
            status=status,
            body=body,
        )
    if status == 401:
        return Unauthorized(
            f"{api} did not accept the API key (401).{words} The key may be wrong, expired or revoked: "
            f"create a new one in {service.keys_page} and set {service.key_variable}.",
            status=status,
            body=body,
        )
    if status == 403:
        return Forbidden(
            f"The API key is not allowed to do this (403, {where}).{words} Keys carry the role of the user who "
            f"made them: a company owner or administrator must create the key ({service.keys_page}).",
            status=status,
            body=body,
        )
    if status == 404:
        return NotFound(
            f"{api} found nothing at {where} (404).{words} Either it does not exist or the API key's role has no "
            f"access to it ({api} answers 404 for both; a company owner or administrator key sees everything).",
            status=status,
            body=body,
        )
    if status == 409:
        return UnexpectedResponse(
            f"{api} answered 409 Conflict to {where}.{words} Something else is changing this resource now (an "
            "operation or deployment still running): let it finish (wait_for_job, or read its state), then try again.",
            status=status,
            body=body,
        )
    if status == 429:
        wait = retry_after if retry_after is not None else 60.0
        return RateLimited(
            f"{api}'s rate limit was reached (429).{words} Try again in {wait:.0f} s.",
            status=status,
            body=body,
            retry_after=wait,
        )
    if status >= 500:
        return ServerError(
            f"{api} had a server error ({status}, {where}).{words} This is on {api}'s side; try again shortly.",
            status=status,
            body=body,
        )
    return UnexpectedResponse(f"{api} answered {status} to {where}.{words}", status=status, body=body)
