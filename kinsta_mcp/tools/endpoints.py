"""The long tail: any operation of the Kinsta and Sevalla specs, found by words and called through the same
gate, job following, masking and fencing as every typed tool (kinsta_mcp/openapi/)."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp import paas_refs
from kinsta_mcp.api.endpoint import Base, Endpoint, JobKind, RateClass
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput, OutOfScope
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import Job, Started, done
from kinsta_mcp.models.endpoints import EndpointResult, Found, FoundEndpoint
from kinsta_mcp.openapi import catalogue, checks, shaping
from kinsta_mcp.openapi.catalogue import Catalogue, Operation
from kinsta_mcp.openapi.risk import risk_of
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import UUID, Target
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.args import MaxWait, Reveal

ApiName = Literal["", "kinsta", "sevalla_v2", "sevalla_v3"]
PREFERENCE = ("kinsta", "sevalla_v3", "sevalla_v2")
BASES = {"kinsta": Base.KINSTA, "sevalla_v2": Base.PAAS, "sevalla_v3": Base.V3}
API_NAMES = {"kinsta": "Kinsta", "sevalla_v2": "Sevalla v2", "sevalla_v3": "Sevalla v3"}
CREATES = re.compile(r"^/(sites|sites/clone|sites/plain|sites/\{site_id\}/environments(/plain|/clone)?|applications"
                     r"|applications/\{id\}/clone|databases|static-sites)$")  # fmt: skip
LOGS = re.compile(r"(/logs|-logs)$")
# Where a Kinsta call names a site or environment (docs/api-notes.md#request-details).
ENV_PATH = ("env_id", "target_env_id")
ENV_BODY = ("environment_id", "env_id", "source_env_id", "target_env_id")
PAAS_KINDS = {"applications": paas_refs.APPLICATION, "databases": paas_refs.DATABASE,
              "static-sites": paas_refs.STATIC_SITE}  # fmt: skip


@tool("endpoints", Risk.READ, "Find an API endpoint")
async def find_endpoint(
    plan: Planner,
    query: Annotated[str, Field(min_length=2, max_length=200)],
    api: ApiName = "",
    limit: Annotated[int, Field(ge=1, le=20)] = 6,
) -> Found:
    """Search every Kinsta and Sevalla API operation by words (e.g. "database backups"); returns ids for
    call_endpoint with parameters, body fields and risk. Prefer a dedicated tool when one fits."""
    ops = catalogue.load()
    return Found(endpoints=[_found(ops, op) for op in ops.search(query, api=api, limit=limit)])


def _found(ops: Catalogue, op: Operation) -> FoundEndpoint:
    risk, _ = risk_of(op)
    params = [f"{p.name}{'*' if p.required else ''} ({p.where}, {p.type})" for p in op.params]
    body = [f"{name}{'*' if name in op.body_required_fields else ''}" for name in op.body_fields]
    note = ""
    if op.deprecated and (instead := _replacement(ops, op)):
        note = f"retired on Kinsta: use {instead.key}"
    elif op.documented_later:
        note = "documented after the spec: only the names are checked"
    return FoundEndpoint(
        id=op.key, call=op.line, summary=op.summary, risk=risk.word, params=params, body=body, note=note
    )


@tool("endpoints", Risk.DESTRUCTIVE, "Call an API endpoint", outcome=EndpointResult, reads_in_read_only=True)
async def call_endpoint(
    plan: Planner,
    endpoint: Annotated[str, Field(min_length=3, max_length=300, description="An id from find_endpoint")],
    params: Annotated[dict[str, Any], Field(description="Path and query values by name")] = {},  # noqa: B006
    body: dict[str, Any] = {},  # noqa: B006
    api: ApiName = "",
    offset: Annotated[int, Field(ge=0)] = 0,
    reveal: Reveal = False,
    max_wait_seconds: MaxWait = 50,
) -> Change:
    """Call any Kinsta or Sevalla API operation, checked against its spec first. Reads run at once; changes
    are confirmed like any tool's and followed while they run. Answers are cut to a readable size."""
    ops = catalogue.load()
    op, from_path = _operation(ops, endpoint, api)
    if plan.settings.read_only and risk_of(op, body or None)[0] is not Risk.READ:
        raise InvalidInput(f"Read-only mode: {op.line} would change something, so it is not sent.")
    if op.deprecated and op.api == "kinsta":
        instead = _replacement(ops, op)
        raise InvalidInput(
            f"{op.line} was retired by Kinsta on 2026-01-31 (this hosting moved to Sevalla). "
            + (f"Use {instead.key} ({instead.line}) instead. " if instead else "")
            + "Nothing was sent."
        )
    given = {**from_path, **params}
    given |= {name: await _company(plan, op) for name in _company_params(op) if name not in given}
    await _human_ids(plan, op, given)
    checked = checks.request(ops, op, given, body or None)
    targets = await _targets(plan, op, checked)
    risk, why = risk_of(op, checked.body)
    target = _endpoint(op)
    where: dict[str, Any] = dict(checked.path)
    concrete = target.url(where)
    action = f"{op.summary or op.line} ({op.method} {concrete}, {API_NAMES[op.api]})"
    if op.method == "GET":
        await plan.reveal(reveal, f"the secrets in the answer of {op.method} {concrete}")
        reply = await plan.api.call(target, query=checked.query or None, body=checked.body, **where)
        return _result(op, action, reply.status, reply.body, reveal, offset)  # type: ignore[return-value]
    if reveal and risk < Risk.SENSITIVE:
        risk, why = Risk.SENSITIVE, "the answer's secrets will be shown in clear"

    async def run(api: Api) -> Started:
        reply = await api.call(target, query=checked.query or None, body=checked.body, **where)
        shaped = _result(op, action, reply.status, reply.body, reveal, offset)
        change.extra.update(shaped.model_dump(include={"endpoint", "status", "data", "masked", "cut", "next_offset"}))
        return _started(op, action, reply.body) or done(action, _message(reply.body))

    change = plan.change(
        action, run, preview=_preview(op, concrete, risk, why, targets, checked), targets=targets, risk=risk,
        max_wait=max_wait_seconds,
    )  # fmt: skip
    return change


def _operation(ops: Catalogue, endpoint: str, api: str) -> tuple[Operation, dict[str, str]]:
    text = endpoint.strip()
    if found := ops.get(text):
        return found, {}
    method, _, path = text.partition(" ")
    if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE") and path.strip().startswith("/"):
        hits = ops.match(method, path.strip(), api)
        if hits:
            # One rule (docs/api-notes.md#routing): Kinsta for what it still serves, then Sevalla v3, then v2.
            best = min(hits, key=lambda hit: (hit[0].deprecated, len(hit[1]), PREFERENCE.index(hit[0].api)))
            return best
    close = [op.key for op in ops.search(text, api=api, limit=3)]
    raise InvalidInput(
        f"No API operation is {text!r}. "
        + (f"Closest: {', '.join(close)}. " if close else "")
        + "Use an id from find_endpoint, or 'METHOD /path'. Nothing was sent."
    )


def _company_params(op: Operation) -> list[str]:
    """The company a call needs is known: a model should not have to look it up."""
    names = [p.name for p in op.params if p.where == "query" and p.name in ("company", "company_id") and p.required]
    if op.path.startswith(("/company/{id}", "/company/{company_id}")):
        names.append(op.path.split("/")[2][1:-1])
    return names


async def _company(plan: Planner, op: Operation) -> str:
    return await plan.api.paas_company() if op.api == "sevalla_v2" else plan.company_id


def _replacement(ops: Catalogue, op: Operation) -> Operation | None:
    for api in ("sevalla_v3", "sevalla_v2"):
        for found, _ in ops.match(op.method, op.path, api):
            if not found.deprecated:
                return found
    return None


def _endpoint(op: Operation) -> Endpoint:
    creates = op.method == "POST" and CREATES.match(op.path)
    return Endpoint(
        op.method,
        op.path,
        base=BASES[op.api],
        sevalla_only=op.api == "sevalla_v2",
        rate=RateClass.CREATE if creates else RateClass.LOGS if LOGS.search(op.path) else RateClass.DEFAULT,
        relists=op.method != "GET" and op.path.startswith("/sites"),
        name=op.key,
    )


async def _human_ids(plan: Planner, op: Operation, given: dict[str, Any]) -> None:
    """A site, application, database or static site named as a person would is turned into its id."""
    site = given.get("site_id")
    if isinstance(site, str) and site.strip() and not UUID.match(site.strip()):
        given["site_id"] = (await plan.site(site)).id
    head = op.path.strip("/").split("/")
    ref = given.get("id")
    paas = op.api != "kinsta" and len(head) > 1 and head[1] == "{id}" and head[0] in PAAS_KINDS
    if paas and isinstance(ref, str) and ref.strip() and not UUID.match(ref.strip()):
        given["id"] = str((await plan.resource(PAAS_KINDS[head[0]], ref))["id"])


async def _targets(plan: Planner, op: Operation, checked: checks.Checked) -> list[Target]:
    """The sites and environments a call names, for the allowlist and protect-live."""
    wordpress = op.api == "kinsta" or op.path.startswith(("/sites", "/domains"))
    if not wordpress:
        return []
    named = {n: checked.path[n] for n in ENV_PATH if n in checked.path}
    if isinstance(checked.body, dict):
        named |= {n: str(checked.body[n]) for n in ENV_BODY if isinstance(checked.body.get(n), str)}
    for name, value in named.items():
        if not UUID.match(value):
            raise InvalidInput(f"{name} takes an environment ID (list_environments shows them). Nothing was sent.")
    targets = [await plan.target("", env) for env in named.values()]
    if "site_id" in checked.path:
        site = await plan.site(checked.path["site_id"])
        live = site.environment_named("live") or next(iter(site.environments), None)
        targets += [Target(site, live)] if live is not None else []
    harmless = op.path in ("/operations/{operation_id}", "/validate")
    if plan.settings.allowed_sites and not targets and not harmless:
        raise OutOfScope(
            "This server may touch only some sites (KINSTA_ALLOWED_SITES), so call_endpoint takes only calls "
            f"addressed to one of their sites or environments (site_id or env_id); {op.line} names none. "
            "Nothing was sent."
        )
    return targets


def _preview(op: Operation, concrete: str, risk: Risk, why: str, targets: list[Target], c: checks.Checked) -> str:
    lines = [f"{risk.word.upper()}: {op.method} {concrete} on {API_NAMES[op.api]} — {op.summary or op.id}."]
    if why:
        lines.append(f"Why it is confirmed: it {why}.")
    if targets:
        lines.append("Affects: " + ", ".join(dict.fromkeys(t.label for t in targets)) + ".")
    if c.query:
        lines.append(f"Query: {json.dumps(c.query, ensure_ascii=False)}")
    if c.body is not None:
        shown, _ = shaping.mask(c.body, op.path)
        text = json.dumps(shown, ensure_ascii=False, separators=(",", ":"))
        lines.append(f"Body: {text[:1500]}{'…' if len(text) > 1500 else ''}")
    return "\n".join(lines)


def _result(op: Operation, action: str, status: int, body: Any, reveal: bool, offset: int) -> EndpointResult:
    data, masked = (body, []) if reveal else shaping.mask(body, op.path)
    data, cut, nxt = shaping.bound(data, offset)
    return EndpointResult(
        action=action, state="done", endpoint=f"{op.key} {op.line}", status=status, data=data, masked=masked,
        cut=cut, next_offset=nxt,
    )  # fmt: skip


def _message(body: Any) -> str:
    return str(body.get("message") or "") if isinstance(body, dict) else ""


def _started(op: Operation, action: str, body: Any) -> Job | None:
    """A job when the answer names one: a Kinsta operation, a deployment or a new database."""
    if not isinstance(body, dict):
        return None
    if body.get("operation_id"):
        return Job(JobKind.OPERATION, str(body["operation_id"]), action, relists=op.path.startswith("/sites"))
    if op.method != "POST":
        return None
    kinds = {
        r"^/applications(/\{id\})?/deployments$": (JobKind.APP_DEPLOYMENT, "deployment"),
        r"^/static-sites(/\{id\})?/deployments$": (JobKind.STATIC_DEPLOYMENT, "deployment"),
        r"^/databases$": (JobKind.DATABASE, "database"),
    }
    for pattern, (kind, key) in kinds.items():
        if re.match(pattern, op.path):
            inner = body.get(key) if isinstance(body.get(key), dict) else body
            ident = inner.get("id") if isinstance(inner, dict) else None
            return Job(kind, str(ident), action) if ident else None
    return None
