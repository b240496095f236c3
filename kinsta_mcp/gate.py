"""The one place that says yes to a change: read-only mode, the site allowlist, protect-live and
confirmation, decided for every tool the same way.

A change tool plans first (it resolves its targets and reads through an API that can only GET)
and returns a `Change`: what it does in words, its risk, a preview, its targets and how to run it.
`Gate.admit` then decides; only after it returned does the registry run the change. Because
planning cannot write, the body re-running after the user answered (2026-07-28 clients) sends
nothing twice.

How the user is asked:
- clients that declare form elicitation: a dialog, on 2026-07-28 as an input-required result, on
  2025-11-25 as `elicitation/create` mid-call. They are asked even when the model passed a code:
  a person, not the model, agrees to a deletion. `kinsta-mcp call` is one: it answers yes only when
  --confirm names the call (tool, and action where the tool has several), else it prints the preview, exit 3;
- anything else (no elicitation, stateless HTTP): the call stops with
  the preview and a short code bound to exactly that preview (tool, targets, arguments). The
  confirming call must repeat the code (`confirm="K7F3Q2"`), so a model cannot skip showing the
  preview; a changed argument gives a new preview and a new code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from mcp.server.elicitation import AcceptedElicitation
from mcp.server.mcpserver import Context
from mcp.types import ElicitRequest, ElicitRequestFormParams, ElicitResult, InputRequiredResult
from mcp_types.version import is_version_at_least
from pydantic import BaseModel, Field

from kinsta_mcp.errors import InvalidInput, OutOfScope
from kinsta_mcp.text import fence

if TYPE_CHECKING:
    from kinsta_mcp.api.facade import Api
    from kinsta_mcp.jobs import Started
    from kinsta_mcp.refs import Directory, Target

MODERN = "2026-07-28"
ANSWER_KEY = "kinsta_confirm"
CODE_LENGTH = 6


class Risk(int, Enum):
    READ = 0  # changes nothing (a dry run may still be a POST)
    WRITE = 1  # creates, toggles, adds; reversible
    SENSITIVE = 2  # a write that weakens security or grants access: confirmed inside write tools
    DESTRUCTIVE = 3  # deletes or overwrites

    @property
    def word(self) -> str:
        return self.name.lower()


@dataclass
class Change:
    action: str  # what happens, in words ("Clear cache on Acme Shop › live")
    run: Callable[[Api], Awaitable[Started]]
    preview: str = ""  # what the user approves; needed for destructive and sensitive changes
    targets: tuple[Target, ...] = ()
    risk: Risk | None = None  # None: the risk the tool declared for the action
    max_wait: float | None = None  # None: the server's default
    extra: dict[str, Any] = field(default_factory=dict)  # facts for the outcome's structured content


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


def can_show_form(ctx: Context) -> bool:
    """A client that declared form elicitation (an empty `elicitation: {}` means form, per the spec)."""
    caps = ctx.client_capabilities
    elicitation = caps.elicitation if caps is not None else None
    if elicitation is None:
        return False
    return elicitation.form is not None or elicitation.url is None


class Gate:
    def __init__(self, *, read_only: bool, protect_live: bool, directory: Directory, secret: bytes) -> None:
        self.read_only = read_only
        self.protect_live = protect_live
        self.directory = directory
        self._secret = secret

    async def admit(
        self, ctx: Context, *, tool: str, declared: Risk, change: Change, confirm: str, arguments: dict[str, Any]
    ) -> None:
        """Return when `change` may run; raise NotConfirmed / NeedsInput / InvalidInput otherwise."""
        risk = change.risk if change.risk is not None else declared
        if risk > declared and not (declared is Risk.WRITE and risk is Risk.SENSITIVE):
            raise RuntimeError(f"{tool}: a {risk.word} change from a tool declared {declared.word}")
        if self.read_only and risk is not Risk.READ:
            raise InvalidInput(f"Read-only mode: {change.action} would change something, so it is not done.")
        for target in change.targets:
            if not self.directory.in_scope(target.site):
                raise OutOfScope(
                    "That site is outside the sites this server may touch (KINSTA_ALLOWED_SITES). Nothing was done."
                )
        preview = self.preview(change, risk)
        if preview:
            await self.ask(ctx, tool=tool, preview=preview, confirm=confirm, arguments=arguments)

    def preview(self, change: Change, risk: Risk) -> str:
        """The text to approve, or '' when the change needs no one's approval."""
        if risk >= Risk.SENSITIVE:
            return change.preview or f"{change.action}."
        live = [t for t in change.targets if t.env is not None and t.env.is_live]
        if risk is Risk.WRITE and self.protect_live and live:
            where = ", ".join(f"{t.site.label} ({t.env.primary_domain or t.env.id})" for t in live)
            return (
                f"{change.preview or change.action} — on the LIVE environment of {where}. "
                "Live-site protection is on, so this needs your OK."
            )
        return ""

    async def reveal(self, ctx: Context, *, tool: str, what: str, confirm: str, arguments: dict[str, Any]) -> None:
        """Before a secret is shown in clear."""
        await self.ask(
            ctx,
            tool=tool,
            confirm=confirm,
            arguments=arguments,
            preview=(
                f"Show {what} in clear? It becomes part of this conversation (and of the model's context and logs)."
            ),
        )

    def code(self, tool: str, arguments: dict[str, Any], preview: str) -> str:
        payload = json.dumps([tool, arguments, preview], sort_keys=True, default=str).encode()
        digest = hmac.new(self._secret, payload, hashlib.sha256).digest()
        return base64.b32encode(digest).decode()[:CODE_LENGTH]

    async def ask(self, ctx: Context, *, tool: str, preview: str, confirm: str, arguments: dict[str, Any]) -> None:
        if can_show_form(ctx):
            version = ctx.protocol_version
            if version and is_version_at_least(version, MODERN):
                return self._modern(ctx, preview)
            if ctx.session.can_send_request:
                return await self._legacy(ctx, preview)
        expected = self.code(tool, arguments, preview)
        if confirm and hmac.compare_digest(confirm.strip().upper(), expected):
            return
        stale = (
            f"The code {confirm!r} is not the one for this preview (the arguments or the targets changed), "
            "so nothing was changed. "
            if confirm
            else ""
        )
        raise NotConfirmed(
            f"{stale}Confirmation needed, nothing was changed.\n{fence(preview)}\n"
            f"Show this preview to the user. If they agree, call {tool} again with the same arguments and "
            f'confirm="{expected}".'
        )

    def _modern(self, ctx: Context, preview: str) -> None:
        answer: Any = (ctx.input_responses or {}).get(ANSWER_KEY)
        # The answer must be for this exact preview: arguments that changed between rounds ask again.
        if answer is not None and ctx.request_state == _fingerprint(preview):
            if isinstance(answer, ElicitResult) and answer.action == "accept" and (answer.content or {}).get("confirm"):
                return
            raise NotConfirmed(f"The user did not confirm; nothing was changed.\n{fence(preview)}")
        ask = ElicitRequest(
            params=ElicitRequestFormParams(message=preview, requested_schema=ConfirmForm.model_json_schema())
        )
        raise NeedsInput(InputRequiredResult(input_requests={ANSWER_KEY: ask}, request_state=_fingerprint(preview)))

    async def _legacy(self, ctx: Context, preview: str) -> None:
        answer = await ctx.elicit(preview, ConfirmForm)
        if isinstance(answer, AcceptedElicitation) and answer.data.confirm:
            return
        raise NotConfirmed(f"The user did not confirm; nothing was changed.\n{fence(preview)}")


def _fingerprint(preview: str) -> str:
    return hashlib.sha256(preview.encode()).hexdigest()[:16]
