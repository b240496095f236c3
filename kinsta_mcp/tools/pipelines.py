"""Pipelines on the Sevalla v3 API: create and change them, their stages, which app sits in which stage,
preview apps (an ephemeral app per pull request, in a stage of type preview), and promotion.

`manage_pipeline` is a write tool. Turning preview apps off removes the preview stage and queues every
preview app in it for deletion, and deleting a pipeline or a stage cannot be undone either: those are left
to call_endpoint, which asks as for any destructive call (openapi/risk.py).
A promotion copies the source app's latest successful build to the targets; their deployments are
followed like any other (`app-deploy:` jobs). list_applications lists the pipelines.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Field

from kinsta_mcp.api import pipelines as ep
from kinsta_mcp.api.endpoint import JobKind
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, Job, done
from kinsta_mcp.models.pipelines import Pipeline, Stage
from kinsta_mcp.paas_refs import APPLICATION, Kind, label, pick
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import no_match
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.values import Text, Values, given

PIPELINE = Kind("pipeline", "/pipelines", (), "list_applications")
STAGE = Kind("stage", "", (), "manage_pipeline")
Action = Literal["create", "update", "add_stage", "add_app", "remove_app", "preview_on", "preview_settings", "promote"]
Type = Literal["trunk", "branch"]


class NewPipeline(Values):
    what = "a pipeline setting for create"
    display_name: Text
    type: Type
    project_id: Text | None = None


class PipelineUpdate(Values):
    what = "a pipeline setting for update"
    nullable = ("project_id",)
    display_name: Text | None = None
    type: Type | None = None
    project_id: Text | None = None
    stage_order: list[Text] | None = Field(None, min_length=1, description="every stage, by name, in the new order")


class NewStage(Values):
    what = "a stage setting"
    display_name: Text
    insert_before: Annotated[int, Field(ge=0, le=50)] | Text = Field(description="a position (0-50) or a stage's name")
    branch: Text | None = None


class AppInStage(Values):
    what = "a key of add_app and remove_app"
    app: Text
    stage: Text


class Preview(Values):
    what = "a preview setting"
    repo_url: Text | None = None
    auto_create_app: bool | None = None
    delete_stale_apps: bool | None = None
    stale_app_days: int | None = Field(None, ge=1, le=365, description="a whole number of days from 1 to 365")


class Promote(Values):
    what = "a key of promote"
    source: Text
    targets: list[Text] = Field(min_length=1, description="the apps to get the build, by name")


async def _pipeline(plan: Planner, ref: str) -> Pipeline:
    """The pipeline a reference names (ID, name or a unique part of it), with its stages."""
    listed: list[Pipeline] = []
    while len(listed) < 10_000:
        page = await plan.api.get(ep.PIPELINES, query={"limit": ep.PAGE, "offset": len(listed)})
        listed += page.data
        if not page.data or len(listed) >= page.total:
            break
    hit = pick([p.model_dump() for p in listed], PIPELINE, ref)
    if hit is None:
        names = [p.display_name for p in listed]
        raise InvalidInput(no_match("pipeline", ref, names, "by ID or name", "list_applications lists them."))
    found: Pipeline = await plan.api.get(ep.PIPELINE, id=hit["id"])
    return found


def _stage(pipeline: Pipeline, ref: str) -> Stage:
    hit = pick([s.model_dump() for s in pipeline.stages], STAGE, ref)
    if hit is None:
        names = [s.display_name for s in pipeline.ordered]
        raise InvalidInput(no_match("stage", ref, names, "by ID or name", f"Its stages: {', '.join(names)}."))
    return Stage.model_validate(hit)


async def _app(plan: Planner, ref: str) -> dict[str, Any]:
    return await plan.resource(APPLICATION, ref)


async def _said(api: Api, what: str, endpoint: Any, body: Any = None, **params: Any) -> ChangeOutcome:
    """Send a change whose answer is only a message."""
    reply = await api.call(endpoint, body=body, **params)
    return done(what, str(reply.body.get("message", "")) if isinstance(reply.body, dict) else "")


def _update_body(pipeline: Pipeline, values: dict[str, Any]) -> dict[str, Any]:
    body = given(PipelineUpdate, values, "update").body()
    if not body:
        raise InvalidInput(f"update takes values: {', '.join(PipelineUpdate.model_fields)} (any of them).")
    if names := body.pop("stage_order", None):
        movable = [s for s in pipeline.ordered if s.type != "preview"]
        chosen = [_stage(pipeline, n) for n in names]
        if sorted(s.id for s in chosen) != sorted(s.id for s in movable):
            raise InvalidInput(
                "stage_order names every stage once, in the new order: "
                + ", ".join(s.display_name for s in movable)
                + " (a preview stage stays first)."
            )
        first = 1 if pipeline.preview else 0
        body["stage_order"] = [{"stage_id": s.id, "order": first + n} for n, s in enumerate(chosen)]
    return body


async def _preview(plan: Planner, pipeline: Pipeline, action: str, values: dict[str, Any]) -> Change:
    stage = pipeline.preview
    if action == "preview_on" and stage is not None:
        raise InvalidInput(f"Preview apps are on for {pipeline.display_name}; preview_settings changes them.")
    if action != "preview_on" and stage is None:
        raise InvalidInput(f"Preview apps are off for {pipeline.display_name}; preview_on turns them on.")
    body = given(Preview, values, action).body()
    if action == "preview_settings" and not body:
        raise InvalidInput(f"preview_settings needs values: {', '.join(Preview.model_fields)}.")
    what = f"{'Turn on preview apps of' if action == 'preview_on' else 'Preview settings of'} {pipeline.display_name}"
    endpoint = ep.PREVIEW_ON if action == "preview_on" else ep.PREVIEW_SETTINGS
    return plan.change(what, lambda api: _said(api, what, endpoint, body, id=pipeline.id))


async def _promote(plan: Planner, pipeline: Pipeline, values: dict[str, Any]) -> Change:
    asked = given(Promote, values, "promote")
    source = await _app(plan, asked.source)
    targets = {t["id"]: t for t in [await _app(plan, ref) for ref in asked.targets]}
    if source["id"] in targets:
        raise InvalidInput(f"{label(source)} cannot be promoted to itself; name the next stage's apps.")
    what = f"Promote {label(source)} to {', '.join(label(t) for t in targets.values())} in {pipeline.display_name}"
    body = {"source_app_id": source["id"], "target_app_ids": list(targets)}

    async def run(api: Api) -> list[Job] | ChangeOutcome:
        started = (await api.call(ep.PROMOTE, body=body, id=pipeline.id)).value
        if not started:
            return done(what, "accepted; the answer named no deployment to follow")
        return [
            Job(JobKind.APP_DEPLOYMENT, p.deployment_id, f"Promote to {label(targets.get(p.target_app_id, {}))}")
            for p in started
        ]

    return plan.change(what, run, max_wait=plan.settings.max_wait)


@tool(
    "applications",
    Risk.WRITE,
    "Change pipeline",
    needs={a: ("pipeline",) for a in get_args(Action) if a != "create"},
)
async def manage_pipeline(
    plan: Planner,
    action: Action,
    pipeline: str = "",
    values: Annotated[dict[str, Any], Field(description="the action's keys; {} says which")] = {},  # noqa: B006
) -> Change:
    """Pipelines: create, update, add a stage, add/remove an app in a stage, preview apps, promote."""
    plan.api.need_v3("Pipelines")
    if action == "create":
        new = given(NewPipeline, {"display_name": pipeline.strip()} | values if pipeline.strip() else values, action)
        what = f"Create pipeline {new.display_name}"

        async def create(api: Api) -> ChangeOutcome:
            made: Pipeline = (await api.call(ep.CREATE, body=new.body())).value
            return done(what, made.line)

        return plan.change(what, create)
    found = await _pipeline(plan, pipeline)
    if action.startswith("preview"):
        return await _preview(plan, found, action, values)
    if action == "promote":
        return await _promote(plan, found, values)
    if action in ("add_app", "remove_app"):
        where = given(AppInStage, values, action)
        app, stage = await _app(plan, where.app), _stage(found, where.stage)
        into = "to" if action == "add_app" else "from"
        what = f"{'Add' if action == 'add_app' else 'Remove'} {label(app)} {into} stage {stage.display_name}"
        what += f" of {found.display_name}"
        ids = {"id": found.id, "stage_id": stage.id}
        if action == "add_app":
            return plan.change(what, lambda api: _said(api, what, ep.ADD_APP, {"app_id": app["id"]}, **ids))
        return plan.change(what, lambda api: _said(api, what, ep.REMOVE_APP, app_id=app["id"], **ids))
    if action == "add_stage":
        stage_ = given(NewStage, values, action)
        at = (
            stage_.insert_before if isinstance(stage_.insert_before, int) else _stage(found, stage_.insert_before).order
        )
        body = {"display_name": stage_.display_name, "insert_before": at}
        body |= {"branch": stage_.branch} if stage_.branch else {}
        what = f"Add stage {stage_.display_name} to {found.display_name} at position {at}"

        async def add(api: Api) -> ChangeOutcome:
            await api.call(ep.ADD_STAGE, body=body, id=found.id)
            return done(what, (await api.get(ep.PIPELINE, id=found.id)).line)

        return plan.change(what, add)
    body = _update_body(found, values)
    what = f"Update pipeline {found.display_name}"

    async def update(api: Api) -> ChangeOutcome:
        return done(what, (await api.call(ep.UPDATE, body=body, id=found.id)).value.line)

    return plan.change(what, update)
