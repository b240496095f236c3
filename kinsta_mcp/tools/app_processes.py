"""Plans of the Sevalla v3 process actions (no tools here): add a process, change one, delete one, run a cron
process now (the tools check for the v3 API first). A process is named by its key (e.g. web) or id, in
`values.process` (the destructive tool's `process` argument).

New processes and changed resources, scaling or probes take effect on the next deployment, which is not
started here: the outcome says so. Scaling a process to 0 or closing a web process to traffic stops it
serving, so that update asks first.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from kinsta_mcp.api import app_v3 as v3
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, done
from kinsta_mcp.models.app_v3 import V3Process
from kinsta_mcp.models.applications import App
from kinsta_mcp.planner import Planner
from kinsta_mcp.tools.app_common import SCALE_KEYS, app_ref, count, percent, scale_body, stops_serving
from kinsta_mcp.tools.values import Text, Values, parsed

NEXT_DEPLOY = "it takes effect on the next deployment (deploy_application)"


class ProcessValues(Values):
    """POST /applications/{id}/processes and PATCH …/{process_id} (type only on creation)."""

    what = "a process setting"
    process: str = ""
    display_name: str | None = Field(None, min_length=1, max_length=255, description="1-255 characters")
    type: Literal["web", "worker", "cron", "job"] | None = None
    entrypoint: str | None = Field(None, max_length=1024, description="a command")
    port: int | None = Field(None, ge=1, le=65535, description="a port from 1 to 65535")
    schedule: Text | None = Field(None, max_length=100, description="a cron expression, e.g. */5 * * * *")
    time_zone: Text | None = Field(None, max_length=100, description="an IANA time zone, e.g. Europe/Berlin")
    job_start_policy: Literal["beforeDeployment", "afterSuccessDeployment", "afterFailedDeployment"] | None = None
    resource_type_id: Text | None = Field(None, description="a process resource type id")
    is_ingress_enabled: bool | None = None
    ingress_protocol: Literal["http", "grpc"] | None = None
    instances: int | None = count()
    min_instances: int | None = count()
    max_instances: int | None = count()
    target_cpu_percent: int | None = percent()
    target_memory_percent: int | None = percent()


async def _processes(plan: Planner, application: str) -> tuple[App, list[V3Process]]:
    app = await app_ref(plan, application)
    page = await plan.api.get(v3.PROCESSES, query={"limit": v3.LIMIT}, id=app.id)
    return app, page.data


def pick(app: App, processes: list[V3Process], ref: str) -> V3Process:
    wanted = ref.strip().lower()
    if not wanted and len(processes) == 1:
        return processes[0]
    found = next((p for p in processes if wanted in (p.key.lower(), p.id.lower())), None)
    if found is None:
        keys = ", ".join(f"{p.key} ({p.type})" for p in processes) or "none"
        say = f"No process {ref!r}" if wanted else "Say which process (key or id)"
        raise InvalidInput(f"{say} of {app.label}; its processes: {keys}. Nothing was sent.")
    return found


def _body(values: ProcessValues, action: str) -> dict[str, Any]:
    given = values.body()
    given.pop("process", None)
    scaling = {k: given.pop(k) for k in list(given) if k in SCALE_KEYS}
    if scaling:
        given |= scale_body(scaling, action)
    return given


async def process_add(plan: Planner, application: str, values: dict[str, Any]) -> Change:
    wanted = parsed(ProcessValues, values, "process_add")
    missing = [k for k in ("display_name", "type") if getattr(wanted, k) is None]
    if wanted.type == "cron" and wanted.schedule is None:
        missing.append("schedule")
    if wanted.process:
        raise InvalidInput("process_add makes a new process: leave out values.process (the key comes from its name).")
    if missing:
        raise InvalidInput(
            f"process_add needs {', '.join(missing)} in values "
            "(display_name, type web|worker|cron|job, entrypoint; cron: schedule). Nothing was sent."
        )
    if wanted.is_ingress_enabled is not None or wanted.ingress_protocol is not None:
        raise InvalidInput("is_ingress_enabled and ingress_protocol can be set by process_update only.")
    app, processes = await _processes(plan, application)
    if wanted.type == "web" and any(p.type == "web" for p in processes):
        raise InvalidInput(f"{app.label} already has its one web process. Nothing was sent.")
    body = _body(wanted, "process_add")
    body.setdefault("scaling_strategy", {"type": "manual", "config": {"instanceCount": 1}})
    if "resource_type_id" not in body:  # the size the app's processes already have
        sized = next((p for p in processes if p.resource_type_id), None)
        if sized is None:
            raise InvalidInput("process_add needs values.resource_type_id: the app has no process to copy it from.")
        body["resource_type_id"] = sized.resource_type_id
    what = f"Add {wanted.type} process {wanted.display_name!r} to {app.label}"

    async def run(api: Api) -> ChangeOutcome:
        new = (await api.call(v3.CREATE_PROCESS, body=body, id=app.id)).value
        return done(what, f"added {new.line} (id {new.id}); {NEXT_DEPLOY}")

    return plan.change(what, run)


async def process_update(plan: Planner, application: str, values: dict[str, Any]) -> Change:
    wanted = parsed(ProcessValues, values, "process_update")
    if wanted.type is not None:
        raise InvalidInput("A process's type cannot change: add a new process (process_add) instead.")
    body = _body(wanted, "process_update")
    if not body:
        raise InvalidInput(
            "process_update needs values: process (key or id) and what to change, e.g. entrypoint, schedule, "
            "port, resource_type_id, instances. Nothing was sent."
        )
    app, processes = await _processes(plan, application)
    chosen = pick(app, processes, wanted.process)
    what = f"Change process {chosen.key} of {app.label}: " + ", ".join(f"{k}={v!r}" for k, v in body.items())

    async def run(api: Api) -> ChangeOutcome:
        after = (await api.call(v3.UPDATE_PROCESS, body=body, id=app.id, process_id=chosen.id)).value
        return done(what, f"now {after.line}; {NEXT_DEPLOY}")

    closes = chosen.type == "web" and body.get("is_ingress_enabled") is False
    if stops_serving(body) or closes:
        return plan.change(
            what,
            run,
            risk=Risk.SENSITIVE,
            preview=f"{what}. Process {chosen.line} stops serving until this is undone.",
        )
    return plan.change(what, run)


async def process_delete(plan: Planner, application: str, process: str) -> Change:
    app, processes = await _processes(plan, application)
    chosen = pick(app, processes, process)
    if chosen.type == "web":
        raise InvalidInput(f"The web process of {app.label} cannot be deleted (the API refuses it).")
    what = f"Delete process {chosen.key} of {app.label}"

    async def run(api: Api) -> ChangeOutcome:
        said = (await api.call(v3.DELETE_PROCESS, id=app.id, process_id=chosen.id)).value.message
        return done(what, f"{said} It goes with the next deployment.".strip())

    return plan.change(
        what,
        run,
        preview=(
            f"Delete process {chosen.line} (id {chosen.id}) of {app.label}: it stops at the next deployment and "
            "its settings are lost. This cannot be undone."
        ),
    )


async def cron_run(plan: Planner, application: str, values: dict[str, Any]) -> Change:
    if set(values) - {"process"}:
        raise InvalidInput("cron_run takes only values.process: the cron process's key or id.")
    app, processes = await _processes(plan, application)
    crons = [p for p in processes if p.type == "cron"]
    chosen = pick(app, crons or processes, str(values.get("process", "")))
    if chosen.type != "cron":
        names = ", ".join(p.key for p in crons) or "none"
        raise InvalidInput(f"{chosen.key} is a {chosen.type} process; cron_run runs cron processes: {names}.")
    what = f"Run cron process {chosen.key} of {app.label} now"

    async def run(api: Api) -> ChangeOutcome:
        said = (await api.call(v3.TRIGGER, id=app.id, process_id=chosen.id)).value.message
        return done(what, f"{said} (once, outside its schedule {chosen.schedule})".strip())

    return plan.change(what, run)
