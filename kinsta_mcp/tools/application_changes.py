"""Changing an application: settings, scaling, CDN and edge cache, clearing its cache, restarting, and the
Sevalla v3 actions (activate, clone, processes, cron runs, deploy hook on, IP restriction) in
`manage_application`, a write tool; rolling back, suspending or deleting it, deleting a process, turning its
deploy hook off or regenerating it in `rollback_or_delete_application` (destructive).

Restarting replaces every instance and scaling a process to 0 stops it serving: both are confirmed
(they take no data, so they stay in the write tool), as are turning the deploy hook on and setting the IP
restriction (they grant or take away access). A rollback replaces what runs now with the previous build;
suspending stops serving; a deletion takes the app, its processes and deployments; the hook's old URL stops
working: the previews name what goes. The v3 plans are in `app_lifecycle` and `app_processes`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import applications as ep
from kinsta_mcp.api.endpoint import Endpoint, JobKind
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, Job, done, start
from kinsta_mcp.models.applications import AppDetail, ProcessRef
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.tools import app_lifecycle as life
from kinsta_mcp.tools import app_processes as procs
from kinsta_mcp.tools.app_common import AppRef, app_detail, app_ref, scale_body, stops_serving
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

    async def run(api: Api) -> ChangeOutcome:
        after = (await api.call(ep.UPDATE_PROCESS, body=body, id=chosen.id)).value
        change = f"{before.scaling} → {after.scaling}"
        if "entrypoint" in body:
            change += f"; entrypoint {before.entrypoint!r} → {after.entrypoint!r}"
        return done(what, change)

    if stops_serving(body):
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


V3_CHANGES = {
    "activate": lambda plan, app, values: life.activate(plan, app),
    "clone": life.clone,
    "process_add": procs.process_add,
    "process_update": procs.process_update,
    "cron_run": procs.cron_run,
    "hook_on": lambda plan, app, values: life.hook_on(plan, app),
    "ip_allow": life.ip_allow,
}


@tool(
    "applications",
    Risk.WRITE,
    "Change app",
    actions={"restart": Risk.SENSITIVE, "hook_on": Risk.SENSITIVE, "ip_allow": Risk.SENSITIVE},
)
async def manage_application(
    plan: Planner,
    application: AppRef,
    action: Literal[
        "update",
        "scale",
        "cdn_on",
        "cdn_off",
        "edge_cache_on",
        "edge_cache_off",
        "clear_cache",
        "restart",
        "activate",
        "clone",
        "process_add",
        "process_update",
        "cron_run",
        "hook_on",
        "ip_allow",
    ],
    values: Annotated[
        dict[str, Any],
        Field(
            description=(
                "update: display_name, default_branch, auto_deploy, build_type…; scale, process_*, cron_run: "
                "process, instances…; process_add: display_name, type, entrypoint, schedule; clone: display_name; "
                "ip_allow: allow|deny [IPs]"
            )
        ),
    ] = {},  # noqa: B006
) -> Change:
    """Change an app: settings, scaling, caches, processes, deploy hook, IP restriction; restart, activate, clone."""
    if action in V3_CHANGES:
        plan.api.need_v3(f"action={action}")
        return await V3_CHANGES[action](plan, application, values)
    body = _settings_body(values) if action == "update" else scale_body(values) if action == "scale" else {}
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


@tool("applications", Risk.DESTRUCTIVE, "Roll back, suspend or delete app")
async def rollback_or_delete_application(
    plan: Planner,
    application: AppRef,
    action: Literal["rollback", "suspend", "delete", "process_delete", "hook_off", "hook_regenerate"],
    process: str = "",
) -> Change:
    """Roll back, suspend or delete an app; delete a process; deploy hook off or regenerated."""
    if process.strip() and action != "process_delete":
        raise InvalidInput("process is for action=process_delete.")
    if action != "delete":  # everything else here is Sevalla v3's
        plan.api.need_v3("Rollback" if action == "rollback" else f"action={action}")
    if action == "suspend":
        return await life.suspend(plan, application)
    if action == "process_delete":
        return await procs.process_delete(plan, application, process)
    if action in ("hook_off", "hook_regenerate"):
        return await life.hook_off_or_regenerate(plan, application, action)
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
