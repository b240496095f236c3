"""Environments of a WordPress site: create, push, delete, settings, redirects, WP-CLI, logins."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.call import Call
from kinsta_mcp.client import ApiResponse, segment
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.models.environments import RedirectRule, file_paths_from, redirect_rules_from
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.refs import UUID, Target
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.text import iso_from_ms, mask
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef
from kinsta_mcp.waiting import OperationOutcome

Kind = Literal["wordpress", "plain", "clone"]
EXTRAS = ("woocommerce", "wordpressseo", "edd", "multisite", "subdomain_multisite")
FORCE_HTTPS = ("ENABLED_FOR_ALL", "ENABLED_REDIRECT_TO_PRIMARY", "DISABLED")
# The spec's pattern for wp_command (runWPCLICommand-Body).
WP_COMMAND = re.compile(r"^wp\s+[a-zA-Z0-9_\-./:=@'\s]+$")
WEB_ROOT = re.compile(r"^/([a-zA-Z0-9_-]+/?)*$")


# -- shared by sites.py ---------------------------------------------------------------------------


def wordpress_install(
    kind: str, admin_email: str, admin_user: str, admin_password: str, site_title: str, wp_language: str,
    extras: list[str], *, allowed: tuple[str, ...],
) -> dict[str, Any]:
    """The WordPress part of a site or environment creation body, checked before any request."""
    unknown = sorted(set(extras) - set(allowed))
    if unknown:
        raise InvalidInput(f"extras {', '.join(unknown)} cannot be used here; choose from {', '.join(allowed)}.")
    if kind != "wordpress":
        if extras or admin_email or admin_user or admin_password:
            raise InvalidInput(f"{kind}: admin_* and extras are only for a fresh WordPress install; leave them empty.")
        return {}
    missing = [n for n, v in (("admin_email", admin_email), ("admin_user", admin_user),
                              ("admin_password", admin_password)) if not v.strip()]
    if missing:
        raise InvalidInput(f"kind=wordpress needs {', '.join(missing)} (the first WordPress administrator).")
    if "@" not in admin_email:
        raise InvalidInput(f"admin_email {admin_email!r} is not an email address.")
    if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?(_\w+)?", wp_language):
        raise InvalidInput(f"wp_language is a WordPress locale such as en_US, de_DE or fr_FR, not {wp_language!r}.")
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


async def source_env(call: Call, site: str, ref: str) -> Target:
    """The environment a clone or push copies from. It is only read, so live-site protection does not ask;
    the scope allowlist still applies. Without a site, a reference means that site's live environment."""
    ref = ref.strip()
    if not ref:
        raise InvalidInput("Say which environment to copy from: `source` (a name such as staging, or an ID).")
    if site.strip() or UUID.match(ref):
        return await call.deps.directory.target(site, ref)
    return await call.deps.directory.target(ref, "")


def done(action: str, message: str = "") -> OperationOutcome:
    """For calls Kinsta answers at once (no operation to follow)."""
    return OperationOutcome(action=action, operation_id="", state="done", message=message)


async def finish(call: Call, response: ApiResponse, action: str) -> OperationOutcome:
    """Follow the operation when Kinsta started one, else report the answer as done."""
    data = response.data if isinstance(response.data, dict) else {}
    if data.get("operation_id"):
        return await call.operation(response, action=action, max_wait=call.settings.max_wait)
    call.deps.directory.invalidate()
    return done(action, str(data.get("message") or ""))


def _env_path(target: Target, tail: str = "") -> str:
    return f"/sites/environments/{segment(target.env.id)}" + (f"/{tail}" if tail else "")


def _domains(target: Target) -> str:
    return ", ".join(target.env.domains) or target.env.primary_domain or "no domains"


# -- reading --------------------------------------------------------------------------------------


class EnvironmentInfo(Page):
    environment: str
    show: str
    files: list[str] = Field(default_factory=list)
    rules: list[RedirectRule] = Field(default_factory=list)
    force_https: str = ""
    has_wp_admin_user: bool = False
    login_url: str = Field("", description="Masked unless revealed")
    expires_at: str = ""

    def summary(self) -> str:
        head = f"{self.environment}, {self.show}"
        if self.show == "files":
            return "\n".join([f"{head}: {self.page_note('paths')}"] + [f"- {p}" for p in self.files])
        if self.show == "redirects":
            return "\n".join([f"{head}: {self.page_note('redirect rules')}"] + [f"- {r.line()}" for r in self.rules])
        if self.show == "force_https":
            return f"{head}: {self.force_https or 'unknown (Kinsta sent no mode)'}"
        if self.show == "wp_admin_login" and not self.has_wp_admin_user:
            return f"{head}: no WordPress admin user with that email."
        until = f" (valid until {self.expires_at})" if self.expires_at else ""
        return f"{head}: {self.login_url or 'no link returned'}{until}"

    def next_step(self) -> str:
        if self.show == "wp_admin_login" and not self.has_wp_admin_user:
            return "To create that admin, call change_environment with action=create_wp_admin."
        if self.login_url.startswith("•"):
            return "The link is hidden; call again with reveal=true if the user wants it shown."
        return ""


def _force_https_mode(body: Any) -> str:
    """The mode from a body whose key is not documented (docs/api-notes.md#force-https): the first known value
    found."""
    if isinstance(body, str):
        return body if body in FORCE_HTTPS else ""
    values = body.values() if isinstance(body, dict) else body if isinstance(body, list) else []
    return next((m for m in map(_force_https_mode, values) if m), "")


async def _get(call: Call, target: Target, tail: str, params: dict[str, Any] | None = None) -> Any:
    return (await call.api.get(_env_path(target, tail), params=params)).data


async def _redirect_page(call: Call, target: Target, search: str, limit: int, offset: int) -> dict[str, Any]:
    """Kinsta pages redirect rules itself (limit/offset/search_query) and reports the total."""
    query = {"limit": limit, "offset": offset, "search_query": search}
    rules, total = redirect_rules_from(await _get(call, target, "redirect-rules", query))
    after = offset + len(rules)
    return {"rules": rules, "total": total, "offset": offset, "returned": len(rules),
            "next_offset": after if rules and after < total else -1}


async def _login_link(call: Call, target: Target, show: str, email: str, reveal: bool) -> dict[str, Any]:
    """A phpMyAdmin or wp-admin login link: asked for only after the user agreed to see it, when revealing."""
    what = "phpMyAdmin login link" if show == "phpmyadmin" else f"wp-admin login link for {email}"
    shown = await call.reveal(reveal, f"the {what} of {target.label}")
    if show == "phpmyadmin":
        data = (await call.api.post(_env_path(target, "pma-login-token"))).data or {}
        url, expires = str(data.get("url") or ""), data.get("expires_at")
    else:
        data = (await call.api.post(_env_path(target, "wpa-login-url"), json={"email": email})).data or {}
        url, expires = str(data.get("login_link") or data.get("url") or ""), None
    return {"login_url": url if shown else mask(url), "expires_at": iso_from_ms(expires) if expires else ""}


@tool("environments", Risk.READ, "Environment details", secret=True)
async def environment_info(
    call: Call,
    show: Literal["files", "redirects", "force_https", "phpmyadmin", "wp_admin_login"],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    search: str = "",
    email: str = "",
    limit: Limit = 50,
    offset: Offset = 0,
    reveal: Annotated[bool, Field(description="Show the secret in clear (asks the user)")] = False,
) -> EnvironmentInfo:
    """Files, redirect rules, Force HTTPS mode, or a phpMyAdmin/wp-admin (email) login link, hidden unless revealed."""
    email = email.strip()
    if show == "wp_admin_login" and "@" not in email:
        raise InvalidInput("wp_admin_login needs email: the WordPress administrator's email address.")
    target = await call.target(site, environment)
    info = EnvironmentInfo(environment=target.label, show=show)
    if show == "files":
        files, page = cut(file_paths_from(await _get(call, target, "file-list")), limit, offset)
        return info.model_copy(update=page | {"files": files})
    if show == "redirects":
        return info.model_copy(update=await _redirect_page(call, target, search, limit, offset))
    if show == "force_https":
        mode = _force_https_mode(await _get(call, target, "force-https-status"))
        return info.model_copy(update={"force_https": mode})
    if show == "wp_admin_login":
        exists = await _get(call, target, "wpa-user-exists", {"email": email})
        if not (exists or {}).get("has_wp_admin_user"):
            return info
        info.has_wp_admin_user = True
    return info.model_copy(update=await _login_link(call, target, show, email, reveal))


# -- changing ---------------------------------------------------------------------------------------

Action = Literal[
    "create", "create_plain", "clone", "push", "delete", "webroot", "php_allocation", "force_https",
    "create_wp_admin", "redirect_add", "redirect_update", "redirect_delete", "redirect_delete_all",
    "wp_cli", "search_count", "search_replace",
]
# Actions that overwrite or delete: they ask the user; the others are reversible settings.
DESTRUCTIVE = frozenset({"push", "delete", "redirect_delete", "redirect_delete_all", "wp_cli", "search_replace"})
RULE_KEYS = ("domain", "from", "to", "type", "traffic_from_city", "traffic_from_country",
             "traffic_from_country_name", "displayed_location")


@dataclass(frozen=True)
class Change:
    """The arguments of change_environment, handed to the function for its action."""

    action: str
    site: str
    environment: str
    source: str
    display_name: str
    premium: bool
    admin_email: str
    admin_user: str
    admin_password: str
    first_name: str
    last_name: str
    wp_language: str
    extras: list[str]
    parts: str
    files: list[str]
    replace_urls: bool
    web_root_subfolder: str
    php_threads: int
    php_memory_mb: int
    force_https: str
    redirect_from: str
    redirect_to: str
    redirect_type: str
    redirect_domain: str
    command: str
    search: str
    replace: str


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidInput(message)


def _web_root(subfolder: str) -> str:
    value = "/" + subfolder.strip().strip("/") if subfolder.strip().strip("/") else "/"
    _need(bool(WEB_ROOT.match(value)), f"web_root_subfolder {subfolder!r} may hold only letters, digits, _ - and /.")
    return value


def _wp_command(command: str) -> str:
    cmd = " ".join(command.split())
    cmd = cmd if cmd.startswith("wp ") else f"wp {cmd}"
    _need(bool(WP_COMMAND.match(cmd)) and len(cmd) <= 5000,
          f"Kinsta runs only `wp` commands made of letters, digits, spaces and _ - . / : = @ ' (no \", |, ; or $): "
          f"{cmd!r} does not qualify.")
    return cmd


def _check(a: Change) -> dict[str, Any]:
    """Everything an action needs, checked before any request; returns the WordPress install fields."""
    act = a.action
    if act in ("create", "create_plain", "clone"):
        _need(bool(a.display_name.strip()), f"{act} needs display_name, e.g. 'Staging 2'.")
        _need(act != "clone" or bool(a.source.strip()), "clone needs source: the environment to copy.")
        return wordpress_install("wordpress" if act == "create" else act, a.admin_email, a.admin_user,
                                 a.admin_password, a.display_name, a.wp_language, a.extras, allowed=EXTRAS)
    _need(not a.files or a.parts != "database", "files selects files to push; it cannot go with parts=database.")
    _need(act != "php_allocation" or (a.php_threads > 0 and a.php_memory_mb > 0),
          "php_allocation needs php_threads and php_memory_mb (per thread, e.g. 256).")
    _need(act != "force_https" or bool(a.force_https),
          "force_https needs force_https: ENABLED_FOR_ALL, ENABLED_REDIRECT_TO_PRIMARY or DISABLED.")
    _need(act != "create_wp_admin" or ("@" in a.admin_email and bool(a.first_name.strip() and a.last_name.strip())),
          "create_wp_admin needs admin_email, first_name and last_name.")
    _need(act != "redirect_add" or bool(a.redirect_from.strip() and a.redirect_to.strip()),
          "redirect_add needs redirect_from and redirect_to.")
    _need(act not in ("redirect_update", "redirect_delete") or bool(a.redirect_from.strip()),
          f"{act} needs redirect_from: the path the rule redirects from (e.g. /old-page).")
    _need(act != "redirect_update" or bool(a.redirect_to.strip() or a.redirect_type),
          "redirect_update needs the new redirect_to and/or redirect_type.")
    _need(act not in ("search_count", "search_replace") or (bool(a.search) and a.search != a.replace),
          f"{act} needs search, and a replace that differs from it.")
    if act == "webroot":
        _web_root(a.web_root_subfolder)
    if act == "wp_cli":
        _wp_command(a.command)
    return {}


async def _create(call: Call, a: Change, install: dict[str, Any]) -> OperationOutcome:
    found = await call.site(a.site)
    name = a.display_name.strip()
    body: dict[str, Any] = {"display_name": name, "is_premium": a.premium}
    path = f"/sites/{segment(found.id)}/environments"
    what = f"{'premium ' if a.premium else ''}environment {name!r} in {found.label}"
    if a.action == "clone":
        origin = await source_env(call, found.id, a.source)
        body["source_env_id"] = origin.env.id
        path, what = f"{path}/clone", f"Clone {origin.env.name} into {what}"
    elif a.action == "create_plain":
        path, what = f"{path}/plain", f"Create empty {what}"
    else:
        body |= install
        what = f"Create WordPress {what}"
    return await call.operation(await call.api.post(path, json=body), action=what, max_wait=call.settings.max_wait)


async def _push(call: Call, a: Change) -> OperationOutcome:
    origin = await source_env(call, a.site, a.source or "staging")
    dest = await call.target(a.site or origin.site.id, a.environment)
    _need(dest.env.id != origin.env.id and dest.site.id == origin.site.id,
          "push copies between two different environments of one site: check source and environment.")
    push_db, push_files = a.parts != "files", a.parts != "database"
    files = [f.strip().strip("/") for f in a.files if f.strip().strip("/")]
    parts = ["the database" if push_db else "", ("files " + ", ".join(files)) if files else
             "all files" if push_files else ""]
    await call.confirm(
        f"Push {origin.env.name} → {dest.env.name.upper() if dest.env.is_live else dest.env.name} of "
        f"{dest.site.label}: overwrites {' and '.join(filter(None, parts))} of {dest.env.name} ({_domains(dest)})"
        + (", then replaces the domain in its database" if push_db and a.replace_urls else "")
        + f". Changes made on {dest.env.name} since are lost. This cannot be undone."
    )
    body: dict[str, Any] = {
        "source_env_id": origin.env.id, "target_env_id": dest.env.id, "push_db": push_db, "push_files": push_files,
        "run_search_and_replace": a.replace_urls, "push_files_option": "SPECIFIC_FILES" if files else "ALL_FILES",
    }
    if files:
        body["file_list"] = files
    response = await call.api.put(f"/sites/{segment(dest.site.id)}/environments", json=body)
    return await call.operation(response, action=f"Push {origin.env.name} → {dest.env.name} of {dest.site.label}",
                                max_wait=call.settings.max_wait)


async def _delete(call: Call, target: Target) -> OperationOutcome:
    _need(not target.env.is_live, f"{target.label} is the live environment: Kinsta deletes it only together with "
                                  "its site (delete_site). Nothing was done.")
    await call.confirm(f"Delete environment {target.label} (id {target.env.id}, {_domains(target)}) with its files, "
                       "database and backups. This cannot be undone.")
    response = await call.api.delete(_env_path(target))
    return await call.operation(response, action=f"Delete environment {target.label}", max_wait=call.settings.max_wait)


async def _settings(call: Call, target: Target, a: Change) -> OperationOutcome:
    if a.action == "webroot":
        root = _web_root(a.web_root_subfolder)
        response = await call.api.post(_env_path(target, "change-webroot-subfolder"), json={"web_root_subfolder": root})
        return await finish(call, response, f"Set web root of {target.label} to public{root.rstrip('/')}")
    if a.action == "php_allocation":
        body = {"thread_count": a.php_threads, "thread_memory": a.php_memory_mb}
        what = f"PHP {a.php_threads} threads × {a.php_memory_mb} MB for "
        if target.env.is_premium:  # Kinsta: the environment call is for premium staging only
            response = await call.api.post(_env_path(target, "change-environment-php-allocation"), json=body)
            return await finish(call, response, what + target.label)
        response = await call.api.post(f"/sites/{segment(target.site.id)}/change-site-php-allocation", json=body)
        return await finish(call, response, what + f"live and standard staging of {target.site.label}")
    if a.action == "force_https":
        response = await call.api.post(_env_path(target, "force-https-status"), json={"type": a.force_https})
        return await finish(call, response, f"Force HTTPS {a.force_https} on {target.label}")
    body = {"email": a.admin_email.strip(), "first_name": a.first_name.strip(), "last_name": a.last_name.strip()}
    response = await call.api.post(_env_path(target, "wpa-create-user"), json=body)
    _need(bool((response.data or {}).get("create_wp_admin_user")),
          f"Kinsta did not create the WordPress admin {body['email']} on {target.label}.")
    return done(f"Create WordPress admin {body['email']} on {target.label}")


async def _matching_rules(call: Call, target: Target, a: Change) -> list[dict[str, Any]]:
    """The rules from `redirect_from` (on `redirect_domain` when given) as Kinsta sent them: UPDATE/DELETE send
    them back."""
    source, domain = a.redirect_from.strip(), a.redirect_domain.strip()
    query = {"limit": 500, "offset": 0, "search_query": source}
    data = (await call.api.get(_env_path(target, "redirect-rules"), params=query)).data or {}
    rules = ((data.get("environment") or {}).get("container_info") or {}).get("redirect_rules") or {}
    found = [{k: r.get(k) for k in RULE_KEYS} for r in rules.get("rules") or []
             if r.get("from") == source and (not domain or (r.get("domain") or "") == domain)]
    _need(bool(found), f"{target.label} has no redirect rule from {source!r}{f' on {domain}' if domain else ''}. "
                       "environment_info show=redirects lists them.")
    return found


async def _redirects(call: Call, target: Target, a: Change) -> OperationOutcome:
    path = _env_path(target, "redirect-rules")
    if a.action == "redirect_add":
        rule = RedirectRule(domain=a.redirect_domain.strip(), from_path=a.redirect_from.strip(),
                            to=a.redirect_to.strip(), type=a.redirect_type or "permanent")
        body: dict[str, Any] = {"action_type": "NEW", "new_value": rule.body()}
        what = f"Add redirect {rule.line()} on {target.label}"
    elif a.action == "redirect_delete_all":
        _, total = redirect_rules_from((await call.api.get(path, params={"limit": 1})).data)
        await call.confirm(f"Delete ALL {total} redirect rules of {target.label} ({_domains(target)}). Visitors of "
                           "the old URLs get errors instead. This cannot be undone.")
        body, what = {"action_type": "DELETE_ALL"}, f"Delete all redirect rules of {target.label}"
    else:
        old = await _matching_rules(call, target, a)
        lines = "; ".join(RedirectRule.model_validate(r).line() for r in old)
        if a.action == "redirect_delete":
            await call.confirm(f"Delete {len(old)} redirect rule(s) of {target.label}: {lines}. This cannot be undone.")
            body, what = {"action_type": "DELETE", "rules_to_update": old}, f"Delete redirect {lines}"
        else:
            _need(len(old) == 1, f"Several rules redirect from {a.redirect_from!r} ({lines}): pick one by "
                                 "redirect_domain.")
            new = RedirectRule.model_validate(old[0]).model_copy(
                update={"to": a.redirect_to.strip() or old[0]["to"], "type": a.redirect_type or old[0]["type"]})
            body = {"action_type": "UPDATE", "rules_to_update": old, "new_value": new.body()}
            what = f"Change redirect to {new.line()} on {target.label}"
    return await finish(call, await call.api.post(path, json=body), what)


async def _wp_cli(call: Call, target: Target, a: Change) -> OperationOutcome:
    cmd = _wp_command(a.command)
    await call.confirm(f"Run `{cmd}` on {target.label} ({_domains(target)}). WP-CLI can change or delete content, "
                       "users, plugins and settings.")
    response = await call.api.post(_env_path(target, "run-wp-cli-command"), json={"wp_command": cmd})
    return await call.operation(response, action=f"Run `{cmd}` on {target.label} (Kinsta returns no output)",
                                max_wait=call.settings.max_wait)


def _count(data: Any) -> int | None:
    """A match count from an answer whose shape is undocumented (docs/api-notes.md#search-and-replace)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, int) and not isinstance(value, bool) and any(
                    w in key.lower() for w in ("count", "match", "occurrence", "replace")):
                return value
        for value in data.values():
            if (found := _count(value)) is not None:
                return found
    return None


async def _search(call: Call, target: Target, a: Change) -> OperationOutcome:
    perform = a.action == "search_replace"
    if perform:
        await call.confirm(f"Replace every {a.search!r} with {a.replace!r} in the database of {target.label} "
                           f"({_domains(target)}). Take a backup first: this cannot be undone.")
    body = {"environment_id": target.env.id, "search": a.search, "replace": a.replace,
            "perform_replacement": perform, "is_clear_cache": perform}
    response = await call.api.post("/sites/tools/search-and-replace", json=body)
    outcome = await finish(call, response, f"{'Replace' if perform else 'Count'} {a.search!r} → {a.replace!r} in "
                                           f"{target.label}" + ("" if perform else " (dry run, nothing changed)"))
    found = _count(response.data)
    return outcome if found is None else outcome.model_copy(
        update={"message": f"{found} occurrences {'replaced' if perform else 'found'}"})


@tool("environments", Risk.DESTRUCTIVE, "Change an environment")
async def change_environment(
    call: Call,
    action: Action,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    source: Annotated[str, Field(description="clone/push: copy from")] = "",
    display_name: str = "",
    premium: bool = False,
    admin_email: str = "",
    admin_user: str = "",
    admin_password: str = "",
    first_name: str = "",
    last_name: str = "",
    wp_language: str = "en_US",
    extras: list[Literal["woocommerce", "wordpressseo", "edd", "multisite", "subdomain_multisite"]] = [],  # noqa: B006
    parts: Literal["all", "database", "files"] = "all",
    files: Annotated[list[str], Field(description="push only these paths")] = [],  # noqa: B006
    replace_urls: bool = True,
    web_root_subfolder: str = "",
    php_threads: int = 0,
    php_memory_mb: int = 0,
    force_https: Literal["", "ENABLED_FOR_ALL", "ENABLED_REDIRECT_TO_PRIMARY", "DISABLED"] = "",
    redirect_from: str = "",
    redirect_to: str = "",
    redirect_type: Literal["", "permanent", "redirect"] = "",
    redirect_domain: Annotated[str, Field(description="empty: all domains")] = "",
    command: str = "",
    search: str = "",
    replace: str = "",
) -> OperationOutcome:
    """Create/create_plain/clone staging, push source→environment, delete, webroot, php_allocation, \
force_https, create_wp_admin, redirect_*, wp_cli, search_count (dry run)/search_replace. Destructive ones ask."""
    a = Change(**{k: v for k, v in locals().items() if k != "call"})
    install = _check(a)
    if a.action in ("create", "create_plain", "clone"):
        return await _create(call, a, install)
    if a.action == "push":
        return await _push(call, a)
    if a.action not in DESTRUCTIVE:
        # Reversible settings: only live-site protection asks; a dry run changes nothing at all.
        call.risk = Risk.READ if a.action == "search_count" else Risk.WRITE
    target = await call.target(a.site, a.environment)
    if a.action == "delete":
        return await _delete(call, target)
    if a.action.startswith("redirect_"):
        return await _redirects(call, target, a)
    if a.action == "wp_cli":
        return await _wp_cli(call, target, a)
    if a.action.startswith("search_"):
        return await _search(call, target, a)
    return await _settings(call, target, a)
