"""Setting the bot protection level of an environment; environment_info show=bot_protection reads it (Kinsta API
changelog, November 2026: docs/api-notes.md#bot-protection).

The same post announces AI-crawler blocking, the WordPress-automations setting, exception rules and
bot-traffic analytics, but their paths are not published (docs/api-notes.md#known-unpublished), so
they are not offered here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from kinsta_mcp.api import bot_protection as ep
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, start
from kinsta_mcp.models.domains import LEVEL_EFFECTS
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef

Level = Literal["block-malicious-traffic", "block-automations", "challenge-bots", "challenge-everyone"]

CHALLENGING = ("challenge-bots", "challenge-everyone")


class BotProtectionChange(ChangeOutcome):
    level: str = ""
    effect: str = ""
    warning: str = Field("", description="Who may be turned away now")

    def next_step(self) -> str:
        return "\n".join(s for s in (super().next_step(), self.warning if self.state == "done" else "") if s)


@tool("bot_protection", Risk.WRITE, "Set bot protection", idempotent=True, outcome=BotProtectionChange)
async def set_bot_protection(
    plan: Planner,
    level: Annotated[Level, Field(description="Mildest first")],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
) -> Change:
    """Set an environment's bot protection level; stricter ones may turn real visitors away."""
    target = await plan.target(site, environment)
    action = f"Set bot protection of {target.label} to {level}: {LEVEL_EFFECTS[level]}"
    warning = ""
    if level in CHALLENGING and target.env.is_live:
        warning = (
            f"Visitors of {target.env.primary_domain or target.label} may now see a challenge page; if real "
            "users, uptime monitors or integrations are turned away, set a milder level."
        )
    return plan.change(
        action,
        lambda api: start(api, ep.SET_LEVEL, action=action, body={"level": level}, env_id=target.env.id),
        preview=f"Set bot protection to {level} ({LEVEL_EFFECTS[level]})",
        targets=[target],
        max_wait=plan.settings.max_wait,
        level=level,
        effect=LEVEL_EFFECTS[level],
        warning=warning,
    )
