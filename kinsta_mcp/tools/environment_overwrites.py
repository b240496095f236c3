"""What overwrites or deletes in an environment: push, delete, redirect rules removed, WP-CLI, search and
replace. Each one shows the user what it will do, by name, and runs only after they agreed."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import environments as ep
from kinsta_mcp.api.endpoint import JobKind
from kinsta_mcp.api.facade import Api
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import Job, Started, done, start
from kinsta_mcp.models.environments import RedirectRule
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef
from kinsta_mcp.tools.wordpress import count_in, domains, need, rules_from, source_env

# The spec's pattern for wp_command (runWPCLICommand-Body).
WP_COMMAND = re.compile(r"^wp\s+[a-zA-Z0-9_\-./:=@'\s]+$")
Action = Literal["push", "delete", "redirect_delete", "redirect_delete_all", "wp_cli", "search_replace"]


def _wp_command(command: str) -> str:
    cmd = " ".join(command.split())
    cmd = cmd if cmd.startswith("wp ") else f"wp {cmd}"
    need(
        bool(WP_COMMAND.match(cmd)) and len(cmd) <= 5000,
        f"Kinsta runs only `wp` commands made of letters, digits, spaces and _ - . / : = @ ' (no \", |, ; or $): "
        f"{cmd!r} does not qualify.",
    )
    return cmd


async def _push(
    plan: Planner, site: str, environment: str, source: str, parts: str, files: list[str], replace_urls: bool
) -> Change:
    need(not files or parts != "database", "files selects files to push; it cannot go with parts=database.")
    origin = await source_env(plan, site, source or "staging")
    dest = await plan.target(site or origin.site.id, environment)
    need(
        dest.env.id != origin.env.id and dest.site.id == origin.site.id,
        "push copies between two different environments of one site: check source and environment.",
    )
    push_db, push_files = parts != "files", parts != "database"
    paths = [f.strip().strip("/") for f in files if f.strip().strip("/")]
    what = [
        "the database" if push_db else "",
        ("files " + ", ".join(paths)) if paths else "all files" if push_files else "",
    ]
    preview = (
        f"Push {origin.env.name} → {dest.env.name.upper() if dest.env.is_live else dest.env.name} of "
        f"{dest.site.label}: overwrites {' and '.join(filter(None, what))} of {dest.env.name} "
        f"({domains(dest)})"
        + (", then replaces the domain in its database" if push_db and replace_urls else "")
        + f". Changes made on {dest.env.name} since are lost. This cannot be undone."
    )
    body: dict[str, Any] = {
        "source_env_id": origin.env.id,
        "target_env_id": dest.env.id,
        "push_db": push_db,
        "push_files": push_files,
        "run_search_and_replace": replace_urls,
        "push_files_option": "SPECIFIC_FILES" if paths else "ALL_FILES",
    }
    if paths:
        body["file_list"] = paths
    action = f"Push {origin.env.name} → {dest.env.name} of {dest.site.label}"
    return plan.change(
        action,
        lambda api: start(api, ep.PUSH_ENVIRONMENT, action=action, body=body, site_id=dest.site.id),
        preview=preview,
        targets=[dest],
    )


def _delete(plan: Planner, target: Target) -> Change:
    need(
        not target.env.is_live,
        f"{target.label} is the live environment: Kinsta deletes it only together with "
        "its site (delete_site). Nothing was done.",
    )
    action = f"Delete environment {target.label}"
    preview = (
        f"Delete environment {target.label} (id {target.env.id}, {domains(target)}) with its files, "
        "database and backups. This cannot be undone."
    )
    return plan.change(
        action,
        lambda api: start(api, ep.DELETE_ENVIRONMENT, action=action, env_id=target.env.id),
        preview=preview,
        targets=[target],
    )


async def _redirects(plan: Planner, target: Target, act: str, redirect_from: str, redirect_domain: str) -> Change:
    if act == "redirect_delete_all":
        total = (await plan.api.get(ep.REDIRECT_RULES, query={"limit": 1}, env_id=target.env.id)).count
        body: dict[str, Any] = {"action_type": "DELETE_ALL"}
        action = f"Delete all redirect rules of {target.label}"
        preview = (
            f"Delete ALL {total} redirect rules of {target.label} ({domains(target)}). Visitors of the old "
            "URLs get errors instead. This cannot be undone."
        )
    else:
        old = await rules_from(plan, target, redirect_from, redirect_domain)
        lines = "; ".join(RedirectRule.model_validate(r).line() for r in old)
        body, action = {"action_type": "DELETE", "rules_to_update": old}, f"Delete redirect {lines}"
        preview = f"Delete {len(old)} redirect rule(s) of {target.label}: {lines}. This cannot be undone."
    return plan.change(
        action,
        lambda api: start(api, ep.UPDATE_REDIRECT_RULES, action=action, env_id=target.env.id, body=body),
        preview=preview,
        targets=[target],
    )


def _search_replace(plan: Planner, target: Target, search: str, replace: str) -> Change:
    action = f"Replace {search!r} → {replace!r} in {target.label}"
    preview = (
        f"Replace every {search!r} with {replace!r} in the database of {target.label} ({domains(target)}). "
        "Take a backup first: this cannot be undone."
    )

    async def run(api: Api) -> Started:
        reply = await api.call(
            ep.SEARCH_REPLACE,
            body={
                "environment_id": target.env.id,
                "search": search,
                "replace": replace,
                "perform_replacement": True,
                "is_clear_cache": True,
            },
        )
        if reply.value.operation_id:
            return Job(JobKind.OPERATION, reply.value.operation_id, action)
        found = count_in(reply.body)
        return done(action, f"{found} occurrences replaced" if found is not None else reply.value.message)

    return plan.change(action, run, preview=preview, targets=[target])


@tool(
    "environments",
    Risk.DESTRUCTIVE,
    "Overwrite or delete in an environment",
    needs={"redirect_delete": ("redirect_from",), "wp_cli": ("command",), "search_replace": ("search",)},
)
async def overwrite_environment(
    plan: Planner,
    action: Action,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    source: Annotated[str, Field(description="push from (default staging)")] = "",
    parts: Literal["all", "database", "files"] = "all",
    files: Annotated[list[str], Field(description="push only these paths")] = [],  # noqa: B006
    replace_urls: bool = True,
    redirect_from: str = "",
    redirect_domain: str = "",
    command: str = "",
    search: str = "",
    replace: str = "",
) -> Change:
    """Push source→environment, delete it, redirect_delete(_all), wp_cli, or search_replace in the database. \
Asks first."""
    if action == "push":
        return await _push(plan, site, environment, source, parts, list(files), replace_urls)
    need(
        action != "redirect_delete" or bool(redirect_from.strip()),
        "redirect_delete needs redirect_from: the path the rule redirects from (e.g. /old-page).",
    )
    cmd = _wp_command(command) if action == "wp_cli" else ""
    if action == "search_replace":
        need(bool(search) and search != replace, "search_replace needs search, and a replace that differs from it.")
    target = await plan.target(site, environment)
    if action == "delete":
        return _delete(plan, target)
    if action.startswith("redirect_"):
        return await _redirects(plan, target, action, redirect_from, redirect_domain)
    if action == "search_replace":
        return _search_replace(plan, target, search, replace)
    what = f"Run `{cmd}` on {target.label}"
    return plan.change(
        f"{what} (Kinsta returns no output)",
        lambda api: start(
            api, ep.WP_CLI, action=f"{what} (Kinsta returns no output)", env_id=target.env.id, body={"wp_command": cmd}
        ),
        preview=f"{what} ({domains(target)}). WP-CLI can change or delete content, users, plugins and settings.",
        targets=[target],
    )
