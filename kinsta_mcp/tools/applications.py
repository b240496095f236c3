"""Applications (on Sevalla since 2026-01-31; the Kinsta-era v2 API): list and inspect, deploy and
promote with progress, settings, scaling, CDN and edge cache, restart, roll back, delete.

Deployments are not operations: the v2 API answers 200 with a deployment id and the deployment is
followed at GET /applications/deployments/{id}, with progress reports and the pacing of
`kinsta_mcp.waiting.paced` (at max_wait the ids are returned with state "running" so the wait can be
resumed).

Risk: a deploy or a promotion is routine work for developers (a new build goes out, the previous one
can be redeployed), so `deploy_application` is a write tool. Restarting (every instance is replaced),
rolling back, deleting and scaling a process to 0 take a running service down or replace it without
a new build; they sit in `manage_application`, which is destructive and asks only for those.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr

from kinsta_mcp.call import Call
from kinsta_mcp.client import segment
from kinsta_mcp.errors import InvalidInput, OperationFailed, UnexpectedResponse
from kinsta_mcp.models.base import ApiModel, Output
from kinsta_mcp.paas_refs import APPLICATION, label, list_all, resolve, service
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.text import iso_from_ms
from kinsta_mcp.tools.args import Allowed, MaxWait, checked
from kinsta_mcp.waiting import paced

AppRef = Annotated[str, Field(description="App ID, name or display name")]

DONE = frozenset({"success", "successful", "skipped"})
FAILED = frozenset({"failed", "error", "cancelled", "canceled"})
RECENT = 5  # deployments shown in a detail

# PUT /applications/{id}: setting → (accepted types, what to say when the type is wrong)
SETTINGS: Allowed = {
    "display_name": ((str,), "text"),
    "default_branch": ((str,), "a branch name"),
    "auto_deploy": ((bool,), "true or false"),
    "hibernation_enabled": ((bool,), "true or false"),
    "hibernate_after_seconds": ((int,), "whole seconds"),
    "build_type": ((str,), "dockerfile, pack or nixpacks"),
    "build_path": ((str,), "a path"),
    "docker_file_path": ((str,), "a path"),
    "docker_context": ((str,), "a path"),
}
BUILD_TYPES = ("dockerfile", "pack", "nixpacks")
SCALE_KEYS = {"instances": "instanceCount", "min_instances": "minInstanceCount", "max_instances": "maxInstanceCount",
              "target_cpu_percent": "targetCpuPercent", "target_memory_percent": "targetMemoryPercent"}


# -- models ------------------------------------------------------------------------------------


class App(ApiModel):
    id: str
    name: str = ""
    display_name: str = ""
    status: str = ""


class Process(ApiModel):
    id: str
    key: str = ""
    instances: int = 0


class Applications(Page):
    applications: list[App] = Field(default_factory=list)
    processes: list[Process] = Field(default_factory=list)
    # The rest (pipelines; an app's scaling, deployments, connections) is told in the summary only:
    # the output schema is part of every tool list, so it stays small.
    _notes: list[str] = PrivateAttr(default_factory=list)
    _one: bool = PrivateAttr(False)

    def summary(self) -> str:
        head = [] if self._one else [f"Applications: {self.page_note('applications')}"]
        bullet = "" if self._one else "- "
        lines = [f"{bullet}{label(a.model_dump())} [{a.status}] id {a.id}" for a in self.applications]
        return "\n".join(head + lines + self._notes)


@dataclass
class DeployState:
    id: str
    app_id: str = ""
    status: str = ""


class AppOutcome(Output):
    state: Literal["done", "running"] = "done"
    message: str = ""
    deployment_ids: list[str] = Field(default_factory=list)
    _action: str = PrivateAttr("")
    _elapsed: float = PrivateAttr(0.0)

    @classmethod
    def of(cls, action: str, message: str = "", **fields: Any) -> AppOutcome:
        out = cls(message=message, **fields)
        out._action = action
        return out

    def summary(self) -> str:
        head = "Done" if self.state == "done" else f"Still running after {self._elapsed:.0f} s"
        return f"{head}: {self._action}." + (f" {self.message}." if self.message else "")

    def next_step(self) -> str:
        if self.state != "running":
            return ""
        return f"To keep waiting, call deploy_application with action='wait' and targets={self.deployment_ids!r}."


# -- helpers -----------------------------------------------------------------------------------


def _status(raw: Any) -> str:
    return str(raw or "").strip().lower().removeprefix("deployment")


def _scaling(process: dict[str, Any]) -> str:
    strategy = process.get("scaling_strategy") or {}
    config = strategy.get("config") or {}
    if strategy.get("type") == "horizontal":
        return (f"autoscaling {config.get('minInstanceCount')}-{config.get('maxInstanceCount')} instances"
                f" at {config.get('targetCpuPercent', 80)}% CPU")
    return f"{config.get('instanceCount', process.get('instance_count', 0))} instances"


async def _detail(call: Call, app_id: str) -> dict[str, Any]:
    response = await call.paas.get(f"/applications/{segment(app_id)}")
    return (response.data or {}).get("app") or {}


async def _process(call: Call, process_id: str) -> dict[str, Any]:
    response = await call.paas.get(f"/applications/processes/{segment(process_id)}")
    return (response.data or {}).get("process") or {}


def _pipeline_line(pipeline: dict[str, Any]) -> str:
    stages = " → ".join(str(s.get("display_name")) for s in pipeline.get("stages") or [])
    return f"Pipeline {pipeline.get('display_name')}: {stages} (id {pipeline.get('id')})"


def _states(started: list[DeployState], labels: dict[str, str]) -> str:
    return "; ".join(f"deployment {d.id}" + (f" of {labels[d.app_id]}" if d.app_id in labels else "")
                     + f": {d.status or 'started'}" for d in started)


async def _follow(call: Call, action: str, started: list[DeployState], *, max_wait: float,
                  grace: float, labels: dict[str, str] | None = None) -> AppOutcome:
    """Poll each deployment until all succeeded (done), one failed (raises), or `max_wait` (running)."""
    labels = labels or {}
    began = time.monotonic()

    async def check() -> bool:
        for dep in started:
            if _status(dep.status) in DONE:
                continue
            response = await call.paas.get(f"/applications/deployments/{segment(dep.id)}", accept=frozenset({404}))
            if response.status == 404:
                if time.monotonic() - began >= grace:
                    raise InvalidInput(f"{service(call)} knows no deployment {dep.id!r}.")
                dep.status = "registering"
                continue
            found = (response.data or {}).get("deployment") or {}
            dep.status, dep.app_id = str(found.get("status") or "unknown"), str(found.get("app_id") or dep.app_id)
            if _status(dep.status) in FAILED:
                what = labels.get(dep.app_id, dep.app_id)
                raise OperationFailed(f"Failed: {action}. Deployment {dep.id} of {what} ended {dep.status!r} "
                                      f"(branch {found.get('branch') or '?'}).", dep.id)
        elapsed = time.monotonic() - began
        await call.progress(round(elapsed, 1), f"{action}: {_states(started, labels)} ({elapsed:.0f} s)")
        return all(_status(d.status) in DONE for d in started)

    await call.progress(0.0, f"{action}: started")
    done = await paced(call.settings, max_wait, check, what=action, where=service(call))
    out = AppOutcome.of(action, _states(started, labels), state="done" if done else "running",
                        deployment_ids=[d.id for d in started])
    out._elapsed = time.monotonic() - began
    return out


# -- tools -------------------------------------------------------------------------------------


@tool("applications", Risk.READ, "Applications")
async def list_applications(call: Call, application: AppRef = "", limit: Limit = 50,
                            offset: Offset = 0) -> Applications:
    """Applications and pipelines; with application: its processes, scaling and recent deployments."""
    if not application.strip():
        apps, page = cut(await list_all(call, APPLICATION), limit, offset)
        response = await call.paas.get("/pipelines", params={"company": await call.paas_company(), "limit": 100})
        out = Applications(applications=[App.model_validate(a) for a in apps], **page)
        pipelines = ((response.data or {}).get("company") or {}).get("pipelines", {}).get("items") or []
        out._notes = [_pipeline_line(p) for p in pipelines]
        return out
    app = await _detail(call, (await resolve(call, APPLICATION, application))["id"])
    out = Applications(applications=[App.model_validate(app)], total=1, returned=1)
    hibernation = f"after {app.get('hibernate_after_seconds')} s idle" if app.get("hibernation_enabled") else "off"
    notes = [f"Hibernation: {hibernation}"]
    for ref in app.get("processes") or []:
        found = await _process(call, ref["id"])
        out.processes.append(Process(id=ref["id"], key=ref.get("key", ""),
                                     instances=int(found.get("instance_count") or 0)))
        notes.append(f"- process {ref.get('key')}: {_scaling(found)}, size {found.get('resource_type_name')}, "
                     f"runs `{found.get('entrypoint')}` (id {ref['id']})")
    recent = sorted(app.get("deployments") or [], key=lambda d: d.get("created_at") or 0, reverse=True)[:RECENT]
    for d in recent:
        notes.append(f"- deployed {iso_from_ms(d.get('created_at') or 0)} from {d.get('branch')}: "
                     f"{d.get('commit_message') or ''} (id {d['id']})")
    for link in app.get("internal_connections") or []:
        other = link.get("database") or link.get("app") or {}
        notes.append(f"- connected to {'database' if link.get('database') else 'app'} {other.get('name')}")
    out._notes, out._one = notes, True
    return out


@tool("applications", Risk.WRITE, "Deploy app")
async def deploy_application(
    call: Call,
    application: AppRef = "",
    action: Literal["deploy", "promote", "wait"] = "deploy",
    branch: Annotated[str, Field(description="deploy: git branch (default: the app's), or image:tag")] = "",
    targets: Annotated[
        list[str], Field(description="promote: apps to get the build; wait: deployment IDs")
    ] = [],  # noqa: B006
    max_wait_seconds: MaxWait = 50,
) -> AppOutcome:
    """Deploy an application, promote its build to other apps, or keep waiting for deployments."""
    if action == "wait":
        ids = [d.strip() for d in targets if d.strip()]
        if not ids:
            raise InvalidInput("action='wait' needs targets: the deployment IDs of the result that started them.")
        started = [DeployState(id=d) for d in ids]
        return await _follow(call, f"Deployment {', '.join(ids)}", started, max_wait=max_wait_seconds, grace=0)
    if action == "promote" and not targets:
        raise InvalidInput("action='promote' needs targets: the applications that should get this app's build.")
    source = await resolve(call, APPLICATION, application)
    labels = {source["id"]: label(source)}
    if action == "promote":
        chosen = [await resolve(call, APPLICATION, t) for t in targets]
        if any(t["id"] == source["id"] for t in chosen):
            raise InvalidInput(f"{label(source)} cannot be promoted to itself; name the next stage's apps.")
        labels |= {t["id"]: label(t) for t in chosen}
        response = await call.paas.post("/applications/promote", json={
            "source_app_id": source["id"], "target_app_ids": [t["id"] for t in chosen]})
        started = [DeployState(id=p["deployment_id"], app_id=p["target_app_id"])
                   for p in (response.data or {}).get("promote") or []]
        what = f"Promote {label(source)} to {', '.join(label(t) for t in chosen)}"
    else:
        body: dict[str, Any] = {"app_id": source["id"]}
        if branch.strip():  # git forbids ':' in branch names, so a ':' means an image reference
            body["docker_image" if ":" in branch else "branch"] = branch.strip()
        response = await call.paas.post("/applications/deployments", json=body)
        started = [DeployState(id=((response.data or {}).get("deployment") or {}).get("id", ""), app_id=source["id"])]
        what = f"Deploy {body.get('docker_image') or body.get('branch') or 'the default branch'} to {label(source)}"
    if not started or not all(d.id for d in started):
        raise UnexpectedResponse(f"{service(call)} accepted '{what}' but sent no deployment id to follow; "
                                 "check list_applications.", status=response.status, body=response.data)
    return await _follow(call, what, started, max_wait=max_wait_seconds, grace=call.settings.operation_grace,
                         labels=labels)


def _settings_body(values: dict[str, Any]) -> dict[str, Any]:
    if not values:
        raise InvalidInput(f"update needs values, e.g. {{\"display_name\": \"Shop API\"}}; "
                           f"keys: {', '.join(SETTINGS)}.")
    body = checked(values, SETTINGS, "an application setting")
    if body.get("build_type", "pack") not in BUILD_TYPES:
        raise InvalidInput(f"build_type must be one of {', '.join(BUILD_TYPES)}.")
    return body


def _scale_body(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(SCALE_KEYS) - {"entrypoint", "process"}
    if unknown or not set(values) - {"process"}:
        raise InvalidInput("scale takes values process (its key, e.g. web) and instances (0-50), or min_instances "
                           "and max_instances (+ target_cpu_percent, target_memory_percent) for autoscaling, "
                           "and/or entrypoint.")
    for key in set(values) & set(SCALE_KEYS):
        if isinstance(values[key], bool) or not isinstance(values[key], int) or not 0 <= values[key] <= 100:
            raise InvalidInput(f"{key} must be a whole number (got {values[key]!r}).")
    body: dict[str, Any] = {}
    if "entrypoint" in values:
        body["entrypoint"] = str(values["entrypoint"])
    auto = {"min_instances", "max_instances"} & set(values)
    if "instances" in values and auto:
        raise InvalidInput("Give instances (fixed) or min_instances/max_instances (autoscaling), not both.")
    if "instances" in values:
        if values["instances"] > 50:
            raise InvalidInput("instances must be 0 to 50.")
        body["scaling_strategy"] = {"type": "manual", "config": {"instanceCount": values["instances"]}}
    elif auto:
        low, high = values.get("min_instances", 0), values.get("max_instances", 0)
        if not 1 <= low <= high <= 50:
            raise InvalidInput("Autoscaling needs 1 <= min_instances <= max_instances <= 50.")
        config = {SCALE_KEYS[k]: v for k, v in values.items() if k in SCALE_KEYS}
        body["scaling_strategy"] = {"type": "horizontal", "config": config}
    return body


def _pick_process(app: dict[str, Any], ref: str) -> dict[str, Any]:
    processes = app.get("processes") or []
    wanted = ref.strip().lower()
    if not wanted and len(processes) == 1:
        return processes[0]
    found = next((p for p in processes if wanted in (str(p.get("key", "")).lower(), str(p.get("id", "")).lower())),
                 None)
    if found is None:
        keys = ", ".join(str(p.get("key")) for p in processes) or "none"
        raise InvalidInput(f"{'Say which process' if not wanted else f'No process {ref!r}'} of {label(app)}; "
                           f"its processes: {keys}.")
    return found


async def _toggle(call: Call, app: dict[str, Any], path: str, what: str, on: bool) -> AppOutcome:
    """Set CDN/edge cache on or off. The API only flips it and cannot read it, so flip back if it was already so."""
    url = f"/applications/{segment(app['id'])}/{path}"
    now = bool(((await call.paas.post(url)).data or {}).get("isTurnedOn"))
    note = ""
    if now != on:
        now = bool(((await call.paas.post(url)).data or {}).get("isTurnedOn"))
        note = f" (it already was; the API can only flip it, so it was switched {'off and on' if on else 'on and off'})"
    return AppOutcome.of(f"{what} {'on' if on else 'off'} for {label(app)}",
                      message=f"{what} is now {'on' if now else 'off'}{note}")


@tool("applications", Risk.DESTRUCTIVE, "Change app")
async def manage_application(
    call: Call,
    application: AppRef,
    action: Literal["update", "scale", "cdn_on", "cdn_off", "edge_cache_on", "edge_cache_off", "clear_cache",
                    "restart", "rollback", "delete"],
    values: Annotated[dict[str, Any], Field(description=(
        "update: display_name, default_branch, auto_deploy, hibernation_enabled, hibernate_after_seconds, "
        "build_type…; scale: process (key), instances or min/max_instances"))] = {},  # noqa: B006
) -> AppOutcome:
    """Update, scale, CDN/edge cache on/off, clear cache, restart, roll back or delete an application."""
    body = _settings_body(values) if action == "update" else _scale_body(values) if action == "scale" else {}
    if action == "rollback" and call.paas_v3 is None:
        raise InvalidInput("Rollback exists only in the Sevalla v3 API: set SEVALLA_API_KEY to use it.")
    app = await resolve(call, APPLICATION, application)
    app_path, name = f"/applications/{segment(app['id'])}", label(app)
    if action == "update":
        response = await call.paas.put(app_path, json=body)
        now = (response.data or {}).get("app") or {}
        return AppOutcome.of(f"Update {name}", message=", ".join(f"{k}={now.get(k, v)!r}" for k, v in body.items()))
    if action in ("cdn_on", "cdn_off"):
        return await _toggle(call, app, "cdn/toggle-status", "CDN", action == "cdn_on")
    if action in ("edge_cache_on", "edge_cache_off"):
        return await _toggle(call, app, "edge-cache/toggle-status", "Edge cache", action == "edge_cache_on")
    if action == "clear_cache":
        done = ((await call.paas.post(f"{app_path}/clear-cache")).data or {}).get("isSuccess")
        return AppOutcome.of(f"Clear CDN and edge cache of {name}",
                             message="cleared" if done else f"{service(call)} did not confirm the clear")
    detail = await _detail(call, app["id"])
    if action == "scale":
        return await _scale(call, detail, str(values.get("process", "")), body)
    procs = ", ".join(str(p.get("key")) for p in detail.get("processes") or []) or "none"
    deployments = sorted(detail.get("deployments") or [], key=lambda d: d.get("created_at") or 0, reverse=True)
    if action == "delete":
        conns = len(detail.get("internal_connections") or [])
        await call.confirm(
            f"Delete application {name} (id {app['id']}) with its processes ({procs}), its {len(deployments)} "
            f"deployments and {conns} internal connections. This cannot be undone.")
        response = await call.paas.delete(app_path)
        return AppOutcome.of(f"Delete {name}", message=str((response.data or {}).get("message") or "deleted"))
    if action == "restart":
        await call.confirm(f"Restart application {name}: every instance of its processes ({procs}) is replaced "
                           "without a new build; requests may fail briefly.")
        response = await call.paas.post("/applications/deployments", json={"app_id": app["id"], "is_restart": True})
        dep_id = ((response.data or {}).get("deployment") or {}).get("id", "")
    else:
        recent = "; ".join(f"{iso_from_ms(d.get('created_at') or 0)} {d.get('branch')}: {d.get('commit_message')}"
                           for d in deployments[:3])
        await call.confirm(f"Roll back application {name}: its previous successful build replaces what runs now "
                           f"(no new build). Recent deployments: {recent or 'none'}.")
        assert call.paas_v3 is not None  # checked above, before any request
        response = await call.paas_v3.post(f"{app_path}/deployments/rollback")
        dep_id = str((response.data or {}).get("id") or "")
    what = f"{'Restart' if action == 'restart' else 'Roll back'} {name}"
    return await _follow(call, what, [DeployState(id=dep_id, app_id=app["id"])], max_wait=call.settings.max_wait,
                         grace=call.settings.operation_grace, labels={app["id"]: name})


async def _scale(call: Call, app: dict[str, Any], ref: str, body: dict[str, Any]) -> AppOutcome:
    chosen = _pick_process(app, ref)
    before = await _process(call, chosen["id"])
    what = f"Scale process {chosen.get('key')} of {label(app)}"
    strategy = body.get("scaling_strategy") or {}
    if (strategy.get("config") or {}).get("instanceCount") == 0:
        await call.confirm(f"{what} from {_scaling(before)} to 0 instances: it stops serving until scaled up again.")
    response = await call.paas.put(f"/applications/processes/{segment(chosen['id'])}", json=body)
    after = (response.data or {}).get("process") or {}
    change = f"{_scaling(before)} → {_scaling(after)}"
    if "entrypoint" in body:
        change += f"; entrypoint {before.get('entrypoint')!r} → {after.get('entrypoint')!r}"
    return AppOutcome.of(what, change)
