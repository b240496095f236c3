"""What the application tool modules share (no tools here): the argument type, resolving an application
through the shared catalog, reading its detail, the Sevalla v3 check, and scaling values as the API takes them."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from kinsta_mcp.api import applications as ep
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, done
from kinsta_mcp.models.applications import App, AppDetail
from kinsta_mcp.paas_refs import APPLICATION
from kinsta_mcp.planner import Planner
from kinsta_mcp.tools.values import Text, Values, parsed

AppRef = str  # ID, name or display name (the server instructions say so once)


async def app_ref(plan: Planner, ref: str) -> App:
    """The listed application a reference names (one cached listing for every reference of a call)."""
    return App.model_validate(await plan.resource(APPLICATION, ref))


async def app_detail(plan: Planner, ref: str) -> AppDetail:
    """The application's detail: processes, deployments, connections."""
    found = await app_ref(plan, ref)
    return await plan.api.get(ep.APPLICATION, id=found.id)


def nothing_to_do(plan: Planner, what: str, why: str) -> Change:
    """A change that is already so: nothing is sent, so nothing is asked."""

    async def run(_: object) -> ChangeOutcome:
        return done(what, f"{why}; nothing was sent")

    return plan.change(what, run, risk=Risk.READ)


def count() -> Any:
    return Field(None, ge=0, le=50, description="a whole number from 0 to 50")


def percent() -> Any:
    return Field(None, ge=1, le=100, description="a whole number from 1 to 100")


class Scale(Values):
    """A process: fixed instances, or autoscaling bounds and targets, and/or its entrypoint."""

    what = "a scale setting"
    process: str = ""
    instances: int | None = count()
    min_instances: int | None = count()
    max_instances: int | None = count()
    target_cpu_percent: int | None = percent()
    target_memory_percent: int | None = percent()
    entrypoint: Text | None = None

    @model_validator(mode="after")
    def _one_strategy(self) -> Scale:
        given = self.model_fields_set - {"process"}
        auto = given & {"min_instances", "max_instances", "target_cpu_percent", "target_memory_percent"}
        if not given:
            raise ValueError(
                "scale takes values process (its key, e.g. web) and instances (0-50), or min_instances "
                "and max_instances (+ target_cpu_percent, target_memory_percent) for autoscaling, "
                "and/or entrypoint"
            )
        if "instances" in given and auto:
            raise ValueError("give instances (fixed) or min_instances/max_instances (autoscaling), not both")
        if auto and not 1 <= (self.min_instances or 0) <= (self.max_instances or 0):
            raise ValueError("autoscaling needs 1 <= min_instances <= max_instances <= 50")
        return self


SCALE_KEYS = {
    "instances": "instanceCount",
    "min_instances": "minInstanceCount",
    "max_instances": "maxInstanceCount",
    "target_cpu_percent": "targetCpuPercent",
    "target_memory_percent": "targetMemoryPercent",
}


def scale_body(values: dict[str, Any], action: str = "scale") -> dict[str, Any]:
    """`entrypoint` and/or `scaling_strategy` (manual or horizontal) of a process, as v2 PUT and v3 take them."""
    scale = parsed(Scale, values, action).body()
    body: dict[str, Any] = {"entrypoint": scale["entrypoint"]} if "entrypoint" in scale else {}
    if "instances" in scale:
        body["scaling_strategy"] = {"type": "manual", "config": {"instanceCount": scale["instances"]}}
    elif config := {SCALE_KEYS[k]: v for k, v in scale.items() if k in SCALE_KEYS}:
        body["scaling_strategy"] = {"type": "horizontal", "config": config}
    return body


def stops_serving(body: dict[str, Any]) -> bool:
    """Scaled to 0 instances: the process serves nothing until scaled up again."""
    return body.get("scaling_strategy", {}).get("config", {}).get("instanceCount") == 0
