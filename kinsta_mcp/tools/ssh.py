"""SSH/SFTP access of an environment: read it (read), switch and add (write; what opens access is
confirmed), remove SFTP users or replace the password (destructive)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.addresses import opens_to_anyone, parse_networks, widened
from kinsta_mcp.api import ssh as ep
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import done, start
from kinsta_mcp.models.base import ApiModel, Output
from kinsta_mcp.models.ssh import SftpAccounts
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.text import mask
from kinsta_mcp.tools.args import EnvironmentRef, Reveal, SiteRef


class SftpUser(ApiModel):
    username: str
    root_directory: str = "/"
    permission: str = ""
    is_active: bool = False


class SshAccess(Output):
    ssh_enabled: bool
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""
    ip_allowlist: list[str] = Field(default_factory=list)
    sftp_users_port: str = ""
    sftp_users: list[SftpUser] = Field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"SSH/SFTP {'enabled' if self.ssh_enabled else 'DISABLED'}: ssh {self.user}@{self.host} -p {self.port}",
            f"Password: {self.password or 'none'}",
            "IP allowlist: " + (", ".join(self.ip_allowlist) or "none (any IP)"),
            f"Additional SFTP users (port {self.sftp_users_port or '?'}): {len(self.sftp_users)}",
        ]
        lines += [
            f"- {u.username} {u.permission} {u.root_directory}{'' if u.is_active else ' (inactive)'}"
            for u in self.sftp_users
        ]
        return "\n".join(lines)


async def _allowlist(plan: Planner, target: Target) -> list[str]:
    return (await plan.api.get(ep.SSH_ALLOWED_IPS, env_id=target.env.id)).ips


async def _accounts(plan: Planner, target: Target) -> SftpAccounts:
    return await plan.api.get(ep.SFTP_ACCOUNTS, env_id=target.env.id)


@tool("ssh", Risk.READ, "SSH access", secret=True)
async def ssh_access(
    plan: Planner,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    reveal: Reveal = False,
) -> SshAccess:
    """SSH/SFTP status, host, port, user, password, IP allowlist and additional SFTP users."""
    target = await plan.target(site, environment)
    show = await plan.reveal(reveal, f"the SFTP/SSH password of {target.label}")
    env_id = target.env.id
    config = await plan.api.get(ep.SSH_CONFIG, site_id=target.site.id, env_id=env_id)
    password = await plan.api.get(ep.SSH_PASSWORD, env_id=env_id)
    accounts = await _accounts(plan, target)
    return SshAccess(
        ssh_enabled=await plan.api.get(ep.SSH_STATUS, env_id=env_id),
        host=config.host,
        port=config.port,
        user=config.user,
        password=password if show else mask(password),
        ip_allowlist=await _allowlist(plan, target),
        sftp_users_port=accounts.port,
        sftp_users=[SftpUser.model_validate(a.model_dump()) for a in accounts.accounts],
    )


SWITCHES = {  # action: (what, endpoint, on)
    "ssh_on": ("SSH/SFTP", ep.SET_SSH_STATUS, True),
    "ssh_off": ("SSH/SFTP", ep.SET_SSH_STATUS, False),
    "password_login_on": ("Password login", ep.SET_PASSWORD_LOGIN, True),
    "password_login_off": ("Password login", ep.SET_PASSWORD_LOGIN, False),
}


def _send(endpoint: Any, what: str, message: str = "", **kwargs: Any) -> Any:
    """A setting Kinsta answers synchronously ({"result": null})."""

    async def run(api: Api) -> Any:
        await api.call(endpoint, **kwargs)
        return done(what, message)

    return run


@tool(
    "ssh",
    Risk.WRITE,
    "Change SSH settings",
    actions={"allow_any_ip": Risk.SENSITIVE, "password_login_on": Risk.SENSITIVE},
)
async def ssh_settings(
    plan: Planner,
    action: Literal[
        "ssh_on",
        "ssh_off",
        "password_login_on",
        "password_login_off",
        "allow_ips",
        "allow_any_ip",
        "password_expiry",
        "add_sftp_user",
        "sftp_users_on",
        "sftp_users_off",
    ],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    ips: list[str] = [],  # noqa: B006 - pydantic copies defaults
    expiry: Literal["", "hours_24", "days_7", "days_30", "days_90", "never"] = "",
    username: str = "",
    password: Annotated[str, Field(description="16+ characters")] = "",
    root_directory: str = "/",
    permission: Literal["read", "write"] = "read",
) -> Change:
    """SSH/SFTP on/off, password login, IP allowlist, password expiry, additional SFTP users."""
    allowlist = [text for text, _ in parse_networks(ips)] if action == "allow_ips" else []
    _check(action, allowlist, expiry, username, password, root_directory)
    target = await plan.target(site, environment)
    label, env_id = target.label, target.env.id
    if action in SWITCHES:
        what, endpoint, on = SWITCHES[action]
        what = f"{what} {'on' if on else 'off'} for {label}"
        preview, risk = "", None
        if action == "ssh_on" and opens_to_anyone(current := await _allowlist(plan, target)):
            risk = Risk.SENSITIVE
            preview = (
                f"Turn SSH/SFTP on for {label} while its IP allowlist "
                f"({', '.join(current) or 'empty'}) lets any IP connect."
            )
        elif action == "password_login_on":
            preview = f"Allow password login over SSH/SFTP on {label}: anyone with the password can connect."
        return plan.change(
            what,
            _send(endpoint, what, body={"is_enabled": on}, env_id=env_id),
            targets=[target],
            preview=preview,
            risk=risk,
        )
    if action == "password_expiry":
        what = f"SFTP password expiry {expiry} for {label}"
        return plan.change(
            what, _send(ep.SET_PASSWORD_EXPIRY, what, body={"exp_interval": expiry}, env_id=env_id), targets=[target]
        )
    if action in ("allow_ips", "allow_any_ip"):
        return await _set_allowlist(plan, target, allowlist)
    return await _sftp_change(plan, target, action, username.strip(), password, root_directory, permission)


def _check(action: str, allowlist: list[str], expiry: str, username: str, password: str, root: str) -> None:
    """Arguments an action needs, checked before any request."""
    if action == "allow_ips" and not allowlist:
        raise InvalidInput("allow_ips needs ips; to let any IP connect use action=allow_any_ip.")
    if action == "password_expiry" and not expiry:
        raise InvalidInput("password_expiry needs expiry: hours_24, days_7, days_30, days_90 or never.")
    if action == "add_sftp_user" and not username.strip():
        raise InvalidInput(f"{action} needs username.")
    if action == "add_sftp_user" and len(password) < 16:
        raise InvalidInput("add_sftp_user needs a password of at least 16 characters.")
    if action == "add_sftp_user" and not root.startswith("/"):
        raise InvalidInput(f"root_directory is a path from the site root starting with '/', not {root!r}.")


async def _set_allowlist(plan: Planner, target: Target, allowlist: list[str]) -> Change:
    current = await _allowlist(plan, target)
    what = f"SSH/SFTP IP allowlist of {target.label}"
    before = f"now: {', '.join(current) or 'empty, any IP'}"
    risk, preview = None, ""
    if opens_to_anyone(allowlist):
        risk = Risk.SENSITIVE
        preview = f"Let any IP connect over SSH/SFTP to {target.label} ({before})."
    elif wider := widened(current, allowlist):
        risk = Risk.SENSITIVE
        preview = (
            f"Set the SSH/SFTP IP allowlist of {target.label} to {', '.join(allowlist)} ({before}): "
            f"{', '.join(wider)} can connect that could not before."
        )
    run = _send(
        ep.SET_ALLOWED_IPS,
        what,
        ", ".join(allowlist) or "any IP",
        body={"ip_allowlist": allowlist},
        env_id=target.env.id,
    )
    return plan.change(what, run, targets=[target], risk=risk, preview=preview)


async def _sftp_change(
    plan: Planner, target: Target, action: str, name: str, password: str, root: str, permission: str
) -> Change:
    env_id, label = target.env.id, target.label
    if action == "add_sftp_user":
        body = {"username": name, "password": password, "root_directory": root, "permission": permission}
        what = f"Add SFTP user {name} ({permission}, {root}) to {label}"
        writes = permission == "write"
        preview = (
            f"Add SFTP user {name} to {label} with WRITE permission on {root}: whoever has its password "
            "can change, upload and delete files there."
            if writes
            else ""
        )
        return plan.change(
            what,
            lambda api: start(api, ep.ADD_SFTP_ACCOUNT, action=what, body=body, env_id=env_id),
            targets=[target],
            risk=Risk.SENSITIVE if writes else None,
            preview=preview,
        )
    on = action == "sftp_users_on"
    what = f"Additional SFTP users {'on' if on else 'off'} for {label}"
    accounts = (await _accounts(plan, target)).accounts if on else []
    preview = (
        "Let the additional SFTP users of "
        + label
        + " connect: "
        + ", ".join(f"{a.username} ({a.permission}, {a.root_directory})" for a in accounts)
        + "."
        if accounts
        else ""
    )
    return plan.change(
        what,
        lambda api: start(api, ep.TOGGLE_SFTP_ACCOUNTS, action=what, body={"enabled": on}, env_id=env_id),
        targets=[target],
        risk=Risk.SENSITIVE if accounts else None,
        preview=preview,
    )


@tool("ssh", Risk.DESTRUCTIVE, "Remove SFTP user or replace password")
async def revoke_ssh_access(
    plan: Planner,
    action: Literal["remove_sftp_user", "new_password"],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    username: str = "",
) -> Change:
    """Remove an additional SFTP user, or replace the SFTP/SSH password (the old one stops working)."""
    if action == "remove_sftp_user" and not username.strip():
        raise InvalidInput("remove_sftp_user needs username.")
    target = await plan.target(site, environment)
    label, env_id = target.label, target.env.id
    if action == "new_password":
        what = f"New SFTP/SSH password for {label}"

        async def rotate(api: Api) -> Any:
            await api.call(ep.GENERATE_PASSWORD, env_id=env_id)
            new = await api.get(ep.SSH_PASSWORD, env_id=env_id)
            return done(what, f"{mask(new)}; ssh_access with reveal=true shows it")

        return plan.change(
            what,
            rotate,
            targets=[target],
            preview=(
                f"Generate a new SFTP/SSH password for {label}: the current one stops working at once, so every SFTP "
                "client, deploy script or CI job using it must be updated."
            ),
        )
    name = username.strip()
    accounts = (await _accounts(plan, target)).accounts
    user = next((a for a in accounts if a.username == name), None)
    if user is None:
        known = ", ".join(a.username for a in accounts) or "none"
        raise InvalidInput(f"{label} has no additional SFTP user {name!r}. Its users: {known}.")
    what = f"Remove SFTP user {name} from {label}"
    return plan.change(
        what,
        lambda api: start(api, ep.DELETE_SFTP_ACCOUNT, action=what, sftp_account_id=user.id),
        targets=[target],
        preview=(
            f"Remove additional SFTP user {name} ({user.permission}, {user.root_directory}) from "
            f"{label}. Whoever uses it loses access."
        ),
    )
