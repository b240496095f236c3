"""Bot protection level of an environment (Kinsta API changelog, November 2026: docs/api-notes.md#bot-protection).

The same post announces AI-crawler blocking, the WordPress-automations setting, exception rules and
bot-traffic analytics, but their paths are not published (docs/api-notes.md#known-unpublished), so
they are not offered here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, PrivateAttr

from kinsta_mcp.call import Call
from kinsta_mcp.client import segment
from kinsta_mcp.models.base import Output
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef
from kinsta_mcp.tools.domains import GuidedOutcome, guided

Level = Literal["block-malicious-traffic", "block-automations", "challenge-bots", "challenge-everyone"]

# From the changelog's own descriptions, mildest first.
EFFECTS: dict[str, str] = {
    "block-malicious-traffic": "blocks known malicious traffic only (Kinsta's baseline)",
    "block-automations": "blocks automated and malicious traffic; uptime monitors and integrations may be blocked",
    "challenge-bots": "also challenges likely bots and unclassified traffic; some real visitors may be challenged",
    "challenge-everyone": "challenges all unverified traffic, real visitors included",
}
CHALLENGING = ("challenge-bots", "challenge-everyone")


def _path(env_id: str) -> str:
    return f"/sites/environments/{segment(env_id)}/bot-protection/level"


class BotProtection(Output):
    environment_id: str
    level: str = ""
    _label: str = PrivateAttr("")

    def summary(self) -> str:
        effect = EFFECTS.get(self.level, "a level this server does not know")
        return f"Bot protection of {self._label}: {self.level or 'not reported'} ({effect})."


@tool("bot_protection", Risk.READ, "Bot protection level")
async def get_bot_protection(call: Call, site: SiteRef = "", environment: EnvironmentRef = "") -> BotProtection:
    """Show an environment's bot protection level."""
    target = await call.target(site, environment)
    response = await call.api.get(_path(target.env.id))
    found = (response.data or {}).get("bot_protection") or {}
    out = BotProtection(environment_id=target.env.id, level=found.get("level") or "")
    out._label = target.label
    return out


@tool("bot_protection", Risk.WRITE, "Set bot protection", idempotent=True)
async def set_bot_protection(
    call: Call,
    level: Annotated[Level, Field(description="Mildest first")],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
) -> GuidedOutcome:
    """Set an environment's bot protection level; stricter ones may turn real visitors away."""
    # The protect-live preview is built from the title: make it say what this level does.
    call.title = f"Set bot protection to {level} ({EFFECTS[level]})"
    target = await call.target(site, environment)
    response = await call.api.put(_path(target.env.id), json={"level": level})
    what = f"Set bot protection of {target.label} to {level}: {EFFECTS[level]}"
    outcome = await call.operation(response, action=what, max_wait=call.settings.max_wait)
    hint = ""
    if level in CHALLENGING and target.env.is_live:
        hint = (f"Visitors of {target.env.primary_domain or target.label} may now see a challenge page; if real users, "
                "uptime monitors or integrations are turned away, set a milder level.")
    return guided(outcome, hint)
