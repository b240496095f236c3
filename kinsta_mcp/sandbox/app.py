"""The sandbox ASGI app: a Starlette app serving three API bases, each with its own key:

    /v2           Kinsta API v2 (WordPress hosting; applications, databases and static sites too,
                  as for accounts not yet moved — unless ``state.paas_moved`` says they moved)
    /sevalla/v2   Sevalla API v2 (the Kinsta-era application/database/static-site API)
    /sevalla/v3   Sevalla API v3

Route modules say which base serves what: ``routes`` (Kinsta), ``paas_routes`` (Kinsta and
Sevalla v2: same paths and shapes), ``sevalla_v2_routes`` (Sevalla v2 only, e.g. its /validate),
``v3_routes`` (Sevalla v3).

``SandboxMiddleware`` does everything that is not endpoint logic, in this
order, for every request:

1. apply finished operations (``state.advance()``),
2. auth — 401 without ``Authorization: Bearer <api_key>`` (costs no budget),
3. faults — delay and/or a scripted status/raw body (costs no budget
   unless the fault is delay-only and the request then proceeds),
4. rate limit — 429 with ``Retry-After`` when over budget, per company and class (``limits.py``),
5. unknown path → 404, known path with wrong method → 405,
6. the endpoint.

Each request is logged in ``state.requests`` on arrival (status 0). The
response is buffered so its status and body are filled in, and observers run,
*before* the client sees it: a test that reads ``state.requests[-1]`` right
after a response always finds it complete. An observer that raises turns the
response into a plain-text 500 (Starlette's error middleware), which makes
contract assertions inside observers visible to the test.
"""

from __future__ import annotations

import hmac
import json
import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

import anyio
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Mount, Route, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .limits import Counted
from .routes import all_routes, template_of
from .routes._common import ApiError, api_error_handler, error_body, error_response
from .seed import DEMO_API_KEY, DEMO_SEVALLA_KEY
from .state import Fault, RateDecision, RecordedRequest, SandboxState

log = logging.getLogger(__name__)

PREFIX = "/v2"


class Base:
    """One API served by the sandbox: where, with which key, which routes."""

    def __init__(self, name: str, prefix: str, key: str, routes: list[Route]) -> None:
        self.name, self.prefix, self.key, self.routes = name, prefix, key, routes

    def owns(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + "/")


TOO_MANY_REQUESTS = "Too many requests, please try again later."

_FAULT_MESSAGES = {
    400: "Bad request format",
    401: "Unauthenticated.",
    404: "Not found",
    429: TOO_MANY_REQUESTS,
    500: "Error occurred while processing your request",
}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class _Buffered:
    """A response collected from an inner ASGI app."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    def json(self) -> Any | None:
        content_type = next((v for k, v in self.headers if k.lower() == b"content-type"), b"")
        if b"json" not in content_type:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None


class SandboxMiddleware:
    """Reads the served state through ``holder.sandbox`` (the Starlette app's ``app.state``) once per
    request, so assigning ``app.state.sandbox`` swaps the state a running server serves (the test-suite
    keeps one server per session and gives each test a fresh state)."""

    def __init__(self, app: ASGIApp, holder: Any, bases: list[Base]) -> None:
        self.app = app
        self.holder = holder
        # Longest prefix first: /sevalla/v2 must not be taken for /v2.
        self.bases = sorted(bases, key=lambda b: len(b.prefix), reverse=True)

    def _base(self, path: str) -> Base | None:
        return next((b for b in self.bases if b.owns(path)), None)

    @staticmethod
    def _match(base: Base, method: str, path: str) -> tuple[str | None, list[str]]:
        """(template of the route that serves this request, methods allowed on the path)."""
        probe = {"type": "http", "path": path, "root_path": "", "method": method}
        allowed: list[str] = []
        for route in base.routes:
            match, _ = route.matches(probe)
            if match is Match.FULL:
                return template_of(route), []
            if match is Match.PARTIAL:
                allowed.extend(sorted(route.methods or ()))
        return None, allowed

    @property
    def state(self) -> SandboxState:
        return self.holder.sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        state = self.state
        method = scope["method"]
        full_path = scope["path"]
        base = self._base(full_path)
        in_api = base is not None
        path = (full_path[len(base.prefix) :] or "/") if base is not None else full_path
        template, allowed = self._match(base, method, path) if base is not None else (None, [])
        if base is not None and base.name == "kinsta" and state.paas_moved and _is_paas(path):
            template, allowed = None, []  # moved to Sevalla: Kinsta no longer knows these paths

        headers = Headers(scope=scope)
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        authenticated = base is not None and bool(token) and hmac.compare_digest(token.encode(), base.key.encode())

        try:
            request_json = json.loads(body) if body.strip() else None
        except ValueError:
            request_json = None
        record = RecordedRequest(
            method=method,
            path=path,
            query=dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)),
            json=request_json,
            headers={k: v for k, v in headers.items() if k != "authorization"},
            status=0,
            response_json=None,
            route=template,
            base=base.name if base is not None else "",
        )
        state.record(record)

        counted = Counted.of(state, record.base, method, template)
        denied: RateDecision | None = None
        out = _Buffered()

        async def answer(response: Response) -> None:
            await response(scope, replay, out.send)

        async def dispatch() -> None:
            nonlocal denied
            state.advance()
            if not in_api:
                return await answer(error_response(404, "Not found"))
            if not authenticated:
                return await answer(error_response(401, "Unauthenticated."))
            fault = state.take_fault(method, path)
            if fault is not None:
                await anyio.sleep(fault.delay)
                if fault.status is not None or fault.body is not None:
                    return await answer(self._fault_response(fault))
            denied = counted.denied()  # per company and class (sandbox/limits.py); counts it when allowed
            if denied:
                payload = {"status": 429, "message": TOO_MANY_REQUESTS}  # real 429s carry no "data"
                headers = {"Retry-After": str(denied.retry_after)}
                return await answer(JSONResponse(payload, status_code=429, headers=headers))
            if template is None and allowed:
                return await answer(error_response(405, "Method not allowed", {"Allow": ", ".join(allowed)}))
            if template is None:
                return await answer(error_response(404, "Not found"))
            await self.app(scope, replay, out.send)

        try:
            await dispatch()
        except Exception:
            log.exception("sandbox handler failed for %s %s", method, full_path)
            out = _Buffered()
            await answer(error_response(500, "Error occurred while processing your request (sandbox bug)"))

        rate_headers = counted.headers(denied) if in_api else {}
        response_headers = [(k, v) for k, v in out.headers if k.lower() != b"content-length"]
        response_headers += [(k.lower().encode(), v.encode()) for k, v in rate_headers.items()]
        response_headers.append((b"content-length", str(len(out.body)).encode()))

        state.answered(record, out.status, out.json())
        await send({"type": "http.response.start", "status": out.status, "headers": response_headers})
        await send({"type": "http.response.body", "body": out.body, "more_body": False})

    @staticmethod
    def _fault_response(fault: Fault) -> Response:
        if fault.body is not None:
            return Response(fault.body, status_code=fault.status or 200, media_type=fault.media_type)
        status = fault.status or 500
        headers = {"Retry-After": _seconds(fault.retry_after)} if status == 429 else None
        message = _FAULT_MESSAGES.get(status) or _phrase(status)
        if status == 429:
            # Same body as a real rate-limit answer (which has no "data").
            return JSONResponse({"status": 429, "message": message}, status_code=429, headers=headers)
        return JSONResponse(error_body(status, message), status_code=status, headers=headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    # Only reached if Starlette routing disagrees with the middleware's match.
    assert isinstance(exc, HTTPException)
    message = "Method not allowed" if exc.status_code == 405 else "Not found"
    return error_response(exc.status_code, message, dict(exc.headers or {}))


def _is_paas(path: str) -> bool:
    return any(
        path == p or path.startswith(p + "/") for p in ("/applications", "/databases", "/static-sites", "/pipelines")
    )


def create_app(
    state: SandboxState | None = None, api_key: str = DEMO_API_KEY, sevalla_api_key: str = DEMO_SEVALLA_KEY
) -> Starlette:
    """Build the sandbox app. ``app.state.sandbox`` is the SandboxState it serves; assigning another one
    swaps it for the requests that arrive from then on."""
    state = state if state is not None else SandboxState()
    bases = [
        Base("kinsta", PREFIX, api_key, all_routes("routes") + all_routes("paas_routes")),
        Base("sevalla_v2", "/sevalla/v2", sevalla_api_key, all_routes("paas_routes") + all_routes("sevalla_v2_routes")),
        Base("sevalla_v3", "/sevalla/v3", sevalla_api_key, all_routes("v3_routes")),
    ]
    # redirect_slashes off: a real API answers 404 for "/sites/", not a 307.
    app = Starlette(
        routes=[
            Mount(b.prefix, app=Router(routes=b.routes, redirect_slashes=False))
            for b in sorted(bases, key=lambda b: len(b.prefix), reverse=True)
        ],
        exception_handlers={ApiError: api_error_handler, 404: _http_error, 405: _http_error},
    )
    app.router.redirect_slashes = False
    app.add_middleware(SandboxMiddleware, holder=app.state, bases=bases)
    app.state.sandbox = state  # assign another SandboxState to serve it instead
    app.state.api_key = api_key
    return app
