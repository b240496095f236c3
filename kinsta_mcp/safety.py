"""Risk levels and confirmation: the one place that decides whether a change may go ahead.

A destructive tool calls `Confirmer.confirm(preview)` after it has resolved its targets and before
its first mutating request. How the user is asked depends on the client:

- 2026-07-28 clients with elicitation: the call returns an `InputRequiredResult`; the client asks
  the user and retries the same call with the answer (the tool body runs again from the top).
- 2025-11-25 clients with elicitation and a back-channel: `elicitation/create` mid-call.
- Anything else (no elicitation, stateless HTTP, the `kinsta-mcp call` CLI): the call stops with
  the preview and asks for the same call again with `confirm=true`.

A client that can show a dialog is always asked, even when the model passed `confirm=true`:
the point is that a person, not the model, agrees to a deletion.
"""

from __future__ import annotations

import hashlib
from enum import Enum
from typing import Any

from mcp.server.elicitation import AcceptedElicitation
from mcp.server.mcpserver import Context
from mcp.types import ElicitRequest, ElicitRequestFormParams, ElicitResult, InputRequiredResult
from mcp_types.version import is_version_at_least
from pydantic import BaseModel, Field

MODERN = "2026-07-28"
ANSWER_KEY = "kinsta_confirm"


class Risk(str, Enum):
    READ = "read"
    WRITE = "write"
    DESTRUCTIVE = "destructive"


class ConfirmForm(BaseModel):
    confirm: bool = Field(description="Tick to go ahead")


class NeedsInput(Exception):
    """Control flow: hand this InputRequiredResult back to a 2026 client."""

    def __init__(self, result: InputRequiredResult) -> None:
        self.result = result


class NotConfirmed(Exception):
    """Control flow: nothing was changed; `text` says what would happen and how to confirm."""

    def __init__(self, text: str) -> None:
        self.text = text


def _fingerprint(preview: str) -> str:
    return hashlib.sha256(preview.encode()).hexdigest()[:16]


class Confirmer:
    def __init__(self, ctx: Context, *, confirm_arg: bool, tool_name: str) -> None:
        self._ctx = ctx
        self._confirm_arg = confirm_arg
        self._tool = tool_name

    def _can_elicit(self) -> bool:
        caps = self._ctx.client_capabilities
        return caps is not None and caps.elicitation is not None

    def _is_modern(self) -> bool:
        version = self._ctx.protocol_version
        return bool(version) and is_version_at_least(version, MODERN)

    async def confirm(self, preview: str) -> None:
        """Return when the user agreed to `preview`; raise NeedsInput or NotConfirmed otherwise."""
        if self._can_elicit() and self._is_modern():
            return self._modern(preview)
        if self._can_elicit() and self._ctx.session.can_send_request:
            return await self._legacy(preview)
        if self._confirm_arg:
            return
        raise NotConfirmed(
            f"Confirmation needed, nothing was changed.\n{preview}\n"
            f"Show this to the user. If they agree, call {self._tool} again with the same arguments "
            "and confirm=true."
        )

    def _modern(self, preview: str) -> None:
        answer: Any = (self._ctx.input_responses or {}).get(ANSWER_KEY)
        # The answer must be for this exact preview: arguments that changed between rounds ask again.
        if answer is not None and self._ctx.request_state == _fingerprint(preview):
            if isinstance(answer, ElicitResult) and answer.action == "accept" and (answer.content or {}).get("confirm"):
                return
            raise NotConfirmed(f"The user did not confirm; nothing was changed.\n{preview}")
        ask = ElicitRequest(
            params=ElicitRequestFormParams(
                message=preview,
                requested_schema=ConfirmForm.model_json_schema(),
            )
        )
        raise NeedsInput(InputRequiredResult(input_requests={ANSWER_KEY: ask}, request_state=_fingerprint(preview)))

    async def _legacy(self, preview: str) -> None:
        answer = await self._ctx.elicit(preview, ConfirmForm)
        if isinstance(answer, AcceptedElicitation) and answer.data.confirm:
            return
        raise NotConfirmed(f"The user did not confirm; nothing was changed.\n{preview}")
