"""Operations and parameters documented after the shipped specs (docs/api-notes.md#additions and
#sevalla-v2-additions). They have no schema to check against: only the names listed here are accepted.

Nothing here is invented: an announced endpoint whose path or body is not published (the other
bot-protection calls, the October 2026 user calls; docs/api-notes.md#known-unpublished) is absent until
Kinsta publishes it, then it is one line here (or comes with a newer spec file).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Addition:
    api: str
    method: str
    path: str
    summary: str
    query: tuple[str, ...] = ()
    body: tuple[str, ...] = ()  # accepted body fields (none required: their rules are not published)


_ENV = "/sites/environments/{env_id}"
_WINDOW = ("company_id", "time_span", "from", "to")
_TOP_LISTS = {
    "response-codes": "Analytics: response codes",
    "top-asns": "Analytics: top networks (ASNs)",
    "top-browsers": "Analytics: top browsers",
    "top-cities": "Analytics: top cities",
    "top-client-ips": "Analytics: top client IPs",
    "top-countries": "Analytics: top countries",
    "top-hosts": "Analytics: top hosts",
    "top-referrers": "Analytics: top referrers",
    "top-uas": "Analytics: top user agents",
    "visits-dispersion": "Analytics: visits by device",
}

ADDITIONS: tuple[Addition, ...] = (
    Addition("kinsta", "GET", "/company/{company_id}/wp-plugins", "Company-wide WordPress plugin inventory",
             ("status", "column", "order_by", "limit", "offset", "search")),
    Addition("kinsta", "GET", "/company/{company_id}/wp-themes", "Company-wide WordPress theme inventory",
             ("status", "column", "order_by", "limit", "offset", "search")),
    *(Addition("kinsta", "GET", f"{_ENV}/wp-{kind}", f"An environment's WordPress {kind} (filters: status, "
               "column=vulnerable|updatesAvailable)", ("status", "column")) for kind in ("plugins", "themes")),
    *(Addition("kinsta", "GET", f"{_ENV}/analytics/{name}", summary, _WINDOW) for name, summary in _TOP_LISTS.items()),
    Addition("kinsta", "GET", f"{_ENV}/force-https-status", "Get the Force HTTPS mode"),
    Addition("kinsta", "POST", f"{_ENV}/force-https-status", "Set the Force HTTPS mode", body=("type",)),
    Addition("kinsta", "POST", "/sites/tools/search-and-replace", "Search and replace in the database",
             body=("environment_id", "search", "replace", "perform_replacement", "is_clear_cache")),
    Addition("kinsta", "GET", f"{_ENV}/next-downloadable-backup-available",
             "When the next downloadable backup may be requested"),
    Addition("kinsta", "POST", f"{_ENV}/downloadable-backups", "Request a downloadable backup"),
    Addition("kinsta", "GET", f"{_ENV}/bot-protection/level", "Get the bot protection level"),
    Addition("kinsta", "PUT", f"{_ENV}/bot-protection/level", "Set the bot protection level", body=("level",)),
    Addition("kinsta", "POST", f"{_ENV}/wpa-create-user", "Create a WordPress admin user",
             body=("email", "first_name", "last_name")),
    Addition("kinsta", "GET", f"{_ENV}/wpa-user-exists", "Is there a WordPress admin with this email", ("email",)),
    Addition("kinsta", "POST", f"{_ENV}/wpa-login-url", "One-click wp-admin login link", body=("email",)),
    Addition("sevalla_v2", "GET", "/company/{id}/paas-usage", "Company PaaS usage and costs per billing period",
             ("period_offset",)),
    Addition("sevalla_v2", "GET", "/applications/processes/{id}", "Get an application process"),
)  # fmt: skip

# Parameters added to operations the specs do have: (api, METHOD, path) → names.
EXTRA_QUERY: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("kinsta", "GET", f"{_ENV}/logs"): ("from", "to", "search"),
}
EXTRA_BODY: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("kinsta", "POST", f"{_ENV}/domains"): ("add_with_www_subdomain", "setup_type"),
}
