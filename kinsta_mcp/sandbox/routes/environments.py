"""WordPress environments: create (WordPress, plain, clone), push, delete, PHP allocation, web root,
file list, phpMyAdmin, redirect rules, WP-CLI, Force HTTPS, search and replace, wp-admin users.

State lives on the environment dicts, created lazily from deterministic values the first time an
endpoint needs them: ``redirect_rules``, ``force_https``, ``wp_admins``, ``db`` (a few option and
content strings that search-and-replace works on), ``files``, plus records of what was done
(``last_push``, ``php_allocation``, ``wp_cli_history``, ``pma_tokens``). None of them is sent
back except through its own endpoint.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..seed import stable_id
from ._common import ApiError, accepted, env_or_404, get_state, read_json, require_query, require_str, site_or_404

# Endpoints documented after spec v1.87.0 (docs/api-notes.md sections in the comments).
ADDITIONS_2026 = {
    ("GET", "/sites/environments/{env_id}/force-https-status"),  # docs/api-notes.md#force-https
    ("POST", "/sites/environments/{env_id}/force-https-status"),  # docs/api-notes.md#force-https
    ("POST", "/sites/tools/search-and-replace"),  # docs/api-notes.md#search-and-replace
    ("GET", "/sites/environments/{env_id}/wpa-user-exists"),  # docs/api-notes.md#wordpress-admin-login
    ("POST", "/sites/environments/{env_id}/wpa-login-url"),  # docs/api-notes.md#wordpress-admin-login
    ("POST", "/sites/environments/{env_id}/wpa-create-user"),  # docs/api-notes.md#wordpress-admin-login
}

LATEST_WORDPRESS = "6.8.1"
DEFAULT_PHP = "8.3"
FORCE_HTTPS = ("ENABLED_FOR_ALL", "ENABLED_REDIRECT_TO_PRIMARY", "DISABLED")
RULE_KEYS = (
    "domain",
    "from",
    "to",
    "type",
    "traffic_from_country",
    "traffic_from_country_name",
    "traffic_from_city",
    "displayed_location",
)
WP_COMMAND = re.compile(r"^wp\s+[a-zA-Z0-9_\-./:=@'\s]+$")
WEB_ROOT = re.compile(r"^/([a-zA-Z0-9_-]+/?)*$")


# ----- building environments (also used by routes/sites.py) -----------------------------------------


# (operation kind, message) of each creation endpoint, keyed by the last path segment, as documented.
CREATED = {
    "sites": ("sites:add", "Adding site in progress"),
    "plain-site": ("sites:add-plain", "Adding plain site in progress"),
    "clone-site": ("site:clone", "Cloning site in progress"),
    "environments": ("environment:add", "Adding environment in progress"),
    "plain": ("environment:clone", "Creating plain environment in progress"),  # sic: documented so
    "clone": ("environment:clone", "Cloning environment in progress"),
}


def started(state: Any, kind_and_message: tuple[str, str], apply: Any) -> JSONResponse:
    """The 202 answer of a creation endpoint (kind and message from CREATED)."""
    kind, message = kind_and_message
    return accepted(state.start_operation(kind, apply), message)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "site"


def temporary_domain(site_name: str, env_name: str) -> str:
    return f"{site_name}.kinsta.cloud" if env_name == "live" else f"{env_name}-{site_name}.kinsta.cloud"


def new_environment(
    site: dict[str, Any],
    name: str,
    display_name: str,
    *,
    is_premium: bool = False,
    php_version: str = DEFAULT_PHP,
    wordpress_version: str | None = LATEST_WORDPRESS,
) -> dict[str, Any]:
    """An environment in the seed's internal shape, with a temporary *.kinsta.cloud domain."""
    site_name = site["name"]
    env_id = stable_id("env", site_name, name)
    number = int(env_id[:4], 16)
    domain = temporary_domain(site_name, name)
    live = name == "live"
    return {
        "id": env_id,
        "site_id": site["id"],
        "name": name,
        "display_name": display_name,
        "is_blocked": False,
        "id_edge_cache": stable_id("edge-cache", site_name, name) if live else None,
        "cdn_cache_id": stable_id("cdn-cache", site_name, name) if live else None,
        "is_opt_out_from_automatic_php_update": False,
        "web_root": f"/www/{site_name.replace('-', '')}_{100 + number % 900}/public",
        "image_optimization_type": "lossy" if live else "off",
        "is_additional_sftp_accounts_enabled": False,
        "is_premium": is_premium,
        "wordpress_version": wordpress_version,
        "domains": [
            {
                "id": stable_id("site-domain", domain),
                "name": domain,
                "site_id": site["id"],
                "is_active": True,
                "type": "live" if live else "staging",
            }
        ],
        "primary_domain_id": stable_id("site-domain", domain),
        "ssh_port": str(40000 + number % 20000),
        "ssh_ip": f"203.0.113.{100 + number % 100}",
        "container_id": stable_id("container", site_name, name),
        "php_version": php_version,
    }


def primary_domain(env: dict[str, Any]) -> str:
    return next((d["name"] for d in env["domains"] if d["id"] == env["primary_domain_id"]), env["domains"][0]["name"])


def fresh_db(env: dict[str, Any], site: dict[str, Any]) -> list[str]:
    """What a fresh install's database holds, as far as search-and-replace is concerned."""
    url = f"https://{primary_domain(env)}"
    return [
        f"siteurl={url}",
        f"home={url}",
        f"blogname={site['display_name']}",
        f'<a href="{url}/contact/">Contact</a>',
        f"{url}/wp-content/uploads/logo.png",
    ]


def db_of(site: dict[str, Any], env: dict[str, Any]) -> list[str]:
    if "db" not in env:
        env["db"] = fresh_db(env, site) if env["wordpress_version"] else []
    return env["db"]


def _wp_admins(env: dict[str, Any], state: Any) -> list[dict[str, str]]:
    if "wp_admins" not in env:
        first = state.users[0] if state.users and env["wordpress_version"] else None
        env["wp_admins"] = (
            []
            if first is None
            else [
                {
                    "email": first["email"],
                    "first_name": first["full_name"].split()[0],
                    "last_name": first["full_name"].split()[-1],
                }
            ]
        )
    return env["wp_admins"]


def _redirect_rules(env: dict[str, Any]) -> list[dict[str, Any]]:
    if "redirect_rules" not in env:
        custom = [d["name"] for d in env["domains"] if not d["name"].endswith(".kinsta.cloud")]
        env["redirect_rules"] = (
            [
                _rule(custom[0], "/old-shop", "/shop", "permanent"),
                _rule(None, "/blog/2019", "/blog", "permanent"),
                _rule(custom[0], "/promo", "https://example.com/sale", "redirect"),
            ]
            if custom
            else []
        )
    return env["redirect_rules"]


def _rule(domain: str | None, source: str, to: str, kind: str) -> dict[str, Any]:
    return {
        "domain": domain,
        "from": source,
        "to": to,
        "type": kind,
        "traffic_from_country": None,
        "traffic_from_country_name": None,
        "traffic_from_city": None,
        "displayed_location": None,
    }


def _files(env: dict[str, Any]) -> list[dict[str, Any]]:
    if "files" not in env:

        def folder(path: str, children: list[str]) -> dict[str, Any]:
            return {
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "children": [{"name": c, "path": f"{path}/{c}"} for c in children],
            }

        env["files"] = (
            []
            if not env["wordpress_version"]
            else [
                {"name": "wp-admin", "path": "wp-admin", "children": []},
                {
                    "name": "wp-content",
                    "path": "wp-content",
                    "children": [
                        folder("wp-content/plugins", ["akismet", "kinsta-mu-plugins"]),
                        folder("wp-content/themes", ["twentytwentyfour", "twentytwentyfive"]),
                        folder("wp-content/uploads", ["2025", "2026"]),
                    ],
                },
                {"name": "wp-includes", "path": "wp-includes", "children": []},
            ]
        )
    return env["files"]


# ----- request checks ------------------------------------------------------------------------------


def _bool(body: dict[str, Any], name: str, default: bool | None = None) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise ApiError(400, f"{name} is required and must be a boolean")
    return value


def _positive(body: dict[str, Any], name: str) -> float:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ApiError(400, f"{name} is required and must be a positive number")
    return value


def require_install(body: dict[str, Any]) -> None:
    """The WordPress fields POST /sites and POST /sites/{site_id}/environments require."""
    for name in ("admin_email", "admin_password", "admin_user", "site_title", "wp_language"):
        require_str(body, name)
    if "@" not in body["admin_email"]:
        raise ApiError(400, "admin_email must be an email address")


def _env_of_site(site: dict[str, Any], env_id: Any, name: str) -> dict[str, Any]:
    if not isinstance(env_id, str) or not env_id:
        raise ApiError(400, f"{name} is required")
    found = next((e for e in site["environments"] if e["id"] == env_id), None)
    if found is None:
        raise ApiError(400, f"{name} {env_id} is not an environment of site {site['id']}")
    return found


# ----- create, push, delete ---------------------------------------------------------------------------


async def create_environment(request: Request) -> JSONResponse:
    state = get_state(request)
    site = site_or_404(state, request.path_params["site_id"])
    body = await read_json(request)
    kind = request.url.path.rsplit("/", 1)[-1]  # environments | plain | clone
    display_name = require_str(body, "display_name")
    is_premium = _bool(body, "is_premium")
    source = _env_of_site(site, body.get("source_env_id"), "source_env_id") if kind == "clone" else None
    if kind == "environments":
        require_install(body)
    name = f"staging-{slug(display_name)}" if is_premium else "staging"
    if any(e["name"] == name for e in site["environments"]):
        raise ApiError(
            400,
            "This site already has a standard staging environment"
            if not is_premium
            else f"An environment named {name} already exists",
        )
    wordpress = LATEST_WORDPRESS if kind == "environments" else source["wordpress_version"] if source else None
    env = new_environment(
        site,
        name,
        display_name,
        is_premium=is_premium,
        wordpress_version=wordpress,
        php_version=source["php_version"] if source else DEFAULT_PHP,
    )
    if source is not None:  # a clone's database points at its own domain
        env["db"] = [line.replace(primary_domain(source), primary_domain(env)) for line in db_of(site, source)]
    if kind == "environments":
        env["wp_admins"] = [{"email": body["admin_email"], "first_name": body["admin_user"], "last_name": ""}]

    def add() -> None:
        site["environments"].append(env)

    return started(state, CREATED[kind], add)


async def push_environment(request: Request) -> JSONResponse:
    state = get_state(request)
    site = site_or_404(state, request.path_params["site_id"])
    body = await read_json(request)
    source = _env_of_site(site, body.get("source_env_id"), "source_env_id")
    target = _env_of_site(site, body.get("target_env_id"), "target_env_id")
    if source is target:
        raise ApiError(400, "source_env_id and target_env_id must differ")
    push_db, push_files = _bool(body, "push_db", True), _bool(body, "push_files", True)
    replace = _bool(body, "run_search_and_replace", True)
    option = body.get("push_files_option", "ALL_FILES")
    files = body.get("file_list") or []
    if option not in ("ALL_FILES", "SPECIFIC_FILES") or (option == "SPECIFIC_FILES" and not files):
        raise ApiError(400, "push_files_option is ALL_FILES, or SPECIFIC_FILES with a non-empty file_list")
    if not (push_db or push_files):
        raise ApiError(400, "Nothing to push: push_db and push_files are both false")

    def push() -> None:
        if push_db:
            db = list(db_of(site, source))
            if replace:
                db = [line.replace(primary_domain(source), primary_domain(target)) for line in db]
            target["db"] = db
        if push_files and option == "ALL_FILES":
            target["wordpress_version"] = source["wordpress_version"]
            target["files"] = [dict(f) for f in _files(source)]
        target["last_push"] = {
            "source_env_id": source["id"],
            "push_db": push_db,
            "push_files": push_files,
            "run_search_and_replace": replace,
            "file_list": list(files) if push_files else [],
        }

    return accepted(state.start_operation("environments:push", push), "Pushing environment in progress")


async def delete_environment(request: Request) -> JSONResponse:
    state = get_state(request)
    site, env = env_or_404(state, request.path_params["env_id"])
    if env["name"] == "live":
        raise ApiError(400, "A live environment can only be deleted together with its site")

    def remove() -> None:
        site["environments"][:] = [e for e in site["environments"] if e is not env]

    return accepted(state.start_operation("environments:delete", remove), "Deleting environment in progress")


# ----- settings ----------------------------------------------------------------------------------------


def allocation(body: dict[str, Any]) -> dict[str, float]:
    extra = set(body) - {"thread_count", "thread_memory"}
    if extra:
        raise ApiError(400, f"Unexpected field(s): {', '.join(sorted(extra))}")
    return {"thread_count": _positive(body, "thread_count"), "thread_memory": _positive(body, "thread_memory")}


async def environment_php_allocation(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    wanted = allocation(await read_json(request))
    if not env["is_premium"]:
        raise ApiError(400, "PHP allocation of a single environment can be changed for premium staging only")

    def apply() -> None:
        env["php_allocation"] = wanted

    return accepted(
        state.start_operation("environments:change-environment-php-allocation", apply),
        "Environment PHP allocation change in progress",
    )


async def change_webroot(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    subfolder = require_str(await read_json(request), "web_root_subfolder")
    if not WEB_ROOT.match(subfolder):
        raise ApiError(400, "web_root_subfolder must look like /folder or /folder/sub")

    def apply() -> None:
        base = env.setdefault("web_root_base", env["web_root"])
        env["web_root"] = base + subfolder.rstrip("/")

    return accepted(
        state.start_operation("sites:change-webroot-subfolder", apply),
        "Environment webroot subfolder change in progress",
    )


async def get_force_https(request: Request) -> JSONResponse:
    _, env = env_or_404(get_state(request), request.path_params["env_id"])
    mode = env.setdefault("force_https", "ENABLED_FOR_ALL")
    return JSONResponse({"environment": {"id": env["id"], "force_https": {"type": mode}}})


async def set_force_https(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    mode = require_str(await read_json(request), "type")
    if mode not in FORCE_HTTPS:
        raise ApiError(400, f"type must be one of {', '.join(FORCE_HTTPS)}")

    def apply() -> None:
        env["force_https"] = mode

    return accepted(state.start_operation("environments:force-https", apply), "Changing Force HTTPS in progress")


# ----- files, phpMyAdmin, WP-CLI, search and replace -------------------------------------------------------


async def file_list(request: Request) -> JSONResponse:
    _, env = env_or_404(get_state(request), request.path_params["env_id"])
    return JSONResponse({"environment": {"id": env["id"], "file_list": _files(env)}})


async def pma_login(request: Request) -> JSONResponse:
    _, env = env_or_404(get_state(request), request.path_params["env_id"])
    token = secrets.token_hex(32)
    env.setdefault("pma_tokens", []).append(token)
    url = f"https://mysqleditor-{env['container_id'][:8]}.kinsta.cloud?app-key={token}"
    return JSONResponse({"url": url, "expires_at": int((time.time() + 900) * 1000)})


async def run_wp_cli(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    command = require_str(await read_json(request), "wp_command")
    if len(command) > 5000 or not WP_COMMAND.match(command):
        raise ApiError(400, "wp_command must be a wp command of letters, digits and _-./:=@' only")

    def run() -> None:
        env.setdefault("wp_cli_history", []).append(command)
        if command.split()[1:3] == ["core", "update"]:
            env["wordpress_version"] = LATEST_WORDPRESS

    return accepted(
        state.start_operation("environment:run-wp-cli-command", run), "Running a WP CLI command in progress"
    )


async def search_and_replace(request: Request) -> JSONResponse:
    state = get_state(request)
    body = await read_json(request)
    site, env = env_or_404(state, require_str(body, "environment_id"))
    search, replace = require_str(body, "search"), body.get("replace")
    if not isinstance(replace, str):
        raise ApiError(400, "replace is required")
    perform, clear = _bool(body, "perform_replacement", False), _bool(body, "is_clear_cache", False)
    db = db_of(site, env)
    if not perform:
        matches = sum(line.count(search) for line in db)
        return JSONResponse({"search_and_replace": {"search": search, "replace": replace, "matches": matches}})

    def apply() -> None:
        env["db"] = [line.replace(search, replace) for line in db]
        if clear:
            env["last_cache_clear"] = time.time()

    return accepted(state.start_operation("sites:search-and-replace", apply), "Search and replace in progress")


# ----- redirect rules ------------------------------------------------------------------------------------


def _query_number(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    try:
        return default if raw in (None, "") else int(float(raw))
    except ValueError:
        raise ApiError(400, f"{name} must be a number") from None


async def get_redirect_rules(request: Request) -> JSONResponse:
    _, env = env_or_404(get_state(request), request.path_params["env_id"])
    rules = _redirect_rules(env)
    limit, offset = _query_number(request, "limit", 10), _query_number(request, "offset", 0)
    key = request.query_params.get("key", "domain")
    order = request.query_params.get("order", "ascend")
    query = request.query_params.get("search_query", "")
    if key not in ("domain", "from", "to", "type") or order not in ("ascend", "descend"):
        raise ApiError(400, "key is domain, from, to or type; order is ascend or descend")
    if request.query_params.get("regex_search", "false") == "true":
        try:
            pattern = re.compile(query)
        except re.error:
            raise ApiError(400, "search_query is not a valid regular expression") from None
        hits = [r for r in rules if any(pattern.search(r[k] or "") for k in ("domain", "from", "to"))]
    else:
        hits = [r for r in rules if any(query.lower() in (r[k] or "").lower() for k in ("domain", "from", "to"))]
    hits = sorted(hits, key=lambda r: r[key] or "", reverse=order == "descend")
    page = [{k: r.get(k) for k in RULE_KEYS} for r in hits[offset : offset + limit]]
    return JSONResponse(
        {
            "environment": {
                "id": env["id"],
                "container_info": {"redirect_rules": {"rules": page, "redirect_rules_count": len(hits)}},
            }
        }
    )


def _valid_rule(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ApiError(400, f"{name} is required")
    for key in ("from", "to"):
        require_str(value, key)
    if value.get("type") not in ("permanent", "redirect"):
        raise ApiError(400, f"{name}.type must be permanent or redirect")
    return {k: value.get(k) for k in RULE_KEYS}


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a.get("domain") or None) == (b.get("domain") or None) and a.get("from") == b.get("from")


async def update_redirect_rules(request: Request) -> JSONResponse:
    _, env = env_or_404(get_state(request), request.path_params["env_id"])
    body = await read_json(request)
    rules = _redirect_rules(env)
    action = body.get("action_type")
    targets = [_valid_rule(r, "rules_to_update[]") for r in body.get("rules_to_update") or []]
    if action in ("UPDATE", "DELETE"):
        if not targets:
            raise ApiError(400, "rules_to_update is required")
        missing = [t for t in targets if not any(_same(t, r) for r in rules)]
        if missing:
            raise ApiError(400, f"No redirect rule from {missing[0]['from']} on this environment")
    if action == "NEW":
        new = _valid_rule(body.get("new_value"), "new_value")
        if any(_same(new, r) for r in rules):
            raise ApiError(400, f"A redirect rule from {new['from']} already exists for that domain")
        rules.append(new)
    elif action == "UPDATE":
        new = _valid_rule(body.get("new_value"), "new_value")
        index = next(i for i, r in enumerate(rules) if _same(targets[0], r))
        rules[index] = new
    elif action == "DELETE":
        rules[:] = [r for r in rules if not any(_same(t, r) for t in targets)]
    elif action == "DELETE_ALL":
        rules.clear()
    else:
        raise ApiError(400, "action_type must be NEW, UPDATE, DELETE or DELETE_ALL")
    return JSONResponse({"status": 200, "message": "Successfully updated redirect rules"})


# ----- WordPress admin one-click login ---------------------------------------------------------------------


async def wp_admin_exists(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    email = require_query(request, "email").lower()
    return JSONResponse({"has_wp_admin_user": any(a["email"].lower() == email for a in _wp_admins(env, state))})


async def wp_admin_create(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    body = await read_json(request)
    user = {k: require_str(body, k) for k in ("email", "first_name", "last_name")}
    admins = _wp_admins(env, state)
    if not env["wordpress_version"]:
        raise ApiError(400, "This environment has no WordPress installed")
    if any(a["email"].lower() == user["email"].lower() for a in admins):
        raise ApiError(400, f"A WordPress admin user with email {user['email']} already exists")
    admins.append(user)
    return JSONResponse({"create_wp_admin_user": True})


async def wp_admin_login(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    email = require_str(await read_json(request), "email").lower()
    if not any(a["email"].lower() == email for a in _wp_admins(env, state)):
        raise ApiError(404, f"No WordPress admin user with email {email}")
    link = f"https://{primary_domain(env)}/wp-login.php?kinsta-sso={secrets.token_hex(24)}"
    return JSONResponse({"login_link": link})


_ENV = "/sites/environments/{env_id}"

routes = [
    Route("/sites/{site_id}/environments", create_environment, methods=["POST"]),
    Route("/sites/{site_id}/environments/plain", create_environment, methods=["POST"]),
    Route("/sites/{site_id}/environments/clone", create_environment, methods=["POST"]),
    Route("/sites/{site_id}/environments", push_environment, methods=["PUT"]),
    Route(_ENV, delete_environment, methods=["DELETE"]),
    Route(f"{_ENV}/change-environment-php-allocation", environment_php_allocation, methods=["POST"]),
    Route(f"{_ENV}/change-webroot-subfolder", change_webroot, methods=["POST"]),
    Route(f"{_ENV}/file-list", file_list, methods=["GET"]),
    Route(f"{_ENV}/pma-login-token", pma_login, methods=["POST"]),
    Route(f"{_ENV}/redirect-rules", get_redirect_rules, methods=["GET"]),
    Route(f"{_ENV}/redirect-rules", update_redirect_rules, methods=["POST"]),
    Route(f"{_ENV}/run-wp-cli-command", run_wp_cli, methods=["POST"]),
    Route(f"{_ENV}/force-https-status", get_force_https, methods=["GET"]),
    Route(f"{_ENV}/force-https-status", set_force_https, methods=["POST"]),
    Route("/sites/tools/search-and-replace", search_and_replace, methods=["POST"]),
    Route(f"{_ENV}/wpa-user-exists", wp_admin_exists, methods=["GET"]),
    Route(f"{_ENV}/wpa-create-user", wp_admin_create, methods=["POST"]),
    Route(f"{_ENV}/wpa-login-url", wp_admin_login, methods=["POST"]),
]
