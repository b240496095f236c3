"""Domains of Sevalla applications and static sites: the `service` half of list_domains, change_domains and
remove_domains (tools/domains.py declares the tools). Only the v3 API has them.

A domain goes VERIFICATION (ownership) → POINTING (verified, DNS not here yet) → ACTIVE, or TIMED_OUT; the
records to create come with it, so they are shown for every domain not yet active. refresh-status only starts a
re-check: the domain is read again right after, and may still show the old status for a while. The platform's
own (SYSTEM) domain cannot be removed, and neither can the primary one: both are refused before anything is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kinsta_mcp.api import paas_domains as ep
from kinsta_mcp.api.facade import Api, ReadApi
from kinsta_mcp.errors import InvalidInput, KinstaError
from kinsta_mcp.gate import Change
from kinsta_mcp.jobs import ChangeOutcome, done, start
from kinsta_mcp.models.domains import DomainAdded, DomainList, PaasDomain, SiteDomain
from kinsta_mcp.paas_refs import APPLICATION, STATIC_SITE, label, pick
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import no_match
from kinsta_mcp.tools.domain_inputs import hidden
from kinsta_mcp.tools.hostnames import as_written, pick_domain

MEANING = {
    "VERIFICATION": "ownership being verified",
    "POINTING": "verified; DNS does not point here yet",
    "TIMED_OUT": "verification timed out: check the DNS records, then refresh",
}
FULL = "display_name"
REFRESH = "Once the records exist, change_domains action=refresh re-checks it."


@dataclass(frozen=True)
class Service:
    id: str
    label: str  # "application Portfolio App (portfolio-app)"
    noun: str
    ep: ep.Six


async def service_of(plan: Planner, ref: str, site: str, environment: str) -> Service:
    """The application or static site `ref` names (ID, name or display name), before anything is sent."""
    if site.strip() or environment.strip():
        raise InvalidInput(
            "Pass service (a Sevalla application or static site) or site/environment (a WordPress environment), "
            "not both. Nothing was sent."
        )
    plan.api.need_v3("Domains of applications and static sites")
    hits = await _matches(plan, ref)
    if len(hits) == 2:  # a name both have, or a part of two names: what is written exactly wins
        exact = [(n, i) for n, i in hits if _exact(i, ref)]
        hits = exact if len(exact) == 1 else hits
    if len(hits) == 2:
        both = " and ".join(f"{noun} {label(item)} (id {item['id']})" for noun, item in hits)
        raise InvalidInput(f"{ref!r} matches {both}: pass the ID.")
    noun, item = hits[0]
    return Service(item["id"], f"{noun} {label(item)}", noun, ep.BY_KIND[noun])


async def _matches(plan: Planner, ref: str) -> list[tuple[str, dict[str, Any]]]:
    """What `ref` names among the applications and among the static sites: the cached listings first, fresh
    ones only when neither has it (one listing per kind, as paas_refs resolves a single kind)."""
    if not ref.strip():
        raise InvalidInput("Say which application or static site: its ID, name or display name.")
    for fresh in (False, True):
        hits, several, names = [], [], []
        for kind in (APPLICATION, STATIC_SITE):
            items = await plan.deps.catalog.items(plan.api, kind, fresh=fresh)
            names += [str(i.get(f, "")) for i in items for f in ("name", FULL)]
            try:
                hit = pick(items, kind, ref)
            except InvalidInput as many:  # several partial matches of one kind: listed, not guessed
                several.append(many.message)
                continue
            hits += [(kind.noun, hit)] if hit is not None else []
        if hits or several:
            break
    if several:  # several of one kind match a part: only an exact match of the other kind settles it
        hits = [(n, i) for n, i in hits if _exact(i, ref)]
    if not hits:
        how, where = "by ID, name or display name", "list_applications and list_static_sites list them."
        raise InvalidInput(" ".join(several) or no_match("application or static site", ref, names, how, where))
    return hits


def _exact(item: dict[str, Any], ref: str) -> bool:
    return ref.strip().lower() in {str(item.get(f, "")).lower() for f in ("id", "name", FULL)}


async def listed(api: ReadApi, svc: Service) -> list[PaasDomain]:
    found: list[PaasDomain] = []
    while len(found) < 10_000:  # the most the API pages through
        page = await api.get(svc.ep.list, query={"limit": ep.PAGE, "offset": len(found)}, id=svc.id)
        found += page.data
        if not page.data or len(found) >= page.total:
            break
    return found


def status_of(d: PaasDomain) -> str:
    words = [d.status + (f" ({MEANING[d.status.upper()]})" if d.status.upper() in MEANING else "")]
    if d.system:
        words.append("the platform's own domain" + ("" if d.is_enabled else ", disabled"))
    if d.is_wildcard:
        words.append("wildcard")
    if d.errors:
        words.append(f"errors: {json.dumps(d.errors, ensure_ascii=False)[:300]}")
    return ", ".join(words)


def records_of(d: PaasDomain, several: bool = False) -> list[str]:
    """The records a domain needs, one line each; the spec leaves their shape open, so anything else is quoted."""
    items = d.dns_records if isinstance(d.dns_records, list) else [d.dns_records] if d.dns_records else []
    lines = []
    for r in items:
        known = isinstance(r, dict) and {"type", "name", "value"} <= set(r)
        line = f"{r['type']} {r['name']} → {r['value']}" if known else json.dumps(r, ensure_ascii=False)[:300]
        lines.append(f"{d.name}: {line}" if several else line)
    return lines


async def list_domains(plan: Planner, svc: Service, records_for: str) -> DomainList:
    domains = await listed(plan.api, svc)
    if records_for.strip():
        chosen = [pick_domain(domains, records_for, svc.label)]
    else:
        chosen = [d for d in domains if not d.active and not d.system and d.dns_records]
    return DomainList(
        service_id=svc.id,
        environment=svc.label,
        primary_domain=next((d.name for d in domains if d.is_primary), ""),
        domains=[SiteDomain(id=d.id, name=d.name, status=status_of(d)) for d in domains],
        records_for=", ".join(d.name for d in chosen),
        dns_records=[line for d in chosen for line in records_of(d, len(chosen) > 1)],
    )


async def add(plan: Planner, svc: Service, names: list[str], pem: tuple[str, str]) -> Change:
    there = {as_written(d.name) for d in await listed(plan.api, svc)}
    if taken := [n for n in names if n in there]:
        raise InvalidInput(f"{', '.join(taken)} already is a domain of {svc.label}. Nothing was sent.")
    action = f"Add {' and '.join(names)} to {svc.label}{' with a custom SSL certificate' if pem[0] else ''}"

    async def run(api: Api) -> DomainAdded:
        added: list[PaasDomain] = []
        for name in names:
            # A wildcard is its base name with is_wildcard, as the spec's two fields have it.
            body: dict[str, Any] = {"domain_name": name.removeprefix("*.")}
            body |= {"is_wildcard": True} if name.startswith("*.") else {}
            body |= {"custom_ssl_cert": pem[0], "custom_ssl_key": pem[1]} if pem[0] else {}
            try:
                added.append((await api.call(svc.ep.add, body=body, id=svc.id)).value)
            except KinstaError as failure:
                failure.message += f" Added before it: {', '.join(d.name for d in added) or 'nothing'}."
                raise
        return DomainAdded(
            action=action,
            state="done",
            message="; ".join(f"{d.name}: {status_of(d)}" for d in added),
            dns_records=[line for d in added for line in records_of(d, len(added) > 1)],
        )

    return plan.change(
        action,
        lambda api: hidden(run(api), pem),
        domains=names,
        custom_ssl=bool(pem[0]),
        hint=REFRESH,
    )


async def set_primary(plan: Planner, svc: Service, ref: str) -> Change:
    domains = await listed(plan.api, svc)
    new = pick_domain(domains, ref, svc.label)
    if new.is_primary:
        raise InvalidInput(f"{new.name} already is the primary domain of {svc.label}.")
    old = next((d.name for d in domains if d.is_primary), "")
    action = f"Make {new.name} the primary domain of {svc.label}" + (f" (instead of {old})" if old else "")
    return plan.change(
        action,
        lambda api: start(api, svc.ep.set_primary, action=action, id=svc.id, domain_id=new.id),
        domains=[new.name],
        hint="" if new.active else f"{new.name} is not active yet ({status_of(new)}): it serves once its DNS is set.",
    )


async def refresh(plan: Planner, svc: Service, ref: str) -> Change:
    d = pick_domain(await listed(plan.api, svc), ref, svc.label)
    action = f"Re-check the status of {d.name} on {svc.label}"

    async def run(api: Api) -> DomainAdded:
        await api.call(svc.ep.refresh, id=svc.id, domain_id=d.id)
        now: PaasDomain = await api.get(svc.ep.get, id=svc.id, domain_id=d.id)
        return DomainAdded(
            action=action,
            state="done",
            message=f"Status now: {status_of(now)}",
            dns_records=[] if now.active else records_of(now),
        )

    return plan.change(
        action,
        run,
        domains=[d.name],
        hint="The re-check may take a minute to finish: list_domains shows the status later.",
    )


async def remove(plan: Planner, svc: Service, refs: list[str]) -> Change:
    domains = await listed(plan.api, svc)
    chosen = list({d.id: d for d in (pick_domain(domains, ref, svc.label) for ref in refs)}.values())
    for d in chosen:
        if d.is_primary:
            raise InvalidInput(
                f"{d.name} is the primary domain of {svc.label} and cannot be removed. Make another domain "
                "primary first (change_domains action=set_primary), then remove it."
            )
        if d.system:
            raise InvalidInput(
                f"{d.name} is the platform's own domain of {svc.label}: it cannot be removed, only disabled "
                "(in the Sevalla dashboard). Nothing was sent."
            )
    action = f"Remove {', '.join(d.name for d in chosen)} from {svc.label}"

    async def run(api: Api) -> ChangeOutcome:
        gone: list[str] = []
        for n, d in enumerate(chosen):
            try:
                await api.call(svc.ep.delete, id=svc.id, domain_id=d.id)
            except KinstaError as failure:
                rest = ", ".join(x.name for x in chosen[n + 1 :]) or "nothing"
                failure.message += f" Removed before it: {', '.join(gone) or 'nothing'}; not sent: {rest}."
                raise
            gone.append(d.name)
        return done(action, f"Removed: {', '.join(gone)}.")

    return plan.change(
        action,
        run,
        preview=(
            f"Remove {len(chosen)} domain(s) from {svc.label}: {', '.join(f'{d.name} (id {d.id})' for d in chosen)}. "
            f"The {svc.noun} stops answering on them and their SSL certificates go with them."
        ),
        domains=[d.name for d in chosen],
    )
