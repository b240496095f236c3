"""Domains of an environment: list them, add, remove, make one primary, and the DNS records one needs."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr

from kinsta_mcp.call import Call
from kinsta_mcp.client import ApiResponse, segment
from kinsta_mcp.errors import InvalidInput, KinstaError
from kinsta_mcp.models.base import ApiModel, Output
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef
from kinsta_mcp.waiting import OperationOutcome

_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"^(?:\*\.)?(?:{_LABEL}\.)+{_LABEL}$")


def hostname(value: str, what: str = "domain") -> str:
    """'https://Bäckerei.de/shop' → 'xn--bckerei-5wa.de'; InvalidInput unless it is a host name."""
    text = value.strip().lower()
    text = text.split("://", 1)[-1].split("/", 1)[0].rstrip(".")
    try:
        text = text.encode("idna").decode("ascii") if not text.isascii() else text
    except UnicodeError:
        text = ""
    if len(text) > 253 or not _HOSTNAME.match(text) or _is_ip(text):
        raise InvalidInput(f"{value!r} is not a valid {what} name (e.g. example.com or shop.example.com).")
    return text


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class GuidedOutcome(OperationOutcome):
    """An operation outcome with a hint of ours on what to do next (not part of the data)."""

    _hint: str = PrivateAttr("")

    def next_step(self) -> str:
        return "\n".join(s for s in (super().next_step(), self._hint) if s)


def guided(outcome: OperationOutcome, hint: str) -> GuidedOutcome:
    out = GuidedOutcome.model_validate(outcome.model_dump())
    out._hint = hint if outcome.state == "done" else ""
    return out


async def live_guard(call: Call, target: Target, what: str) -> None:
    """protect-live for changes a destructive tool makes without its own confirmation."""
    if call.settings.protect_live and target.env.is_live:
        await call.confirm(
            f"{what} on the LIVE environment of {target.site.label}. Live-site protection is on, so this needs your OK."
        )


class SiteDomain(ApiModel):
    id: str
    name: str


class DomainList(Output):
    environment_id: str
    primary_domain: str = ""
    domains: list[SiteDomain] = Field(default_factory=list)
    dns_records: list[str] = Field(default_factory=list)
    _label: str = PrivateAttr("")
    _records_for: str = PrivateAttr("")

    def summary(self) -> str:
        lines = [f"{len(self.domains)} domains on {self._label}:"]
        primary = self.primary_domain.lower()
        lines += [f"- {d.name}{' (primary)' if d.name.lower() == primary else ''}, id {d.id}" for d in self.domains]
        if self._records_for:
            lines.append(f"DNS records {self._records_for} needs (create them where its DNS is hosted):")
            lines += [f"- {r}" for r in self.dns_records] or ["- none"]
        return "\n".join(lines)


async def _listed(call: Call, target: Target) -> list[SiteDomain]:
    response = await call.api.get(f"/sites/environments/{segment(target.env.id)}/domains")
    items = ((response.data or {}).get("environment") or {}).get("site_domains") or []
    return [SiteDomain.model_validate(i) for i in items]


def _pick(domains: list[SiteDomain], ref: str, target: Target) -> SiteDomain:
    try:
        name = hostname(ref)
    except InvalidInput:
        name = ""
    for d in domains:
        if ref.strip().lower() == d.id.lower() or d.name.lower() == name:
            return d
    raise InvalidInput(
        f"{target.label} has no domain {ref!r}. Its domains: {', '.join(d.name for d in domains) or 'none'}."
    )


@tool("domains", Risk.READ, "List domains")
async def list_domains(
    call: Call,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    records_for: Annotated[str, Field(description="A domain: also list the DNS records it needs")] = "",
) -> DomainList:
    """List an environment's domains and the primary one."""
    target = await call.target(site, environment)
    out = DomainList(
        environment_id=target.env.id, primary_domain=target.env.primary_domain, domains=await _listed(call, target)
    )
    out._label = target.label
    if records_for.strip():
        chosen = _pick(out.domains, records_for, target)
        response = await call.api.get(f"/sites/environments/domains/{segment(chosen.id)}/verification-records")
        found = (response.data or {}).get("site_domain") or {}
        out._records_for = chosen.name
        out.dns_records = [
            f"{kind}: {r.get('type')} {r.get('name')} → {r.get('value')}"
            for kind, key in (("verify", "verification_records"), ("point", "pointing_records"))
            for r in found.get(key) or []
        ]
    return out


_ONLY_FOR: dict[str, str] = {
    "add_with_www_subdomain": "add",
    "setup_type": "add",
    "is_wildcardless": "add",
    "custom_ssl": "add",
    "run_search_and_replace": "set_primary",
}
_PEM = re.compile(r"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----", re.S)


def _check_options(action: str, given: dict[str, Any], domains: list[str]) -> None:
    """Everything that is wrong with the arguments, found before any request."""
    stray = [k for k, v in given.items() if v not in (False, "", "quick") and _ONLY_FOR[k] != action]
    if stray:
        raise InvalidInput(f"{', '.join(stray)} only apply to action={_ONLY_FOR[stray[0]]}, not {action}.")
    if action != "remove" and len(domains) != 1:
        raise InvalidInput(f"action={action} takes exactly one domain; got {len(domains)}.")
    if given["add_with_www_subdomain"] and given["is_wildcardless"]:
        raise InvalidInput(
            "add_with_www_subdomain cannot be combined with is_wildcardless=true (Kinsta refuses it). "
            "Add the www domain separately, or drop one of the two."
        )


def split_pem(text: str) -> tuple[str, str]:
    """custom_ssl (certificate chain and private key, PEM) → (certificates, key); never echoes them."""
    blocks = [(m[1], m[0]) for m in _PEM.finditer(text)]
    certs = "\n".join(b for kind, b in blocks if kind == "CERTIFICATE")
    keys = [b for kind, b in blocks if kind.endswith("PRIVATE KEY")]
    if not certs or len(keys) != 1:
        raise InvalidInput(
            "custom_ssl must hold the PEM certificate (-----BEGIN CERTIFICATE-----, chain allowed) and exactly one "
            f"PEM private key (-----BEGIN PRIVATE KEY-----); found {len(blocks)} PEM blocks, {len(keys)} keys."
        )
    return certs, keys[0]


async def _send(call: Call, method: str, path: str, body: dict[str, Any], secrets: tuple[str, ...]) -> ApiResponse:
    """One mutating request; Kinsta's error text never carries the SSL key or certificate back."""
    try:
        return await call.api.request(method, path, json=body)
    except KinstaError as failure:
        for secret in (s for s in secrets if s):
            failure.message = failure.message.replace(secret, "[hidden]")
        raise


@tool("domains", Risk.DESTRUCTIVE, "Change domains")
async def change_domains(
    call: Call,
    action: Literal["add", "remove", "set_primary"],
    domains: Annotated[list[str], Field(min_length=1, description="Names or IDs")],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    add_with_www_subdomain: bool = False,
    setup_type: Literal["quick", "avoid_downtime"] = "quick",
    is_wildcardless: bool = False,
    custom_ssl: Annotated[str, Field(description="PEM certificate and key")] = "",
    run_search_and_replace: bool = False,
) -> GuidedOutcome:
    """Actions: add a domain (is_wildcardless: no wildcard SSL), remove domains, set_primary
    (run_search_and_replace rewrites URLs in the database)."""
    given = {
        "add_with_www_subdomain": add_with_www_subdomain, "setup_type": setup_type, "is_wildcardless": is_wildcardless,
        "custom_ssl": custom_ssl.strip(), "run_search_and_replace": run_search_and_replace,
    }
    _check_options(action, given, domains)
    wait = call.settings.max_wait
    if action == "add":
        name = hostname(domains[0])
        cert, key = split_pem(custom_ssl) if custom_ssl.strip() else ("", "")
        target = await call.target(site, environment)
        both = f"{name} and www.{name}" if add_with_www_subdomain else name
        await live_guard(call, target, f"Add {both}")
        body: dict[str, Any] = {"domain_name": name, "is_wildcardless": is_wildcardless,
                                "add_with_www_subdomain": add_with_www_subdomain, "setup_type": setup_type}
        if cert:
            body |= {"custom_ssl_cert": cert, "custom_ssl_key": key}
        response = await _send(call, "POST", f"/sites/environments/{segment(target.env.id)}/domains", body, (cert, key))
        ssl = ", custom SSL certificate" if cert else ""
        outcome = await call.operation(response, action=f"Add {both} to {target.label} ({setup_type} setup{ssl})",
                                       max_wait=wait)
        return guided(outcome, f"Next: list_domains with records_for={name!r} shows the DNS records to create.")

    target = await call.target(site, environment)
    listed = await _listed(call, target)
    chosen = list({d.id: d for d in (_pick(listed, ref, target) for ref in domains)}.values())
    primary = target.env.primary_domain.lower()
    path = f"/sites/environments/{segment(target.env.id)}"
    if action == "remove":
        if any(d.name.lower() == primary for d in chosen):
            raise InvalidInput(
                f"{primary} is the primary domain of {target.label} and cannot be removed. Make another domain "
                "primary first (action=set_primary), then remove it."
            )
        names = ", ".join(f"{d.name} (id {d.id})" for d in chosen)
        await call.confirm(
            f"Remove {len(chosen)} domain(s) from {target.label}: {names}. The site stops answering on them and "
            "their SSL certificates go with them."
        )
        response = await call.api.delete(f"{path}/domains", json={"domain_ids": [d.id for d in chosen]})
        what = f"Remove {', '.join(d.name for d in chosen)} from {target.label}"
        return guided(await call.operation(response, action=what, max_wait=wait), "")

    new = chosen[0]
    if new.name.lower() == primary:
        raise InvalidInput(f"{new.name} already is the primary domain of {target.label}.")
    old = target.env.primary_domain or "the current primary domain"
    if run_search_and_replace:
        await call.confirm(
            f"Make {new.name} the primary domain of {target.label} and rewrite every {old} URL in its database to "
            f"{new.name} (search and replace). The database is changed in place; take a backup first if unsure."
        )
    else:
        await live_guard(call, target, f"Make {new.name} the primary domain (instead of {old})")
    response = await call.api.put(
        f"{path}/change-primary-domain", json={"domain_id": new.id, "run_search_and_replace": run_search_and_replace}
    )
    rewrite = " with URL search and replace" if run_search_and_replace else ""
    outcome = await call.operation(
        response, action=f"Make {new.name} the primary domain of {target.label}{rewrite}", max_wait=wait
    )
    hint = "" if run_search_and_replace else "URLs in the database still use the old domain (no search and replace)."
    return guided(outcome, hint)
