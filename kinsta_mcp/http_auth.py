"""Bearer-token protection for the Streamable HTTP transport.

Whoever can call this server can act with the Kinsta key behind it, so over HTTP every request must
carry the shared token (`KINSTA_MCP_HTTP_TOKEN`), and the CLI refuses to listen beyond loopback
without one. stdio needs none: the client that spawned us is the only one talking.
"""

from __future__ import annotations

import hmac

from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings

from kinsta_mcp.secret import Secret

SCOPE = "kinsta"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class SharedTokenVerifier:
    def __init__(self, token: Secret) -> None:
        self._token = token

    async def verify_token(self, token: str) -> AccessToken | None:
        if not hmac.compare_digest(token.encode(), self._token.reveal().encode()):  # no timing side channel
            return None
        return AccessToken(token="***", client_id="kinsta-mcp-http", scopes=[SCOPE])


def auth_settings(public_url: str) -> AuthSettings:
    return AuthSettings(
        issuer_url=public_url,
        resource_server_url=public_url,
        validate_token_resource=False,
        required_scopes=[SCOPE],
    )
