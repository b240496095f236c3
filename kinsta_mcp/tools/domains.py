"""Domains of a WordPress environment (site/environment) or of a Sevalla application or static site (service):
list them (with the DNS records one needs), add, make one primary, re-check (services), remove.

The tools and the WordPress half live here; the Sevalla half is tools/paas_domains.py. Both take host names
through tools/hostnames.py and options through tools/domain_inputs.py, so `Shop.Example.com.` is one name
everywhere and no option is silently ignored.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import domains as ep
from kinsta_mcp.errors import InvalidInput, OutOfScope
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import start
from kinsta_mcp.models.domains import DomainAdded, DomainChange, DomainList, SiteDomain
from kinsta_mcp.models.sites import Site
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.tools import paas_domains as paas
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef
from kinsta_mcp.tools.domain_inputs import check_options, hidden, split_pem
from kinsta_mcp.tools.hostnames import hostname, pick_domain, with_www

DomainRefs = Annotated[list[str], Field(min_length=1, description="Names or IDs")]
ServiceRef = str  # a Sevalla application or static site (the Sevalla instructions say so)


async def _listed(plan: Planner, target: Target) -> list[SiteDomain]:
    return list(await plan.api.get(ep.DOMAINS, env_id=target.env.id))


def _pick(domains: list[SiteDomain], ref: str, target: Target) -> SiteDomain:
    return pick_domain(domains, ref, target.label)


@tool("domains", Risk.READ, "List domains")
async def list_domains(
    plan: Planner,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    service: ServiceRef = "",
    records_for: Annotated[str, Field(description="A domain: also list the DNS records it needs")] = "",
) -> DomainList:
    """List an environment's or service's domains, the primary one and DNS records needed."""
    if service.strip():
        return await paas.list_domains(plan, await paas.service_of(plan, service, site, environment), records_for)
    target = await plan.target(site, environment)
    out = DomainList(
        environment_id=target.env.id,
        environment=target.label,
        primary_domain=target.env.primary_domain,
        domains=await _listed(plan, target),
    )
    if records_for.strip():
        chosen = _pick(out.domains, records_for, target)
        found = await plan.api.get(ep.VERIFICATION_RECORDS, site_domain_id=chosen.id)
        out.records_for = chosen.name
        out.dns_records = [
            f"{kind}: {r.type} {r.name} → {r.value}"
            for kind, records in (("verify", found.verification_records), ("point", found.pointing_records))
            for r in records
        ]
    return out


async def _refuse_taken(plan: Planner, target: Target, names: list[str]) -> None:
    """A name already on an environment of the company is refused before anything is sent; one on a site
    outside KINSTA_ALLOWED_SITES is refused without naming that site."""
    sites: list[Site] = await plan.deps.directory.everywhere()  # the cached listing: no extra request
    for name in names:
        for s in sites:
            for env in s.environments:
                if name not in {d.lower() for d in env.domains} | {env.primary_domain.lower()}:
                    continue
                if not plan.deps.directory.in_scope(s):
                    raise OutOfScope(
                        f"{name} already belongs to another site of the company, outside the sites "
                        "this server may touch (KINSTA_ALLOWED_SITES). Nothing was done."
                    )
                where = "this environment" if env.id == target.env.id else f"{s.label} › {env.name}"
                raise InvalidInput(
                    f"{name} already is a domain of {where}; a domain can be on one environment "
                    "only. Remove it there first (remove_domains). Nothing was done."
                )


def _add_body(
    ref: str, with_twin: bool, setup_type: str, wildcardless: bool, custom_ssl: str
) -> tuple[list[str], dict[str, Any], tuple[str, str]]:
    """(names, body, (certificate, key)) of an addition; everything wrong is found before any request."""
    if with_twin and wildcardless:
        raise InvalidInput(
            "add_with_www_subdomain cannot be combined with is_wildcardless=true (Kinsta refuses it). "
            "Add the www domain separately, or drop one of the two."
        )
    name = hostname(ref)
    names = with_www(name) if with_twin else [name]
    cert, key = split_pem(custom_ssl) if custom_ssl.strip() else ("", "")
    body: dict[str, Any] = {
        "domain_name": name,
        "is_wildcardless": wildcardless,
        "add_with_www_subdomain": with_twin,
        "setup_type": setup_type,
    }
    if cert:
        body |= {"custom_ssl_cert": cert, "custom_ssl_key": key}
    return names, body, (cert, key)


async def _add(
    plan: Planner, target: Target, names: list[str], body: dict[str, Any], secrets: tuple[str, str]
) -> Change:
    await _refuse_taken(plan, target, names)
    action = (
        f"Add {' and '.join(names)} to {target.label} ({body['setup_type']} setup"
        f"{', custom SSL certificate' if secrets[0] else ''})"
    )
    return plan.change(
        action,
        lambda api: hidden(start(api, ep.ADD_DOMAIN, action=action, body=body, env_id=target.env.id), secrets),
        targets=[target],
        max_wait=plan.settings.max_wait,
        environment_id=target.env.id,
        domains=names,
        custom_ssl=bool(secrets[0]),
        hint=f"Next: list_domains with records_for={names[0]!r} shows the DNS records to create.",
    )


async def _set_primary(plan: Planner, target: Target, ref: str, rewrite: bool) -> Change:
    new = _pick(await _listed(plan, target), ref, target)
    if new.name.lower() == target.env.primary_domain.lower():
        raise InvalidInput(f"{new.name} already is the primary domain of {target.label}.")
    old = target.env.primary_domain or "the current primary domain"
    action = f"Make {new.name} the primary domain of {target.label}{' with URL search and replace' if rewrite else ''}"
    preview = (
        f"Make {new.name} the primary domain of {target.label} and rewrite every {old} URL in its database "
        f"to {new.name} (search and replace). The database is changed in place; take a backup first if "
        "unsure."
        if rewrite
        else f"Make {new.name} the primary domain of {target.label} (instead of {old})"
    )
    body = {"domain_id": new.id, "run_search_and_replace": rewrite}
    return plan.change(
        action,
        lambda api: start(api, ep.CHANGE_PRIMARY, action=action, body=body, env_id=target.env.id),
        preview=preview,
        targets=[target],
        max_wait=plan.settings.max_wait,
        # Rewriting URLs in the database is not undone by switching back: the user agrees first.
        risk=Risk.SENSITIVE if rewrite else Risk.WRITE,
        environment_id=target.env.id,
        domains=[new.name],
        search_and_replace=rewrite,
        hint="" if rewrite else "URLs in the database still use the old domain (no search and replace).",
    )


# set_primary with run_search_and_replace rewrites URLs in the database: the plan marks that change sensitive.
@tool("domains", Risk.WRITE, "Add, set primary or refresh domain", outcome=DomainAdded, sensitive=True)
async def change_domains(
    plan: Planner,
    action: Literal["add", "set_primary", "refresh"],
    domain: Annotated[str, Field(min_length=1, description="Name or ID")],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    service: ServiceRef = "",
    add_with_www_subdomain: bool = False,
    setup_type: Literal["quick", "avoid_downtime"] = "quick",
    is_wildcardless: bool = False,
    custom_ssl: Annotated[str, Field(description="PEM certificate and key")] = "",
    run_search_and_replace: bool = False,
) -> Change:
    """Add a domain (is_wildcardless: no wildcard SSL), make one primary (run_search_and_replace: URLs too) or
    re-check a service's domain."""
    options = {
        "add_with_www_subdomain": add_with_www_subdomain,
        "setup_type": setup_type != "quick",
        "is_wildcardless": is_wildcardless,
        "custom_ssl": bool(custom_ssl.strip()),
        "run_search_and_replace": run_search_and_replace,
    }
    on_service = bool(service.strip())
    check_options(action, on_service, options)
    if action == "refresh" and not on_service:
        raise InvalidInput(
            "action=refresh re-checks the domain of a Sevalla application or static site: pass service. "
            "WordPress domains have no status to refresh. Nothing was sent."
        )
    if on_service and action == "add":  # every input is checked before the service is looked up
        name = hostname(domain)
        names = with_www(name) if add_with_www_subdomain else [name]
        pem = split_pem(custom_ssl) if custom_ssl.strip() else ("", "")
        return await paas.add(plan, await paas.service_of(plan, service, site, environment), names, pem)
    if on_service:
        svc = await paas.service_of(plan, service, site, environment)
        return await (paas.set_primary if action == "set_primary" else paas.refresh)(plan, svc, domain)
    if action == "add":
        names, body, secrets = _add_body(domain, add_with_www_subdomain, setup_type, is_wildcardless, custom_ssl)
        return await _add(plan, await plan.target(site, environment), names, body, secrets)
    target = await plan.target(site, environment)
    return await _set_primary(plan, target, domain, run_search_and_replace)


@tool("domains", Risk.DESTRUCTIVE, "Remove domains", outcome=DomainChange)
async def remove_domains(
    plan: Planner, domains: DomainRefs, site: SiteRef = "", environment: EnvironmentRef = "", service: ServiceRef = ""
) -> Change:
    """Remove domains from an environment or service (not the primary one)."""
    if service.strip():
        return await paas.remove(plan, await paas.service_of(plan, service, site, environment), domains)
    target = await plan.target(site, environment)
    listed = await _listed(plan, target)
    chosen = list({d.id: d for d in (_pick(listed, ref, target) for ref in domains)}.values())
    primary = target.env.primary_domain.lower()
    if any(d.name.lower() == primary for d in chosen):
        raise InvalidInput(
            f"{primary} is the primary domain of {target.label} and cannot be removed. Make another domain "
            "primary first (change_domains action=set_primary), then remove it."
        )
    names = ", ".join(f"{d.name} (id {d.id})" for d in chosen)
    action = f"Remove {', '.join(d.name for d in chosen)} from {target.label}"
    body = {"domain_ids": [d.id for d in chosen]}
    return plan.change(
        action,
        lambda api: start(api, ep.REMOVE_DOMAINS, action=action, body=body, env_id=target.env.id),
        preview=(
            f"Remove {len(chosen)} domain(s) from {target.label}: {names}. The site stops answering on them "
            "and their SSL certificates go with them."
        ),
        targets=[target],
        max_wait=plan.settings.max_wait,
        environment_id=target.env.id,
        domains=[d.name for d in chosen],
    )
