"""WordPress sites: list, get, create (WordPress, plain, clone), reset, delete, PHP allocation, and a
site's environments.

A new WordPress site is what its options ask for: WooCommerce and Yoast SEO installed and active when
asked (list_plugins of its live environment shows them), its title and language in its options, and the
multisite choice remembered on the environment (``install``); no API answer shows multisite or language.
A clone carries its source's plugins and themes; an empty site has none.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..seed import stable_id
from ._common import (
    ApiError,
    accepted,
    company_or_404,
    environment_full_view,
    environment_slim_view,
    get_state,
    query_bool,
    read_json,
    require_query,
    require_str,
    site_or_404,
)
from .environments import (
    CREATED,
    LATEST_WORDPRESS,
    allocation,
    db_of,
    fresh_db,
    new_environment,
    primary_domain,
    require_install,
    slug,
    started,
)
from .plugins import PLUGINS, THEMES, installed

# The optional booleans of POST /sites (spec addWPSite-Body) and the plugin each one installs.
INSTALL_FLAGS = ("woocommerce", "wordpressseo", "is_multisite", "is_subdomain_multisite")
PLUGIN_OF = {"woocommerce": "woocommerce", "wordpressseo": "wordpress-seo"}
DEFAULT_THEME = {"name": "twentytwentyfive", "title": "Twenty Twenty-Five", "version": "1.2"}


def _site_list_view(site: dict[str, Any], include_environments: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": site["id"],
        "name": site["name"],
        "display_name": site["display_name"],
        "status": site["status"],
        "siteLabels": [{"id": label["id"], "name": label["name"]} for label in site["labels"]],
    }
    # Kinsta omits the key entirely unless asked, rather than sending [].
    if include_environments:
        view["environments"] = [environment_full_view(env) for env in site["environments"]]
    return view


async def list_sites(request: Request) -> JSONResponse:
    state = get_state(request)
    company_id = require_query(request, "company")
    include_environments = query_bool(request, "include_environments")
    company_or_404(state, company_id)
    sites = [_site_list_view(site, include_environments) for site in state.sites]
    return JSONResponse({"company": {"sites": sites}})


async def get_site(request: Request) -> JSONResponse:
    site = site_or_404(get_state(request), request.path_params["site_id"])
    return JSONResponse(
        {
            "site": {
                "id": site["id"],
                "name": site["name"],
                "display_name": site["display_name"],
                "company_id": site["company_id"],
                "status": site["status"],
                "environments": [environment_slim_view(env) for env in site["environments"]],
            }
        }
    )


async def delete_site(request: Request) -> JSONResponse:
    state = get_state(request)
    site = site_or_404(state, request.path_params["site_id"])

    def remove() -> None:
        # By identity: the same site may already be gone via a parallel delete.
        state.sites[:] = [s for s in state.sites if s is not site]

    op = state.start_operation("sites:delete", remove)
    return accepted(op, "Deleting site in progress")


async def list_environments(request: Request) -> JSONResponse:
    site = site_or_404(get_state(request), request.path_params["site_id"])
    return JSONResponse({"site": {"environments": [environment_full_view(env) for env in site["environments"]]}})


def _new_site(state: Any, display_name: str, region: str) -> dict[str, Any]:
    """A site with a unique machine name derived from the display name; its live environment is added later."""
    taken = {s["name"] for s in state.sites}
    base = slug(display_name)
    name = next(n for n in (base if i == 0 else f"{base}-{i + 1}" for i in range(len(taken) + 1)) if n not in taken)
    return {
        "id": stable_id("site", name),
        "name": name,
        "display_name": display_name,
        "company_id": state.company_id,
        "status": "live",
        "region": region,
        "labels": [],
        "environments": [],
    }


async def create_site(request: Request) -> JSONResponse:
    """POST /sites (WordPress), /sites/plain and /sites/clone."""
    state = get_state(request)
    body = await read_json(request)
    kind = request.url.path.rsplit("/", 1)[-1]  # sites | plain | clone
    company_or_404(state, require_str(body, "company"))
    display_name = require_str(body, "display_name")
    found = None
    if kind == "clone":
        found = state.find_environment(require_str(body, "source_env_id"))
        if found is None:
            raise ApiError(400, f"source_env_id {body['source_env_id']} is not an environment of this company")
        region = found[0]["region"]
    else:
        region = require_str(body, "region")
        if region not in {r["region"] for r in state.regions}:
            raise ApiError(400, f"Unknown region {region}")
    if kind == "sites":
        if body.get("install_mode") not in ("new", "plain", "clone"):
            raise ApiError(400, "install_mode must be new, plain or clone")
        require_install(body)
        for flag in INSTALL_FLAGS:
            if not isinstance(body.get(flag, False), bool):
                raise ApiError(400, f"{flag} must be a boolean")
    site = _new_site(state, display_name, region)
    source = found[1] if found else None
    live = new_environment(
        site,
        "live",
        "Live",
        php_version=source["php_version"] if source else "8.3",
        wordpress_version=LATEST_WORDPRESS if kind == "sites" else source["wordpress_version"] if source else None,
    )
    site["environments"].append(live)
    if found is not None:
        live["db"] = [line.replace(primary_domain(found[1]), primary_domain(live)) for line in db_of(*found)]
        for kind_of in ("plugins", "themes"):
            live[f"wp_{kind_of}"] = copy.deepcopy(installed(*found, kind_of))
    elif kind == "sites":
        _install(live, site, body)
    else:
        live["wp_plugins"], live["wp_themes"] = [], []  # no WordPress

    def add() -> None:
        if all(s["name"] != site["name"] for s in state.sites):
            state.sites.append(site)

    return started(state, CREATED[kind if kind == "sites" else f"{kind}-site"], add)


def _install(env: dict[str, Any], site: dict[str, Any], body: dict[str, Any]) -> None:
    """A fresh WordPress install as the body asks: title, language, plugins, multisite."""
    multisite = body.get("is_multisite", False) or body.get("is_subdomain_multisite", False)
    env["install"] = {
        "site_title": body["site_title"],
        "wp_language": body["wp_language"],
        "is_multisite": multisite,
        "is_subdomain_multisite": body.get("is_subdomain_multisite", False),
    }
    db = [f"blogname={body['site_title']}" if line.startswith("blogname=") else line for line in fresh_db(env, site)]
    env["db"] = [*db, f"WPLANG={'' if body['wp_language'] == 'en_US' else body['wp_language']}"]
    env["wp_admins"] = [{"email": body["admin_email"], "first_name": body["admin_user"], "last_name": ""}]
    wanted = {"akismet"} | {plugin for flag, plugin in PLUGIN_OF.items() if body.get(flag)}
    # WordPress ships Akismet inactive; what the site was created with is active, at its latest version.
    env["wp_plugins"] = [
        _fresh_row(slug, title, latest, active=slug != "akismet")
        for slug, title, _, latest, *_ in PLUGINS
        if slug in wanted
    ]
    older = [
        _fresh_row(slug, title, latest, active=False)
        for slug, title, _, latest, *_ in THEMES
        if slug.startswith("twenty")
    ]
    env["wp_themes"] = [_fresh_row(**DEFAULT_THEME, active=True), *older]


def _fresh_row(name: str, title: str, version: str, *, active: bool) -> dict[str, Any]:
    """A plugin or theme row (the plugins route's shape) of something just installed: up to date."""
    return {
        "name": name,
        "title": title,
        "status": "active" if active else "inactive",
        "version": version,
        "update": "none",
        "update_version": None,
        "update_status": None,
    }


async def reset_site(request: Request) -> JSONResponse:
    state = get_state(request)
    site = site_or_404(state, request.path_params["site_id"])
    require_str(await read_json(request), "admin_password")

    def reset() -> None:
        for env in site["environments"]:
            if env["name"] == "live":
                env["wordpress_version"] = LATEST_WORDPRESS
                env["db"] = fresh_db(env, site)
                for key in ("files", "wp_admins", "wp_cli_history"):
                    env.pop(key, None)
                env["reset_count"] = env.get("reset_count", 0) + 1

    return accepted(state.start_operation("sites:reset-site", reset), "Reset site in progress")


async def site_php_allocation(request: Request) -> JSONResponse:
    """Live and every standard staging environment; standard staging always keeps 2 threads (Kinsta docs)."""
    state = get_state(request)
    site = site_or_404(state, request.path_params["site_id"])
    wanted = allocation(await read_json(request))

    def apply() -> None:
        for env in site["environments"]:
            if not env["is_premium"]:
                threads = wanted["thread_count"] if env["name"] == "live" else 2
                env["php_allocation"] = {"thread_count": threads, "thread_memory": wanted["thread_memory"]}

    return accepted(
        state.start_operation("sites:change-site-php-allocation", apply), "Site PHP allocation change in progress"
    )


routes = [
    Route("/sites", list_sites, methods=["GET"]),
    Route("/sites", create_site, methods=["POST"]),
    Route("/sites/plain", create_site, methods=["POST"]),
    Route("/sites/clone", create_site, methods=["POST"]),
    Route("/sites/{site_id}/reset-site", reset_site, methods=["POST"]),
    Route("/sites/{site_id}/change-site-php-allocation", site_php_allocation, methods=["POST"]),
    Route("/sites/{site_id}", get_site, methods=["GET"]),
    Route("/sites/{site_id}", delete_site, methods=["DELETE"]),
    Route("/sites/{site_id}/environments", list_environments, methods=["GET"]),
]
