"""How a catalogue operation is sent: what the typed endpoints in kinsta_mcp/api/ declare by hand (base,
rate class, the job it may start, whether it may change the site listing), derived here from each
operation's API and path, plus which sites and environments a call names and which company value it
needs (docs/api-notes.md#request-details)."""

from __future__ import annotations

import functools
import re
from typing import Any

from kinsta_mcp import paas_refs
from kinsta_mcp.api.endpoint import Base, Endpoint, JobKind, RateClass
from kinsta_mcp.openapi.catalogue import Operation

BASES = {"kinsta": Base.KINSTA, "sevalla_v2": Base.PAAS, "sevalla_v3": Base.V3}
CREATES = re.compile(r"^/(sites|sites/clone|sites/plain|sites/\{site_id\}/environments(/plain|/clone)?|applications"
                     r"|applications/\{id\}/clone|databases|static-sites)$")  # fmt: skip
LOGS = re.compile(r"(/logs|-logs)$")
# Answers that name what to follow: a deployment, or a new database (Kinsta writes name an operation).
STARTS = (
    (re.compile(r"^/applications(/\{id\})?/deployments$"), JobKind.APP_DEPLOYMENT),
    (re.compile(r"^/static-sites(/\{id\})?/deployments$"), JobKind.STATIC_DEPLOYMENT),
    (re.compile(r"^/databases$"), JobKind.DATABASE),
)
WORDPRESS = ("/sites", "/domains")  # addressed by site, environment or zone: the allowlist's ground
ENV_PATH = ("env_id", "target_env_id")
ENV_BODY = ("environment_id", "env_id", "source_env_id", "target_env_id")
HARMLESS = frozenset({"/operations/{operation_id}", "/validate"})  # names no site, shows none
PAAS_KINDS = {"applications": paas_refs.APPLICATION, "databases": paas_refs.DATABASE,
              "static-sites": paas_refs.STATIC_SITE}  # fmt: skip


def endpoint(op: Operation) -> Endpoint:
    """The declaration a typed tool would write for `op`; the client and jobs.start take it as any other."""
    creates = op.method == "POST" and CREATES.match(op.path)
    job = next((kind for pattern, kind in STARTS if op.method == "POST" and pattern.match(op.path)), None)
    if job is None and op.method != "GET" and op.api == "kinsta":
        job = JobKind.OPERATION
    return Endpoint(
        op.method,
        op.path,
        base=BASES[op.api],
        sevalla_only=op.api == "sevalla_v2",
        rate=RateClass.CREATE if creates else RateClass.LOGS if LOGS.search(op.path) else RateClass.DEFAULT,
        job=job,
        job_optional=True,  # no spec says which answers name a job: follow one when it is there
        relists=_relists(op),
        name=op.key,
    )


def wordpress(op: Operation) -> bool:
    return op.api == "kinsta" or op.path.startswith(WORDPRESS)


def harmless(op: Operation) -> bool:
    return op.path in HARMLESS


def environments_named(path: dict[str, str], body: Any) -> dict[str, str]:
    """Parameter name → environment id, for every environment a call names in its path or body."""
    named = {n: path[n] for n in ENV_PATH if n in path}
    if isinstance(body, dict):
        named |= {n: str(body[n]) for n in ENV_BODY if isinstance(body.get(n), str)}
    return named


def company_params(op: Operation) -> list[str]:
    """The parameters that take the company id (a model should not have to look it up)."""
    names = [p.name for p in op.params if p.where == "query" and p.name in ("company", "company_id") and p.required]
    if op.path.startswith(("/company/{id}", "/company/{company_id}")):
        names.append(op.path.split("/")[2][1:-1])
    return names


def paas_kind(op: Operation) -> paas_refs.Kind | None:
    """The kind of resource a Sevalla path's `{id}` names (`/applications/{id}/…`), for resolving names."""
    head = op.path.strip("/").split("/")
    if op.api != "kinsta" and len(head) > 1 and head[1] == "{id}":
        return PAAS_KINDS.get(head[0])
    return None


def _relists(op: Operation) -> bool:
    """Whether a change may alter a cached listing: what the typed endpoint for the same call declares (a cache
    clear does not), and for a write no typed endpoint makes, yes: one listing too many beats a stale one."""
    if op.method == "GET":
        return False
    typed = _typed().get((BASES[op.api], op.method, op.path))
    return typed.relists if typed is not None else True


@functools.cache
def _typed() -> dict[tuple[Base, str, str], Endpoint]:
    import importlib
    import pkgutil

    import kinsta_mcp.api

    found: dict[tuple[Base, str, str], Endpoint] = {}
    for module in pkgutil.iter_modules(kinsta_mcp.api.__path__):
        for declared in getattr(importlib.import_module(f"kinsta_mcp.api.{module.name}"), "ENDPOINTS", {}).values():
            found[(declared.base, declared.method, declared.path)] = declared
    return found
