"""Following long-running work started by other tools (or by an earlier call): one tool for every
kind of job, by the key a result handed out."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kinsta_mcp.api.facade import Api
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import Job
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.args import MaxWait

JobKeys = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=300)]],
    Field(min_length=1, max_length=20, description="Job keys from an earlier result (op:…, app-deploy:…)"),
]


@tool("operations", Risk.READ, "Wait for a job")
async def wait_for_job(plan: Planner, jobs: JobKeys, max_wait_seconds: MaxWait = 50) -> Change:
    """Check on, or keep waiting for, operations, deployments or new databases. Cancelling stops only the wait."""
    followed = [Job.from_key(key) for key in dict.fromkeys(k.strip() for k in jobs)]

    async def nothing_to_send(api: Api) -> list[Job]:
        return followed

    action = followed[0].action if len(followed) == 1 else f"{len(followed)} jobs"
    return plan.change(action, nothing_to_send, risk=Risk.READ, max_wait=max_wait_seconds)
