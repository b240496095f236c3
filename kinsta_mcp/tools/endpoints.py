"""The long tail: any operation of the Kinsta and Sevalla specs, found by words and called through the same
gate, job following, masking and fencing as every typed tool (kinsta_mcp/openapi/)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp import jobs
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput, OutOfScope
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import Started
from kinsta_mcp.models.endpoints import EndpointResult, Found, FoundEndpoint
from kinsta_mcp.openapi import binding, catalogue, checks, shaping
from kinsta_mcp.openapi.catalogue import Catalogue, Operation
from kinsta_mcp.openapi.risk import risk_of
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import UUID, Target
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.args import MaxWait, Reveal

ApiName = Literal["", "kinsta", "sevalla_v2", "sevalla_v3"]
API_NAMES = {"kinsta": "Kinsta", "sevalla_v2": "Sevalla v2", "sevalla_v3": "Sevalla v3"}


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
    if op.deprecated and (instead := ops.successor(op)):
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
        instead = ops.successor(op)
        raise InvalidInput(
            f"{op.line} was retired by Kinsta on 2026-01-31 (this hosting moved to Sevalla). "
            + (f"Use {instead.key} ({instead.line}) instead. " if instead else "")
            + "Nothing was sent."
        )
    given = {**from_path, **params}
    given |= {name: await _company(plan, op) for name in binding.company_params(op) if name not in given}
    await _human_ids(plan, op, given)
    checked = checks.request(ops, op, given, body or None)
    targets = await _targets(plan, op, checked)
    risk, why = risk_of(op, checked.body)
    target = binding.endpoint(op)
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
        return jobs.started(target, reply, action=action, service=API_NAMES[op.api])

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
    is_call = method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE") and path.strip().startswith("/")
    if is_call and (routed := ops.route(method, path.strip(), api)):
        return routed
    close = [op.key for op in ops.search(text, api=api, limit=3)]
    raise InvalidInput(
        f"No API operation is {text!r}. "
        + (f"Closest: {', '.join(close)}. " if close else "")
        + "Use an id from find_endpoint, or 'METHOD /path'. Nothing was sent."
    )


async def _company(plan: Planner, op: Operation) -> str:
    return await plan.api.paas_company() if op.api == "sevalla_v2" else plan.company_id


async def _human_ids(plan: Planner, op: Operation, given: dict[str, Any]) -> None:
    """A site, application, database or static site named as a person would is turned into its id."""
    site = given.get("site_id")
    if isinstance(site, str) and site.strip() and not UUID.match(site.strip()):
        given["site_id"] = (await plan.site(site)).id
    ref, kind = given.get("id"), binding.paas_kind(op)
    if kind is not None and isinstance(ref, str) and ref.strip() and not UUID.match(ref.strip()):
        given["id"] = str((await plan.resource(kind, ref))["id"])


async def _targets(plan: Planner, op: Operation, checked: checks.Checked) -> list[Target]:
    """The sites and environments a call names, for the allowlist and protect-live."""
    if not binding.wordpress(op):
        return []
    named = binding.environments_named(checked.path, checked.body)
    for name, value in named.items():
        if not UUID.match(value):
            raise InvalidInput(f"{name} takes an environment ID (list_sites with site= shows them). Nothing was sent.")
    targets = [await plan.target("", env) for env in named.values()]
    if "site_id" in checked.path:
        site = await plan.site(checked.path["site_id"])
        live = site.environment_named("live") or next(iter(site.environments), None)
        targets += [Target(site, live)] if live is not None else []
    if plan.settings.allowed_sites and not targets and not binding.harmless(op):
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
