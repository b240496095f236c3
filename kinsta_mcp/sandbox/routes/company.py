"""Company-level reads: users, regions, API keys, the activity log, plus GET /validate (it reports the
key's company).

Area data lives in ``state.__dict__["company"]``, built on first use: the API keys and ~40 seeded
activity entries across every category (a running one, failed and warning ones, some started
through an API key, some by Kinsta itself). The log is also live: each long-running operation
started through this sandbox (cache clear, backup, push…) appears in it, newest first, started by
the owner through the sandbox's API key, as Kinsta logs API actions.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .. import seed as _seed
from ._common import ApiError, company_or_404, get_state

CATEGORIES = ("siteActions", "kinstaDns", "migrations", "billing", "notifications", "userManagement",
              "personalSettings", "samlSso")  # fmt: skip
LANGUAGES = ("da", "de", "en", "es", "fr", "it", "ja", "nl", "pt", "sv")
ROLES = ("owner", "admin", "developer", "developer")  # by seeded user
DEVICES = (("Chrome", "126.0.0", "macOS"), ("Firefox", "127.0", "Windows"), ("Chrome", "126.0.0", "Linux"),
           ("Safari", "17.5", "macOS"))  # fmt: skip
CI_KEY = "CI deploy (GitHub Actions)"
BLOCKED = "The environment is blocked by another process. Please try again a bit later."

# (category, type, site slug, description, who, outcome, public error), newest first. `who` is a
# seeded user's index, an API key name (used by user 0 for the sandbox key, user 2 for CI), or
# None for Kinsta itself. Outcome: "" done, "running", "failed", "warning".
_LOG: list[tuple[str, str, str | None, str, int | str | None, str, str | None]] = [
    ("siteActions", "createBackup", "client-dentist", 'Create manual backup of "Bright Smile Dental" Live', CI_KEY,
     "running", None),
    ("siteActions", "updatePlugins", "acmeshop", 'Update plugins on "Acme Shop" Live: woocommerce, wordpress-seo', 2,
     "warning", "1 of 2 plugins could not be updated: woocommerce-subscriptions requires PHP 8.3."),
    ("siteActions", "clearCache", "acmeshop", 'Clear cache of "Acme Shop" Live', CI_KEY, "", None),
    ("siteActions", "createBackup", "acmeshop", 'Create manual backup of "Acme Shop" Live: before theme update', 0,
     "", None),
    ("siteActions", "pushEnvironment", "blog-acme", 'Push "Acme Blog" Staging to Live', 1, "", None),
    ("siteActions", "pushEnvironment", "blog-acme", 'Push "Acme Blog" Staging to Live', 1, "failed", BLOCKED),
    ("kinstaDns", "addDnsRecord", "acmeshop", "Add TXT record _dmarc.acmeshop.com", 0, "", None),
    ("userManagement", "inviteUser", None, "Invite lena.novak@acmedigital.agency to the company as Developer", 0,
     "", None),
    ("siteActions", "changePhpVersion", "client-bakery", "Change PHP version of \"Rosie's Bakery\" Staging to 8.3",
     3, "", None),
    ("siteActions", "restartPhp", "client-bakery", "Restart PHP of \"Rosie's Bakery\" Live", CI_KEY, "", None),
    ("billing", "changePlan", None, "Change plan from WP 4 to WP 5", 0, "", None),
    ("siteActions", "addDomain", "client-dentist", 'Add domain termine.brightsmile-dental.de to "Bright Smile Dental"',
     2, "", None),
    ("siteActions", "createEnvironment", "client-dentist", 'Create Staging environment of "Bright Smile Dental"', 2,
     "", None),
    ("migrations", "requestMigration", None, "Request a free migration of oldbakery-site.co.uk", 1, "", None),
    ("migrations", "completeMigration", "client-bakery", "Migration of rosiesbakery.co.uk to Kinsta completed", None,
     "", None),
    ("notifications", "updateNotificationSettings", None, "Turn on email alerts for site downtime", 1, "", None),
    ("personalSettings", "enableTwoFactor", None, "Enable two-factor authentication (authenticator app)", 3,
     "", None),
    ("samlSso", "enableSamlSso", None, "Enable SAML single sign-on", 0, "", None),
    ("siteActions", "restoreBackup", "portfolio", 'Restore daily backup to "Portfolio" Live', 0, "", None),
    ("siteActions", "deleteEnvironment", "acmeshop", 'Delete environment "QA" of "Acme Shop"', 1, "", None),
    ("kinstaDns", "deleteDnsRecord", "acmeshop", "Delete CNAME record old.acmeshop.com", 2, "", None),
    ("userManagement", "changeUserRole", None, "Change role of tom.becker@acmedigital.agency to Developer", 0,
     "", None),
    ("billing", "updatePaymentMethod", None, "Update payment method", 0, "", None),
    ("siteActions", "updateWordPress", "blog-acme", 'Update WordPress of "Acme Blog" Live to 6.7.1', CI_KEY,
     "", None),
    ("siteActions", "clearCache", "blog-acme", 'Clear cache of "Acme Blog" Live', CI_KEY, "", None),
    ("siteActions", "addRedirectRule", "acmeshop", 'Add redirect /sale to /black-friday on "Acme Shop" Live', 3,
     "", None),
    ("siteActions", "generateSftpPassword", "client-bakery", "Generate a new SFTP password for \"Rosie's Bakery\" Live",
     2, "", None),
    ("userManagement", "removeUser", None, "Remove sam.ortiz@example.com from the company", 0, "", None),
    ("personalSettings", "changePassword", None, "Change account password", 2, "", None),
    ("billing", "addAddOn", "acmeshop", 'Add Redis add-on to "Acme Shop"', 0, "", None),
    ("siteActions", "enableEdgeCaching", "acmeshop", 'Enable edge caching on "Acme Shop" Live', 1, "", None),
    ("siteActions", "searchReplace", "blog-acme", 'Search and replace acmeblog.local with acmeblog.com on "Acme Blog" '
     "Staging", 2, "failed", "Search and replace timed out. No changes were made."),
    ("kinstaDns", "addDnsZone", "acmeshop", "Add acmeshop.com to Kinsta DNS", 0, "", None),
    ("notifications", "updateNotificationSettings", None, "Turn off the weekly analytics email", 3, "", None),
    ("migrations", "requestMigration", None, "Request a premium migration of dr-smile-old.de", 1, "", None),
    ("siteActions", "addDeniedIp", "acmeshop", 'Block IP 198.51.100.23 on "Acme Shop" Live', 1, "", None),
    ("samlSso", "updateSamlSso", None, "Require single sign-on for every company user", 0, "", None),
    ("userManagement", "inviteUser", None, "Invite priya.shah@acmedigital.agency to the company as Administrator", 0,
     "", None),
    ("siteActions", "createSite", "portfolio", 'Create site "Portfolio"', 0, "", None),
    ("siteActions", "deleteSite", "test-abc", 'Delete site "Test ABC"', 0, "", None),
]  # fmt: skip

# Known operation kinds, as the log words them; others are spelled out from the kind.
_OPERATION_WORDS = {"cache:clear": "Clear cache", "php:restart": "Restart PHP"}


def _area(state: Any) -> dict[str, Any]:
    area = state.__dict__.get("company")
    if area is None:
        area = state.__dict__["company"] = {"api_keys": _api_keys(state), "activity": _seed_activity(state)}
    return area


def _api_keys(state: Any) -> list[dict[str, Any]]:
    own_expiry = state.api_key_expires_at
    keys = [
        (state.api_key_name, "active", _iso(float(own_expiry)) if own_expiry else None),
        (CI_KEY, "active", None),
        ("Zapier integration", "expired", "2026-03-31T23:59:59.000Z"),
        ("Old agency laptop", "revoked", "2027-01-15T10:30:00.000Z"),
    ]
    return [
        {"id": _seed.stable_id("api-key", name), "name": name, "status": status, "expires_at": expires}
        for name, status, expires in keys
    ]


def _iso(ms: float) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _seed_activity(state: Any) -> list[dict[str, Any]]:
    """The seeded log, spaced a few hours apart back from now (so it always looks recent)."""
    now_ms = int(time.time() * 1000)
    hours = 1.0
    entries = []
    for index, (category, kind, slug, text, who, outcome, error) in enumerate(_LOG):
        entry = _entry(
            state,
            entry_id=34_182_000 - index * 7,
            created_at=now_ms - int(hours * 3_600_000),
            site_id=_seed.stable_id("site", slug) if slug else None,
            kind=kind,
            text=text,
            who=who,
            outcome=outcome,
            error=error,
        )
        entries.append({"category": category, "item": entry})
        hours += 1.5 + (index * 37 % 11) / 2  # uneven gaps, 1.5 to 6.5 hours
    return entries


def _entry(state: Any, *, entry_id: int, created_at: int, site_id: str | None, kind: str, text: str,
           who: int | str | None, outcome: str, error: str | None) -> dict[str, Any]:  # fmt: skip
    item: dict[str, Any] = {
        "id": entry_id,
        "site_id": site_id,
        "created_at": created_at,
        "is_done": outcome != "running",
        "has_failed": outcome == "failed",
        "has_warning": outcome == "warning",
        "type": kind,
        "public_error": error,
        "ip_address": None,
        "descriptions": [text],
    }
    if who is None:  # Kinsta itself: no person, no address
        return item
    user_index = who if isinstance(who, int) else (2 if who == CI_KEY else 0)
    user = state.users[user_index % len(state.users)] if state.users else None
    if user is not None:
        first = user["full_name"].split(" ")[0]
        item["initiated_by"] = {"id": user["id"], "role": ROLES[user_index % len(ROLES)],
                                "full_name": user["full_name"], "first_name": first}  # fmt: skip
    if isinstance(who, str):
        item["ip_address"] = "198.51.100.77" if who == CI_KEY else "203.0.113.200"
        item["api_key_info"] = {"id": _seed.stable_id("api-key", who), "name": who}
    else:
        browser, version, os_name = DEVICES[user_index % len(DEVICES)]
        item["ip_address"] = f"203.0.113.{10 + user_index}"
        item["user_agent_info"] = {"browser_name": browser, "browser_version": version, "os_name": os_name}
    return item


def _origin(state: Any, operation_id: str) -> tuple[str | None, str]:
    """(site id, "on <site> <env>") of the request that started an operation, when it can be told."""
    for request in reversed(state.requests):
        answer = request.response_json
        if not isinstance(answer, dict) or answer.get("operation_id") != operation_id:
            continue
        env_id = request.json.get("environment_id") if isinstance(request.json, dict) else None
        match = re.match(r"^/sites/environments/([^/]+)", request.path)
        env_id = env_id or (match.group(1) if match else None)
        found = state.find_environment(env_id) if env_id else None
        if found:
            site, env = found
            return site["id"], f' on "{site["display_name"]}" {env["display_name"]}'
        match = re.match(r"^/sites/([^/]+)$", request.path)
        site = state.find_site(match.group(1)) if match else None
        if site:
            return site["id"], f' of "{site["display_name"]}"'
        break
    return None, ""


def _operation_entries(state: Any) -> list[dict[str, Any]]:
    """One log entry per operation started through the sandbox."""
    entries = []
    now, wall = state.clock(), time.time()
    for number, op in enumerate(state.operations.values()):
        site_id, where = _origin(state, op.id)
        parts = re.split(r"[:\-]", op.kind)  # "backups:add-manual" → backupsAddManual, "Backups add manual"
        words = _OPERATION_WORDS.get(op.kind) or " ".join(parts).capitalize()
        done = op.is_done(now)
        entry = _entry(
            state,
            entry_id=34_190_000 + number,
            created_at=int((wall - (now - op.created_at)) * 1000),
            site_id=site_id,
            kind=parts[0] + "".join(p.capitalize() for p in parts[1:]),
            text=words + where,
            who=state.api_key_name,
            outcome="running" if not done else "failed" if op.fail_message else "",
            error=op.fail_message if done else None,
        )
        entries.append({"category": "siteActions", "item": entry})
    return entries


def _number(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be a number") from None
    if value < 0 or (name == "limit" and value < 1):
        raise ApiError(400, f"{name} is out of range")
    return int(value)


# ----- handlers -----------------------------------------------------------------------


async def validate(request: Request) -> JSONResponse:
    state = get_state(request)
    return JSONResponse(
        {
            "name": state.api_key_name,
            "expires_at": state.api_key_expires_at,
            "company": state.company_id,
            "status": "active",
        }
    )


TWO_FACTOR = ("app", None, "sms")
CAPABILITIES = (("company:owner",), ("sites:manage", "billing:view"), ("sites:view",))


async def list_users(request: Request) -> JSONResponse:
    state = get_state(request)
    company_or_404(state, request.path_params["id"])
    # Since October 2026 the user carries type_2fa and the item capabilities; neither shape is published:
    # these are our assumption (docs/api-notes.md#users-list-fields).
    users = [
        {
            "user": {
                "id": u["id"],
                "email": u["email"],
                "image": u["image"],
                "full_name": u["full_name"],
                "type_2fa": TWO_FACTOR[n % len(TWO_FACTOR)],
            },
            "capabilities": list(CAPABILITIES[n % len(CAPABILITIES)]),
        }
        for n, u in enumerate(state.users)
    ]
    return JSONResponse({"company": {"users": users}})


async def list_regions(request: Request) -> JSONResponse:
    state = get_state(request)
    company_or_404(state, request.path_params["id"])
    regions = [{"name": r["name"], "region": r["region"]} for r in state.regions]
    return JSONResponse({"company": {"available_regions": regions}})


async def list_api_keys(request: Request) -> JSONResponse:
    state = get_state(request)
    company_or_404(state, request.path_params["id"])
    keys = [{k: key[k] for k in ("id", "name", "status", "expires_at")} for key in _area(state)["api_keys"]]
    return JSONResponse({"api_keys": keys})


async def activity_logs(request: Request) -> JSONResponse:
    state = get_state(request)
    company_or_404(state, request.path_params["id"])
    query = request.query_params
    limit, offset = _number(request, "limit", 10), _number(request, "offset", 0)
    category = query.get("category") or ""
    if category and category not in CATEGORIES:
        raise ApiError(400, f"category must be one of {', '.join(CATEGORIES)}")
    if (query.get("language") or "en") not in LANGUAGES:
        raise ApiError(400, f"language must be one of {', '.join(LANGUAGES)}")
    entries = _operation_entries(state) + _area(state)["activity"]
    items = [e["item"] for e in entries if not category or e["category"] == category]
    filters = (("site_id", lambda i: i.get("site_id")),
               ("id_initiated_by", lambda i: (i.get("initiated_by") or {}).get("id")),
               ("id_api_key", lambda i: (i.get("api_key_info") or {}).get("id")))  # fmt: skip
    for name, value_of in filters:
        wanted = query.get(name)
        if wanted:
            items = [i for i in items if value_of(i) == wanted]
    items.sort(key=lambda i: -i["created_at"])
    page = items[offset : offset + limit]
    return JSONResponse({"company": {"activity_logs": {"items": page, "total": len(items)}}})


routes = [
    Route("/validate", validate, methods=["GET"]),
    Route("/company/{id}/users", list_users, methods=["GET"]),
    Route("/company/{id}/available-regions", list_regions, methods=["GET"]),
    Route("/company/{id}/api-keys", list_api_keys, methods=["GET"]),
    Route("/company/{id}/activity-logs", activity_logs, methods=["GET"]),
]
