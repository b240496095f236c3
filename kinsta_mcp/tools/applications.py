"""Applications (on Sevalla since 2026-01-31; the Kinsta-era v2 API): list and inspect, deploy and promote.

Deployments are not operations: the API answers with a deployment id, followed by `jobs` as an
`app-deploy:<id>` job (progress on every poll; at max_wait the keys go back for `wait_for_job`).
A deploy or a promotion is routine work (a new build goes out, the previous one can be redeployed),
so `deploy_application` is a write tool; so is cancelling a running deployment (what ran before keeps
serving). Settings, scaling, caches, restart and the Sevalla v3 actions are in
`application_changes.manage_application`; rollback, suspension and deletion in its destructive sibling.

One application's listing also shows, with a Sevalla key (v3), whether it is suspended, its deploy hook and
its IP restriction. The hook URL deploys the app for anyone who has it: shown only with `reveal`, once the
user agreed (the gate asks), like database passwords.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import applications as ep
from kinsta_mcp.api.endpoint import Base, JobKind
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput, UnexpectedResponse
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import Job, start
from kinsta_mcp.models.applications import App
from kinsta_mcp.models.base import ApiModel
from kinsta_mcp.paas_refs import APPLICATION
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.app_common import AppRef, app_detail, app_ref
from kinsta_mcp.tools.app_lifecycle import cancel, detail_facts
from kinsta_mcp.tools.args import MaxWait, Reveal

__all__ = ["App", "Applications", "deploy_application", "list_applications"]  # App: tests/test_fixtures.py

RECENT = 5  # deployments shown in a detail


class Process(ApiModel):
    id: str
    key: str = ""
    instances: int = 0
    line: str = Field("", description="Scaling, size and entrypoint")


class Applications(Page):
    applications: list[App] = Field(default_factory=list)
    pipelines: list[str] = Field(default_factory=list)
    # One application: its details.
    hibernation: str = ""
    processes: list[Process] = Field(default_factory=list)
    deployments: list[str] = Field(default_factory=list, description="Recent, newest first")
    connections: list[str] = Field(default_factory=list)
    hook: str = ""  # Sevalla v3: off, on (URL hidden) or the URL when revealed
    ip_restriction: str = ""

    def summary(self) -> str:
        one = bool(self.hibernation)
        head = [] if one else [f"Applications: {self.page_note('applications')}"]
        bullet = "" if one else "- "
        lines = head + [f"{bullet}{a.label} [{a.status}] id {a.id}" for a in self.applications] + self.pipelines
        if one:
            lines.append(f"Hibernation: {self.hibernation}")
            lines += [f"- process {p.key}: {p.line} (id {p.id})" for p in self.processes]
            lines += [f"- deployed {d}" for d in self.deployments]
            lines += [f"- connected to {c}" for c in self.connections]
            lines += [f"Deploy hook: {self.hook}"] if self.hook else []
            lines += [f"IP restriction: {self.ip_restriction}"] if self.ip_restriction else []
        return "\n".join(lines)


@tool("applications", Risk.READ, "Applications", secret=True)
async def list_applications(
    plan: Planner, application: AppRef = "", limit: Limit = 50, offset: Offset = 0, reveal: Reveal = False
) -> Applications:
    """Applications and pipelines; with application: its processes, scaling, recent deployments, deploy hook, IP
    restriction."""
    if reveal and not application.strip():
        raise InvalidInput("reveal needs application: say whose deploy hook URL to show.")
    if reveal:
        plan.api.need_v3("The deploy hook")
    if not application.strip():
        # A listing shows statuses: read it fresh (and refresh the catalog other calls resolve from).
        items = await plan.deps.catalog.items(plan.api, APPLICATION, fresh=True)
        apps, page = cut(items, limit, offset)
        pipelines = await plan.api.get(ep.PIPELINES, query={"company": await plan.api.paas_company(), "limit": 100})
        return Applications(
            applications=[App.model_validate(a) for a in apps], pipelines=[p.line for p in pipelines], **page
        )
    app = await app_detail(plan, application)
    revealed = await plan.reveal(reveal, f"the deploy hook URL of application {app.label}")
    facts = await detail_facts(plan, app.id, revealed) if plan.api.has(Base.V3) else {}
    listed = App.model_validate(app.model_dump())
    if facts.get("suspended"):
        listed.status = f"{listed.status}, suspended"
    processes = []
    for ref in app.processes:
        found = await plan.api.get(ep.PROCESS, id=ref.id)
        processes.append(
            Process(
                id=ref.id,
                key=ref.key,
                instances=found.instance_count,
                line=(f"{found.scaling}, size {found.resource_type_name}, runs `{found.entrypoint}`"),
            )
        )
    return Applications(
        applications=[listed],
        total=1,
        returned=1,
        processes=processes,
        hibernation=f"after {app.hibernate_after_seconds} s idle" if app.hibernation_enabled else "off",
        deployments=[f"{d.line} (id {d.id})" for d in app.recent(RECENT)],
        connections=[c.line for c in app.internal_connections],
        hook=facts.get("hook", ""),
        ip_restriction=facts.get("ip_restriction", ""),
    )


def _deploy_body(app_id: str, branch: str) -> dict[str, Any]:
    body: dict[str, Any] = {"app_id": app_id}
    if branch.strip():  # git forbids ':' in branch names, so a ':' means an image reference
        body["docker_image" if ":" in branch else "branch"] = branch.strip()
    return body


@tool("applications", Risk.WRITE, "Deploy app")
async def deploy_application(
    plan: Planner,
    application: AppRef,
    action: Literal["deploy", "promote", "cancel"] = "deploy",
    branch: Annotated[str, Field(description="deploy: git branch (default: the app's), or image:tag")] = "",
    targets: Annotated[list[str], Field(description="promote: apps to get the build")] = [],  # noqa: B006
    max_wait_seconds: MaxWait = 50,
    deployment_id: str = "",
) -> Change:
    """Deploy an app, promote its build to other apps (waits), or cancel its running deployment."""
    if deployment_id.strip() and action != "cancel":
        raise InvalidInput("deployment_id is for action=cancel (default: the newest running or waiting one).")
    if action == "cancel":
        plan.api.need_v3("Cancelling a deployment")
        return await cancel(plan, "app", (await app_ref(plan, application)).model_dump(), deployment_id)
    if action == "promote" and not targets:
        raise InvalidInput("action='promote' needs targets: the applications that should get this app's build.")
    source = await app_ref(plan, application)
    if action == "deploy":
        body = _deploy_body(source.id, branch)
        what = f"Deploy {body.get('docker_image') or body.get('branch') or 'the default branch'} to {source.label}"
        return plan.change(what, lambda api: start(api, ep.DEPLOY, action=what, body=body), max_wait=max_wait_seconds)
    chosen = {app.id: app for app in [await app_ref(plan, t) for t in targets]}  # one listing for all of them
    if source.id in chosen:
        raise InvalidInput(f"{source.label} cannot be promoted to itself; name the next stage's apps.")
    what = f"Promote {source.label} to {', '.join(a.label for a in chosen.values())}"

    async def run(api: Api) -> list[Job]:
        reply = await api.call(ep.PROMOTE, body={"source_app_id": source.id, "target_app_ids": list(chosen)})
        if not reply.value:
            raise UnexpectedResponse(
                f"{api.service} accepted '{what}' but sent no deployment to follow; check "
                "list_applications before repeating it.",
                status=reply.status,
                body=reply.body,
            )
        return [
            Job(
                JobKind.APP_DEPLOYMENT,
                p.deployment_id,
                f"Promote to {_name(chosen, p.target_app_id)}",
                detail=f"promoted from {source.label}",
            )
            for p in reply.value
        ]

    return plan.change(what, run, max_wait=max_wait_seconds)


def _name(apps: dict[str, App], app_id: str) -> str:
    return apps[app_id].label if app_id in apps else app_id
