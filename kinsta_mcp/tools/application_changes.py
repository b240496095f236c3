"""Changing an application: settings, scaling, CDN and edge cache, clearing its cache and restarting
(`manage_application`, a write tool), and rolling back or deleting it (destructive).

Restarting replaces every instance and scaling a process to 0 stops it serving: both are confirmed
(they take no data, so they stay in the write tool). A rollback replaces what runs now with the
previous build; a deletion takes the app, its processes and deployments: the previews name them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from kinsta_mcp.api import applications as ep
from kinsta_mcp.api.endpoint import Base, Endpoint, JobKind
from kinsta_mcp.api.facade import SEVALLA_ONLY, Api
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, Job, done, start
from kinsta_mcp.models.applications import AppDetail, ProcessRef
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.app_common import AppRef, app_detail, app_ref
from kinsta_mcp.tools.values import Text, Values, parsed


class AppSettings(Values):
    """PUT /applications/{id}."""

    what = "an application setting"
    display_name: Text | None = None
    default_branch: Text | None = Field(None, description="a branch name")
    auto_deploy: bool | None = None
    hibernation_enabled: bool | None = None
    hibernate_after_seconds: int | None = Field(None, ge=0, description="whole seconds")
    build_type: Literal["dockerfile", "pack", "nixpacks"] | None = None
    build_path: Text | None = Field(None, description="a path")
    docker_file_path: Text | None = Field(None, description="a path")
    docker_context: Text | None = Field(None, description="a path")


def _count() -> Any:
    return Field(None, ge=0, le=50, description="a whole number from 0 to 50")


def _percent() -> Any:
    return Field(None, ge=1, le=100, description="a whole number from 1 to 100")


class Scale(Values):
    """A process: fixed instances, or autoscaling bounds and targets, and/or its entrypoint."""

    what = "a scale setting"
    process: str = ""
    instances: int | None = _count()
    min_instances: int | None = _count()
    max_instances: int | None = _count()
    target_cpu_percent: int | None = _percent()
    target_memory_percent: int | None = _percent()
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


TOGGLES: dict[str, tuple[Endpoint, str, bool]] = {
    "cdn_on": (ep.TOGGLE_CDN, "CDN", True),
    "cdn_off": (ep.TOGGLE_CDN, "CDN", False),
    "edge_cache_on": (ep.TOGGLE_EDGE_CACHE, "Edge cache", True),
    "edge_cache_off": (ep.TOGGLE_EDGE_CACHE, "Edge cache", False),
}


def _settings_body(values: dict[str, Any]) -> dict[str, Any]:
    if not values:
        keys = ", ".join(AppSettings.model_fields)
        raise InvalidInput(f'update needs values, e.g. {{"display_name": "Shop API"}}; keys: {keys}.')
    return parsed(AppSettings, values, "update").body()


SCALE_KEYS = {
    "instances": "instanceCount",
    "min_instances": "minInstanceCount",
    "max_instances": "maxInstanceCount",
    "target_cpu_percent": "targetCpuPercent",
    "target_memory_percent": "targetMemoryPercent",
}


def _scale_body(values: dict[str, Any]) -> dict[str, Any]:
    scale = parsed(Scale, values, "scale").body()
    body: dict[str, Any] = {"entrypoint": scale["entrypoint"]} if "entrypoint" in scale else {}
    if "instances" in scale:
        body["scaling_strategy"] = {"type": "manual", "config": {"instanceCount": scale["instances"]}}
    elif config := {SCALE_KEYS[k]: v for k, v in scale.items() if k in SCALE_KEYS}:
        body["scaling_strategy"] = {"type": "horizontal", "config": config}
    return body


def _pick_process(app: AppDetail, ref: str) -> ProcessRef:
    wanted = ref.strip().lower()
    if not wanted and len(app.processes) == 1:
        return app.processes[0]
    found = next((p for p in app.processes if wanted in (p.key.lower(), p.id.lower())), None)
    if found is None:
        raise InvalidInput(
            f"{'Say which process' if not wanted else f'No process {ref!r}'} of {app.label}; "
            f"its processes: {app.process_keys}."
        )
    return found


async def _scale(plan: Planner, app: AppDetail, ref: str, body: dict[str, Any]) -> Change:
    chosen = _pick_process(app, ref)
    before = await plan.api.get(ep.PROCESS, id=chosen.id)
    what = f"Scale process {chosen.key} of {app.label}"
    to_zero = body.get("scaling_strategy", {}).get("config", {}).get("instanceCount") == 0

    async def run(api: Api) -> ChangeOutcome:
        after = (await api.call(ep.UPDATE_PROCESS, body=body, id=chosen.id)).value
        change = f"{before.scaling} → {after.scaling}"
        if "entrypoint" in body:
            change += f"; entrypoint {before.entrypoint!r} → {after.entrypoint!r}"
        return done(what, change)

    if to_zero:
        return plan.change(
            what,
            run,
            risk=Risk.SENSITIVE,
            preview=(f"{what} from {before.scaling} to 0 instances: it stops serving until scaled up again."),
        )
    return plan.change(what, run)


def _toggle(app_id: str, endpoint: Endpoint, action: str, what: str, on: bool) -> Any:
    """The API only flips the setting and cannot read it: flip, and flip back if it already was so."""

    async def run(api: Api) -> ChangeOutcome:
        now = (await api.call(endpoint, id=app_id)).value.turned_on
        note = ""
        if now != on:
            now = (await api.call(endpoint, id=app_id)).value.turned_on
            twice = "off and on" if on else "on and off"
            note = f" (it already was; the API can only flip it, so it was switched {twice})"
        return done(action, f"{what} is now {'on' if now else 'off'}{note}")

    return run


@tool("applications", Risk.WRITE, "Change app", actions={"restart": Risk.SENSITIVE})
async def manage_application(
    plan: Planner,
    application: AppRef,
    action: Literal[
        "update", "scale", "cdn_on", "cdn_off", "edge_cache_on", "edge_cache_off", "clear_cache", "restart"
    ],
    values: Annotated[
        dict[str, Any],
        Field(
            description=(
                "update: display_name, default_branch, auto_deploy, hibernation_enabled, hibernate_after_seconds, "
                "build_type…; scale: process, instances or min/max_instances"
            )
        ),
    ] = {},  # noqa: B006
) -> Change:
    """Change an app: settings, scaling, CDN/edge cache on/off, clear its cache, restart."""
    body = _settings_body(values) if action == "update" else _scale_body(values) if action == "scale" else {}
    if action == "scale":
        return await _scale(plan, await app_detail(plan, application), str(values.get("process", "")), body)
    if action == "restart":
        app = await app_detail(plan, application)
        what = f"Restart {app.label}"
        return plan.change(
            what,
            lambda api: start(api, ep.DEPLOY, action=what, body={"app_id": app.id, "is_restart": True}),
            max_wait=plan.settings.max_wait,
            preview=(
                f"Restart application {app.label}: every instance of its processes ({app.process_keys}) is "
                "replaced without a new build; requests may fail briefly."
            ),
        )
    found = await app_ref(plan, application)
    if action in TOGGLES:
        endpoint, what, on = TOGGLES[action]
        action_text = f"{what} {'on' if on else 'off'} for {found.label}"
        return plan.change(action_text, _toggle(found.id, endpoint, action_text, what, on))
    if action == "clear_cache":
        what = f"Clear CDN and edge cache of {found.label}"

        async def clear(api: Api) -> ChangeOutcome:
            cleared = (await api.call(ep.CLEAR_CACHE, id=found.id)).value.success
            return done(what, "cleared" if cleared else f"{api.service} did not confirm the clear")

        return plan.change(what, clear)
    what = f"Update {found.label}"

    async def update(api: Api) -> ChangeOutcome:
        now = (await api.call(ep.UPDATE_APPLICATION, body=body, id=found.id)).value
        shown = now.model_dump(include=now.model_fields_set)
        return done(what, ", ".join(f"{k}={shown.get(k, v)!r}" for k, v in body.items()))

    return plan.change(what, update)


@tool("applications", Risk.DESTRUCTIVE, "Roll back or delete app")
async def rollback_or_delete_application(
    plan: Planner, application: AppRef, action: Literal["rollback", "delete"]
) -> Change:
    """Roll an app back to its previous build (Sevalla), or delete it."""
    if action == "rollback" and not plan.api.has(Base.V3):
        raise InvalidInput(f"Rollback exists only in the Sevalla v3 API: it {SEVALLA_ONLY}")
    app = await app_detail(plan, application)
    recent = app.recent(len(app.deployments))
    if action == "delete":
        links = ", ".join(c.line for c in app.internal_connections)
        what = f"Delete {app.label}"
        return plan.change(
            what,
            lambda api: start(api, ep.DELETE_APPLICATION, action=what, id=app.id),
            preview=(
                f"Delete application {app.label} (id {app.id}) with its processes ({app.process_keys}), its "
                f"{len(recent)} deployments and {len(app.internal_connections)} internal connections"
                + (f" (to {links})" if links else "")
                + ". This cannot be undone."
            ),
        )
    what = f"Roll back {app.label}"

    async def run(api: Api) -> Job:
        new = (await api.call(ep.ROLLBACK, id=app.id)).value
        return Job(JobKind.APP_DEPLOYMENT, new.id, what)

    latest = f"the latest deployment ({recent[0].line})" if recent else "what runs now"
    earlier = "; ".join(d.line for d in recent[1:4]) or "none"
    return plan.change(
        what,
        run,
        max_wait=plan.settings.max_wait,
        preview=(
            f"Roll back application {app.label}: {latest} is replaced by the build of the previous successful "
            f"deployment (no new build). Earlier deployments: {earlier}."
        ),
    )
