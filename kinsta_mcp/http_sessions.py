"""A bound on Streamable HTTP sessions: at the cap, a new session drops the one idle the longest.

The SDK's session manager already ends a session after `session_idle_timeout` without a request, and
answers 503 to a new one while `max_sessions` are open. A client that goes away without a DELETE
leaves its session behind until then, and each one is not small: ~40 KB, plus the last answer it was
sent (the SDK's message router keeps it referenced; after `tools/list` that is ~350 KB), so a busy
server's memory is set by the cap. Refusing newcomers at the cap would let abandoned sessions lock
out live clients, so here the session idle the longest makes room instead; only when every session
has a request in flight (a tool call, an open event stream) is the newcomer refused.

This reaches into the manager's private admission step (`_admit_session`, `_server_instances`,
`_session_owners`; mcp 2.3); tests/test_http.py fails if that changes.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from mcp.server.streamable_http import StreamableHTTPServerTransport
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager

log = logging.getLogger("kinsta_mcp.http")


def bound_sessions(manager: StreamableHTTPSessionManager, cap: int) -> None:
    """Make `manager` (built with max_sessions=cap) drop its longest-idle session rather than refuse a new
    one. Admission runs under the manager's lock and does not await, so the cap holds under concurrency."""
    admit = manager._admit_session

    def admit_within_cap(requestor: Any) -> StreamableHTTPServerTransport | None:
        if len(manager._server_instances) >= cap:
            drop_longest_idle(manager)
        return admit(requestor)

    setattr(manager, "_admit_session", admit_within_cap)  # noqa: B010 (mypy refuses assigning to a method)


def drop_longest_idle(manager: StreamableHTTPSessionManager) -> str | None:
    """End the session with no request in flight whose last request ended first; its id (None: all busy).

    A transport's idle deadline is its last request's end plus the idle timeout (infinite while one is in
    flight), so the earliest deadline is the longest idle. The session is forgotten at once (its id then
    answers 404, as an expired one does); cancelling its idle scope ends its server task, which terminates
    the transport."""
    idle = [
        (scope.deadline, session_id)
        for session_id, transport in manager._server_instances.items()
        if (scope := transport.idle_scope) is not None and not scope.cancel_called and scope.deadline != math.inf
    ]
    if not idle:
        return None
    _, session_id = min(idle)
    transport = manager._server_instances.pop(session_id)
    manager._session_owners.pop(session_id, None)
    assert transport.idle_scope is not None
    transport.idle_scope.cancel()
    log.info("Dropped idle session %s: %d sessions are open", session_id[:8], len(manager._server_instances) + 1)
    return session_id
