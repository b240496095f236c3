"""Reading an environment (files, redirect rules, Force HTTPS, a search-and-replace dry run) and minting
phpMyAdmin / wp-admin login links."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import bot_protection as bot_ep
from kinsta_mcp.api import cache as cache_ep
from kinsta_mcp.api import environments as ep
from kinsta_mcp.api.endpoint import JobKind
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, Job
from kinsta_mcp.models.environments import RedirectRule
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.text import iso_from_ms, mask
from kinsta_mcp.tools.args import EnvironmentRef, Reveal, SiteRef
from kinsta_mcp.tools.wordpress import count_in, domains, need

FORCE_HTTPS = ("ENABLED_FOR_ALL", "ENABLED_REDIRECT_TO_PRIMARY", "DISABLED")


class EnvironmentInfo(Page):
    environment: str
    show: str
    files: list[str] = Field(default_factory=list)
    rules: list[RedirectRule] = Field(default_factory=list)
    force_https: str = ""
    blocked_ips: list[str] = Field(default_factory=list)
    bot_protection: str = Field("", description="The level: what it does")
    search: str = ""
    matches: int = Field(-1, description="search_count: occurrences found; -1 when Kinsta did not say")
    action: str = ""
    state: str = ""
    message: str = ""
    jobs: dict[str, str] = Field(default_factory=dict)

    def summary(self) -> str:
        head = f"{self.environment}, {self.show}"
        if self.show == "files":
            return "\n".join([f"{head}: {self.page_note('paths')}"] + [f"- {p}" for p in self.files])
        if self.show == "redirects":
            return "\n".join([f"{head}: {self.page_note('redirect rules')}"] + [f"- {r.line()}" for r in self.rules])
        if self.show == "force_https":
            return f"{head}: {self.force_https or 'unknown (Kinsta sent no mode)'}"
        if self.show == "blocked_ips":
            return f"{head}: " + (", ".join(self.blocked_ips) or "none (no IP is refused)")
        if self.show == "bot_protection":
            return f"{head}: {self.bot_protection}"
        found = (
            f"{self.matches} occurrences of {self.search!r}"
            if self.matches >= 0
            else (self.message or f"Kinsta did not say how many ({self.state})")
        )
        return f"{self.action}: {found}."

    def next_step(self) -> str:
        pending = [key for key, state in self.jobs.items() if state == "running"]
        return f"To keep waiting, call wait_for_job with jobs={pending!r}." if pending else ""


class Counted(ChangeOutcome):
    matches: int = -1


def _force_https_mode(body: Any) -> str:
    """The mode from a body whose key is not documented (docs/api-notes.md#force-https): the first known value
    found."""
    if isinstance(body, str):
        return body if body in FORCE_HTTPS else ""
    values = body.values() if isinstance(body, dict) else body if isinstance(body, list) else []
    return next((m for m in map(_force_https_mode, values) if m), "")


def _dry_run(plan: Planner, target: Target, search: str) -> Change:
    """A search-and-replace that only counts: a POST, so it runs after planning, but it changes nothing."""
    action = f"Count {search!r} in {target.label} (dry run, nothing changed)"

    async def run(api: Api) -> Counted | Job:
        reply = await api.call(
            ep.SEARCH_REPLACE,
            body={
                "environment_id": target.env.id,
                "search": search,
                "replace": "",
                "perform_replacement": False,
                "is_clear_cache": False,
            },
        )
        if reply.value.operation_id:
            return Job(JobKind.OPERATION, reply.value.operation_id, action)
        found = count_in(reply.body)
        message = f"{found} occurrences found" if found is not None else reply.value.message
        return Counted(action=action, state="done", message=message, matches=-1 if found is None else found)

    return plan.change(
        action, run, targets=[target], risk=Risk.READ, environment=target.label, show="search_count", search=search
    )


@tool("environments", Risk.READ, "Environment details")
async def environment_info(
    plan: Planner,
    show: Literal["files", "redirects", "force_https", "blocked_ips", "bot_protection", "search_count"],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    search: Annotated[str, Field(description="redirects: filter; search_count: text to count in the database")] = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> EnvironmentInfo:
    """Files, redirect rules, Force HTTPS mode, blocked IPs, bot protection level, or how often a text occurs in the
    database (a dry run)."""
    need(show != "search_count" or bool(search), "search_count needs search: the text to count.")
    target = await plan.target(site, environment)
    info = EnvironmentInfo(environment=target.label, show=show)
    env_id = target.env.id
    if show == "search_count":
        return _dry_run(plan, target, search)  # type: ignore[return-value]  # the gate runs it, as a read
    if show == "files":
        nodes = await plan.api.get(ep.FILE_LIST, env_id=env_id)
        files, page = cut([p for node in nodes for p in node.paths()], limit, offset)
        return info.model_copy(update=page | {"files": files})
    if show == "redirects":
        found = await plan.api.get(
            ep.REDIRECT_RULES, query={"limit": limit, "offset": offset, "search_query": search}, env_id=env_id
        )
        rules, after = found.parsed, offset + len(found.rules)
        return info.model_copy(
            update={
                "rules": rules,
                "total": found.count,
                "offset": offset,
                "returned": len(rules),
                "next_offset": after if rules and after < found.count else -1,
            }
        )
    if show == "blocked_ips":
        ips = await plan.api.get(cache_ep.BLOCKED_IPS, query={"environment_id": env_id})
        return info.model_copy(update={"blocked_ips": list(ips or [])})
    if show == "bot_protection":
        found = await plan.api.get(bot_ep.LEVEL, env_id=env_id)
        return info.model_copy(update={"bot_protection": f"{found.level or 'not reported'}: {found.effect}"})
    mode = _force_https_mode(await plan.api.get(ep.FORCE_HTTPS, env_id=env_id))
    return info.model_copy(update={"force_https": mode})


# -- login links ---------------------------------------------------------------------------------------------


class LoginOutcome(ChangeOutcome):
    environment: str = ""
    email: str = ""
    login_url: str = Field("", description="Masked unless reveal was asked for")
    revealed: bool = False
    expires_at: str = ""

    def summary(self) -> str:
        until = f" (valid until {self.expires_at})" if self.expires_at else ""
        return f"{self.action}: {self.login_url or 'no link returned'}{until}"

    def next_step(self) -> str:
        return (
            ""
            if self.revealed or not self.login_url
            else ("The link is hidden; call again with reveal=true if the user wants it shown.")
        )


@tool(
    "environments",
    Risk.WRITE,
    "Log in to phpMyAdmin or wp-admin",
    actions={"phpmyadmin": Risk.SENSITIVE, "wp_admin": Risk.SENSITIVE},
    outcome=LoginOutcome,
)
async def environment_login(
    plan: Planner,
    action: Literal["phpmyadmin", "wp_admin"],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    email: Annotated[str, Field(description="wp_admin: admin's email")] = "",
    reveal: Reveal = False,
) -> Change:
    """Mint a phpMyAdmin or wp-admin login link (asks first; hidden unless reveal)."""
    email = email.strip()
    if action == "wp_admin" and "@" not in email:
        raise InvalidInput("wp_admin needs email: the WordPress administrator's email address.")
    if action == "phpmyadmin" and email:
        raise InvalidInput("email is for action=wp_admin only: phpMyAdmin logs in as the site's database user.")
    target = await plan.target(site, environment)
    if action == "wp_admin":
        exists = await plan.api.get(ep.WP_ADMIN_EXISTS, query={"email": email}, env_id=target.env.id)
        need(
            exists.has_wp_admin_user,
            f"{target.label} has no WordPress admin user {email}, so no link was minted. "
            "change_environment action=create_wp_admin creates one.",
        )
    what = "phpMyAdmin login link" if action == "phpmyadmin" else f"wp-admin login link for {email}"
    grants = "into the database" if action == "phpmyadmin" else f"into wp-admin as {email}"
    shown = (
        "It is shown in clear: it becomes part of this conversation (and of the model's context and logs)."
        if reveal
        else "It stays hidden here."
    )
    preview = f"Mint a {what} of {target.label} ({domains(target)}): anyone holding it logs straight {grants}. {shown}"
    label = f"{what[0].upper()}{what[1:]} of {target.label}"

    async def run(api: Api) -> LoginOutcome:
        if action == "phpmyadmin":
            token = (await api.call(ep.PMA_LOGIN, env_id=target.env.id)).value
            url, expires = token.url, iso_from_ms(token.expires_at) if token.expires_at else ""
        else:
            url = (await api.call(ep.WP_ADMIN_LOGIN, body={"email": email}, env_id=target.env.id)).value.login_link
            expires = ""
        return LoginOutcome(
            action=label,
            state="done",
            environment=target.label,
            email=email,
            revealed=reveal,
            login_url=url if reveal else mask(url),
            expires_at=expires,
        )

    return plan.change(label, run, preview=preview, targets=[target])
