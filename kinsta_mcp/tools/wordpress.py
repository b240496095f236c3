"""What site and environment tools share: the WordPress install fields of a creation body, the environment
a clone or push copies from, redirect rules by source path, and following answers that may be operations."""

from __future__ import annotations

import re
from typing import Any, Literal

from kinsta_mcp.api import environments as ep
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.models.sites import Site
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import UUID, Target

Kind = Literal["wordpress", "plain", "clone"]
SITE_EXTRAS = ("woocommerce", "wordpressseo", "multisite", "subdomain_multisite")
# The keys of a redirect rule as the spec lists them: what UPDATE/DELETE send back.
RULE_KEYS = (
    "domain",
    "from",
    "to",
    "type",
    "traffic_from_city",
    "traffic_from_country",
    "traffic_from_country_name",
    "displayed_location",
)


def need(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidInput(message)


def wordpress_install(
    kind: str,
    admin_email: str,
    admin_user: str,
    admin_password: str,
    site_title: str,
    wp_language: str,
    extras: list[str],
    *,
    allowed: tuple[str, ...],
) -> dict[str, Any]:
    """The WordPress part of a site or environment creation body, checked before any request."""
    unknown = sorted(set(extras) - set(allowed))
    need(not unknown, f"extras {', '.join(unknown)} cannot be used here; choose from {', '.join(allowed)}.")
    if kind != "wordpress":
        need(
            not (extras or admin_email or admin_user or admin_password),
            f"{kind}: admin_* and extras are only for a fresh WordPress install; leave them empty.",
        )
        return {}
    missing = [
        n
        for n, v in (("admin_email", admin_email), ("admin_user", admin_user), ("admin_password", admin_password))
        if not v.strip()
    ]
    need(not missing, f"kind=wordpress needs {', '.join(missing)} (the first WordPress administrator).")
    need("@" in admin_email, f"admin_email {admin_email!r} is not an email address.")
    need(
        bool(re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?(_\w+)?", wp_language)),
        f"wp_language is a WordPress locale such as en_US, de_DE or fr_FR, not {wp_language!r}.",
    )
    body = {
        "admin_email": admin_email.strip(),
        "admin_user": admin_user.strip(),
        "admin_password": admin_password,
        "site_title": site_title.strip(),
        "wp_language": wp_language,
        "is_multisite": "multisite" in extras or "subdomain_multisite" in extras,
        "is_subdomain_multisite": "subdomain_multisite" in extras,
        "woocommerce": "woocommerce" in extras,
        "wordpressseo": "wordpressseo" in extras,
    }
    if "edd" in allowed:
        body["wordpress_plugin_edd"] = "edd" in extras
    return body


async def source_env(plan: Planner, site: str, ref: str) -> Target:
    """The environment a clone or push copies from. Without a site, a reference means that site's live
    environment. The scope allowlist applies (the resolver checks it)."""
    ref = ref.strip()
    need(bool(ref), "Say which environment to copy from: `source` (a name such as staging, or an ID).")
    if site.strip() or UUID.match(ref):
        return await plan.target(site, ref)
    return await plan.target(ref, "")


def whole_site(site: Site) -> Target:
    """A target naming a site rather than one environment: the gate checks its scope, and live-site
    protection (which looks at environments) does not ask, e.g. for a new staging or a copy from live."""
    return Target(site, None)  # type: ignore[arg-type]  # the gate reads env None as "no environment"


def domains(target: Target) -> str:
    return ", ".join(target.env.domains) or target.env.primary_domain or "no domains"


async def rules_from(plan: Planner, target: Target, source: str, domain: str) -> list[dict[str, Any]]:
    """The rules redirecting from `source` (on `domain` when given), as Kinsta sent them: UPDATE and DELETE
    send them back."""
    source, domain = source.strip(), domain.strip()
    page = await plan.api.get(
        ep.REDIRECT_RULES, query={"limit": 500, "offset": 0, "search_query": source}, env_id=target.env.id
    )
    found = [
        {k: r.get(k) for k in RULE_KEYS}
        for r in page.rules
        if r.get("from") == source and (not domain or (r.get("domain") or "") == domain)
    ]
    need(
        bool(found),
        f"{target.label} has no redirect rule from {source!r}{f' on {domain}' if domain else ''}. "
        "environment_info show=redirects lists them.",
    )
    return found


def count_in(data: Any) -> int | None:
    """A match count from an answer whose shape is undocumented (docs/api-notes.md#search-and-replace)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if (
                isinstance(value, int)
                and not isinstance(value, bool)
                and any(w in key.lower() for w in ("count", "match", "occurrence", "replace"))
            ):
                return value
        for value in data.values():
            if (found := count_in(value)) is not None:
                return found
    return None
