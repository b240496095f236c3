"""Bearer-token protection for the Streamable HTTP transport, as a plain bearer-token resource server.

Whoever can call this server can act with the Kinsta key behind it, so over HTTP every request must
carry the shared token (`KINSTA_MCP_HTTP_TOKEN`), and the CLI refuses to listen beyond loopback
without one. stdio needs none: the client that spawned us is the only one talking.

There is no OAuth here, and nothing may suggest there is: a 401 names no `resource_metadata`, and
no `/.well-known/oauth-*`, `/register` or `/authorize` route exists. MCP clients still start OAuth
discovery on a 401 when nobody configured the header; every one of those requests then gets a 404
whose body says what to send instead, so the client's "registration rejected (HTTP 404): …" error
carries the fix. The SDK's own auth (`AuthSettings` + a token verifier) always publishes protected
resource metadata pointing at an authorization server, which is why it is not used.
"""

from __future__ import annotations

import hmac
import json

from starlette.types import ASGIApp, Receive, Scope, Send

from kinsta_mcp.secret import Secret

REALM = "kinsta-mcp"
INVALID_REQUEST = -32600  # JSON-RPC; what the SDK answers for other refusals at the HTTP level
HOW = (
    "send the header `Authorization: Bearer <token>`, with the token set in KINSTA_MCP_HTTP_TOKEN where the "
    "server runs (this server has no OAuth login)"
)


class BearerGate:
    """In front of the MCP app: `path` needs the token (when one is set); every other path is a 404 that
    says where MCP is served and how to authenticate. Lifespan events pass through untouched."""

    def __init__(self, app: ASGIApp, *, token: Secret, path: str, url: str) -> None:
        self._app = app
        self._token = token.reveal().encode() if token else b""
        self._path = path
        self._url = url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        if scope["path"] != self._path:
            await self._not_here(send)
            return
        if self._token:
            sent = _bearer(scope)
            if sent is None or not hmac.compare_digest(sent, self._token):  # no timing side channel
                await self._refuse(send, wrong=sent is not None)
                return
        await self._app(scope, receive, send)

    async def _refuse(self, send: Send, *, wrong: bool) -> None:
        """RFC 6750 §3: a challenge with a realm; `invalid_token` only when a token was sent. The body is a
        JSON-RPC error, which MCP clients show as the failed request's error (instead of a bare status)."""
        challenge = f'Bearer realm="{REALM}"'
        if wrong:
            challenge += ', error="invalid_token", error_description="not this server\'s bearer token"'
        problem = "the bearer token sent is not this server's" if wrong else "no bearer token was sent"
        body = {
            "jsonrpc": "2.0",
            "id": None,
            "error": {"code": INVALID_REQUEST, "message": f"Unauthorized: {problem}; {HOW}."},
        }
        await _answer(send, 401, body, [(b"www-authenticate", challenge.encode())])

    async def _not_here(self, send: Send) -> None:
        how = f"; {HOW}" if self._token else ""
        description = f"kinsta-mcp serves MCP only at {self._url}{how}."
        await _answer(send, 404, {"error": "not_found", "error_description": description}, [])


def _bearer(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = bytes(value).partition(b" ")
            return token.strip() if scheme.lower() == b"bearer" else None
    return None


async def _answer(send: Send, status: int, body: object, headers: list[tuple[bytes, bytes]]) -> None:
    data = json.dumps(body).encode()
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()), *headers]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": data})
