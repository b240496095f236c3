"""Domains of Sevalla applications and static sites (v3 only; the v2 API has none): list, get, add, delete,
refresh-status and set-primary, the same six paths under `/applications/{id}` and `/static-sites/{id}`.

Every call answers at once (no operation to follow). Adding answers with the new domain, its status and
the DNS records the user must create; refresh-status only starts a re-check, so the domain is read after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinsta_mcp.api.endpoint import Base, Endpoint, declare
from kinsta_mcp.models.domains import PaasDomain, PaasDomainPage

PAGE = 100  # the most a list call gives


@dataclass(frozen=True)
class Six:
    """list, get, add, delete, refresh, set_primary of one kind of owner (path parameters id, domain_id)."""

    list: Endpoint
    get: Endpoint
    add: Endpoint
    delete: Endpoint
    refresh: Endpoint
    set_primary: Endpoint


def _six(owner: str) -> tuple[Endpoint, ...]:
    path, item = f"{owner}/{{id}}/domains", f"{owner}/{{id}}/domains/{{domain_id}}"
    return (
        Endpoint("GET", path, base=Base.V3, model=PaasDomainPage),
        Endpoint("GET", item, base=Base.V3, model=PaasDomain),
        Endpoint("POST", path, base=Base.V3, model=PaasDomain),
        Endpoint("DELETE", item, base=Base.V3),
        Endpoint("POST", f"{item}/refresh-status", base=Base.V3),
        Endpoint("POST", f"{item}/set-primary", base=Base.V3),
    )


APP_DOMAINS, APP_DOMAIN, ADD_APP_DOMAIN, DELETE_APP_DOMAIN, REFRESH_APP_DOMAIN, SET_PRIMARY_APP_DOMAIN = _six(
    "/applications"
)
(
    STATIC_DOMAINS,
    STATIC_DOMAIN,
    ADD_STATIC_DOMAIN,
    DELETE_STATIC_DOMAIN,
    REFRESH_STATIC_DOMAIN,
    SET_PRIMARY_STATIC_DOMAIN,
) = _six("/static-sites")

ENDPOINTS = declare(globals())


def _named(prefix: str) -> Six:
    # After `declare`, which replaced each constant above with its named copy.
    names = ("{}_DOMAINS", "{}_DOMAIN", "ADD_{}_DOMAIN", "DELETE_{}_DOMAIN", "REFRESH_{}_DOMAIN")
    return Six(*(ENDPOINTS[name.format(prefix)] for name in (*names, "SET_PRIMARY_{}_DOMAIN")))


BY_KIND = {"application": _named("APP"), "static site": _named("STATIC")}
