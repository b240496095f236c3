"""Reversible changes to environments: create, clone, web root, PHP allocation, Force HTTPS, a WordPress
admin, redirect rules added or changed. Weakening or access-granting ones are confirmed (SENSITIVE)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field

from kinsta_mcp.api import environments as ep
from kinsta_mcp.api.facade import Api
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import done, start
from kinsta_mcp.models.environments import RedirectRule
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef
from kinsta_mcp.tools.wordpress import domains, need, rules_from, source_env, whole_site, wordpress_install

EXTRAS = ("woocommerce", "wordpressseo", "edd", "multisite", "subdomain_multisite")
WEB_ROOT = re.compile(r"^/([a-zA-Z0-9_-]+/?)*$")
Action = Literal[
    "create",
    "create_plain",
    "clone",
    "webroot",
    "php_allocation",
    "force_https",
    "create_wp_admin",
    "redirect_add",
    "redirect_update",
]


def web_root(subfolder: str) -> str:
    value = "/" + subfolder.strip().strip("/") if subfolder.strip().strip("/") else "/"
    need(bool(WEB_ROOT.match(value)), f"web_root_subfolder {subfolder!r} may hold only letters, digits, _ - and /.")
    return value


def _check(a: dict[str, Any]) -> None:
    """What each action needs, checked before any request."""
    act = a["action"]
    need(
        act != "php_allocation" or (a["php_threads"] > 0 and a["php_memory_mb"] > 0),
        "php_allocation needs php_threads and php_memory_mb (per thread, e.g. 256).",
    )
    need(
        act != "force_https" or bool(a["force_https"]),
        "force_https needs force_https: ENABLED_FOR_ALL, ENABLED_REDIRECT_TO_PRIMARY or DISABLED.",
    )
    need(
        act != "create_wp_admin"
        or ("@" in a["admin_email"] and bool(a["first_name"].strip() and a["last_name"].strip())),
        "create_wp_admin needs admin_email, first_name and last_name.",
    )
    need(
        act != "redirect_add" or bool(a["redirect_from"].strip() and a["redirect_to"].strip()),
        "redirect_add needs redirect_from and redirect_to.",
    )
    need(
        act != "redirect_update" or bool(a["redirect_from"].strip()),
        "redirect_update needs redirect_from: the path the rule redirects from (e.g. /old-page).",
    )
    need(
        act != "redirect_update" or bool(a["redirect_to"].strip() or a["redirect_type"]),
        "redirect_update needs the new redirect_to and/or redirect_type.",
    )
    if act == "webroot":
        web_root(a["web_root_subfolder"])


def _elsewhere(target: Target, to: str) -> str:
    """The other host a redirect sends visitors to, or '' when it stays on this environment's domains."""
    text = to.strip()
    host = (urlsplit(text if "//" in text else "").hostname or "").lower()
    own = {d.lower() for d in target.env.domains} | {target.env.primary_domain.lower()}
    return host if host and host not in own else ""


async def _create(plan: Planner, a: dict[str, Any]) -> Change:
    found = await plan.site(a["site"])
    name, act = a["display_name"].strip(), a["action"]
    install = wordpress_install(
        "wordpress" if act == "create" else act,
        a["admin_email"],
        a["admin_user"],
        a["admin_password"],
        name,
        a["wp_language"],
        a["extras"],
        allowed=EXTRAS,
    )
    body: dict[str, Any] = {"display_name": name, "is_premium": a["premium"]}
    what = f"{'premium ' if a['premium'] else ''}environment {name!r} in {found.label}"
    if act == "clone":
        origin = await source_env(plan, found.id, a["source"])
        endpoint, action = ep.CLONE_ENVIRONMENT, f"Clone {origin.env.name} into {what}"
        body["source_env_id"] = origin.env.id
    elif act == "create_plain":
        endpoint, action = ep.CREATE_PLAIN_ENVIRONMENT, f"Create empty {what}"
    else:
        endpoint, action, body = ep.CREATE_ENVIRONMENT, f"Create WordPress {what}", body | install
    return plan.change(
        action,
        lambda api: start(api, endpoint, action=action, body=body, site_id=found.id),
        targets=[whole_site(found)],
    )


def _settings(plan: Planner, target: Target, a: dict[str, Any]) -> Change:
    act, env_id, label = a["action"], target.env.id, target.label
    if act == "webroot":
        root = web_root(a["web_root_subfolder"])
        action = f"Set web root of {label} to public{root.rstrip('/')}"
        return plan.change(
            action,
            lambda api: start(api, ep.WEBROOT, action=action, env_id=env_id, body={"web_root_subfolder": root}),
            targets=[target],
        )
    if act == "php_allocation":
        body = {"thread_count": a["php_threads"], "thread_memory": a["php_memory_mb"]}
        what = f"PHP {a['php_threads']} threads × {a['php_memory_mb']} MB for "
        if target.env.is_premium:  # Kinsta: the environment call is for premium staging only
            action = what + label
            return plan.change(
                action,
                lambda api: start(api, ep.ENV_PHP_ALLOCATION, action=action, env_id=env_id, body=body),
                targets=[target],
            )
        action = what + f"live and standard staging of {target.site.label}"
        return plan.change(
            action,
            lambda api: start(api, ep.SITE_PHP_ALLOCATION, action=action, site_id=target.site.id, body=body),
            targets=[target],
        )
    mode = a["force_https"]
    action = f"Force HTTPS {mode} on {label}"
    weaker = mode == "DISABLED"
    preview = (
        f"Turn Force HTTPS off on {label} ({domains(target)}): visitors may then use the site over plain, "
        "unencrypted HTTP."
        if weaker
        else ""
    )
    return plan.change(
        action,
        lambda api: start(api, ep.SET_FORCE_HTTPS, action=action, env_id=env_id, body={"type": mode}),
        preview=preview,
        targets=[target],
        risk=Risk.SENSITIVE if weaker else None,
    )


def _wp_admin(plan: Planner, target: Target, a: dict[str, Any]) -> Change:
    body = {
        "email": a["admin_email"].strip(),
        "first_name": a["first_name"].strip(),
        "last_name": a["last_name"].strip(),
    }
    action = f"Create WordPress admin {body['email']} on {target.label}"

    async def run(api: Api) -> Any:
        created = (await api.call(ep.WP_ADMIN_CREATE, body=body, env_id=target.env.id)).value
        need(
            created.create_wp_admin_user,
            f"Kinsta did not create the WordPress admin {body['email']} on {target.label}.",
        )
        return done(action)

    preview = (
        f"Create a WordPress administrator {body['email']} ({body['first_name']} {body['last_name']}) on "
        f"{target.label} ({domains(target)}): a new account with full control of the site."
    )
    return plan.change(action, run, preview=preview, targets=[target])


async def _redirect(plan: Planner, target: Target, a: dict[str, Any]) -> Change:
    if a["action"] == "redirect_add":
        rule = RedirectRule(
            domain=a["redirect_domain"].strip(),
            from_path=a["redirect_from"].strip(),
            to=a["redirect_to"].strip(),
            type=a["redirect_type"] or "permanent",
        )
        body: dict[str, Any] = {"action_type": "NEW", "new_value": rule.body()}
        action = f"Add redirect {rule.line()} on {target.label}"
    else:
        old = await rules_from(plan, target, a["redirect_from"], a["redirect_domain"])
        lines = "; ".join(RedirectRule.model_validate(r).line() for r in old)
        need(
            len(old) == 1, f"Several rules redirect from {a['redirect_from']!r} ({lines}): pick one by redirect_domain."
        )
        rule = RedirectRule.model_validate(old[0]).model_copy(
            update={"to": a["redirect_to"].strip() or old[0]["to"], "type": a["redirect_type"] or old[0]["type"]}
        )
        body = {"action_type": "UPDATE", "rules_to_update": old, "new_value": rule.body()}
        action = f"Change redirect to {rule.line()} on {target.label}"
    host = _elsewhere(target, rule.to)
    preview = (
        f"{action}: visitors of {rule.from_path} are sent to another site, {host}, which this account does not host."
        if host
        else ""
    )
    return plan.change(
        action,
        lambda api: start(api, ep.UPDATE_REDIRECT_RULES, action=action, env_id=target.env.id, body=body),
        preview=preview,
        targets=[target],
        risk=Risk.SENSITIVE if host else None,
    )


@tool(
    "environments",
    Risk.WRITE,
    "Change an environment",
    actions={"create_wp_admin": Risk.SENSITIVE},
    sensitive=True,  # Force HTTPS off, a redirect to another host
    needs={  # every missing one named at once, before anything is read or sent
        "create": ("display_name", "admin_email", "admin_user", "admin_password"),
        "create_plain": ("display_name",),
        "clone": ("display_name", "source"),
        "php_allocation": ("php_threads", "php_memory_mb"),
        "force_https": ("force_https",),
        "create_wp_admin": ("admin_email", "first_name", "last_name"),
        "redirect_add": ("redirect_from", "redirect_to"),
        "redirect_update": ("redirect_from",),
    },
)
async def change_environment(
    plan: Planner,
    action: Action,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    source: Annotated[str, Field(description="clone: copy from")] = "",
    display_name: str = "",
    premium: bool = False,
    admin_email: str = "",
    admin_user: str = "",
    admin_password: str = "",
    first_name: str = "",
    last_name: str = "",
    wp_language: str = "en_US",
    extras: list[Literal["woocommerce", "wordpressseo", "edd", "multisite", "subdomain_multisite"]] = [],  # noqa: B006
    web_root_subfolder: str = "",
    php_threads: int = 0,
    php_memory_mb: int = 0,
    force_https: Literal["", "ENABLED_FOR_ALL", "ENABLED_REDIRECT_TO_PRIMARY", "DISABLED"] = "",
    redirect_from: str = "",
    redirect_to: str = "",
    redirect_type: Literal["", "permanent", "redirect"] = "",
    redirect_domain: Annotated[str, Field(description="empty: all domains")] = "",
) -> Change:
    """Create/create_plain/clone staging; webroot, php_allocation, force_https, create_wp_admin, \
redirect_add/update. Weakening ones ask."""
    a = {k: v for k, v in locals().items() if k != "plan"}
    if action in ("create", "create_plain", "clone"):
        need(bool(display_name.strip()), f"{action} needs display_name, e.g. 'Staging 2'.")
        need(action != "clone" or bool(source.strip()), "clone needs source: the environment to copy.")
        wordpress_install(
            "wordpress" if action == "create" else action,
            admin_email,
            admin_user,
            admin_password,
            display_name,
            wp_language,
            list(extras),
            allowed=EXTRAS,
        )  # checked before the listing
        return await _create(plan, a)
    _check(a)
    target = await plan.target(site, environment)
    if action == "create_wp_admin":
        return _wp_admin(plan, target, a)
    if action.startswith("redirect_"):
        return await _redirect(plan, target, a)
    return _settings(plan, target, a)
