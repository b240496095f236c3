"""SSH/SFTP access of an environment: the primary user and additional SFTP users."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.addresses import parse_networks
from kinsta_mcp.call import Call
from kinsta_mcp.client import segment
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.models.base import ApiModel, Output
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.text import mask
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef
from kinsta_mcp.waiting import OperationOutcome


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
        lines += [f"- {u.username} {u.permission} {u.root_directory}{'' if u.is_active else ' (inactive)'}"
                  for u in self.sftp_users]
        return "\n".join(lines)


def _env_path(target: Target) -> str:
    return f"/sites/environments/{segment(target.env.id)}"


async def _get(call: Call, path: str) -> dict[str, Any]:
    data = (await call.api.get(path)).data
    return data if isinstance(data, dict) else {}


def _container(body: dict[str, Any]) -> dict[str, Any]:
    return (body.get("environment") or {}).get("active_container") or {}


async def _sftp_users(call: Call, target: Target) -> tuple[list[dict[str, Any]], str]:
    """The additional SFTP accounts as Kinsta sends them (with their ids), and their port."""
    env = (await _get(call, f"{_env_path(target)}/additional-sftp-accounts")).get("environment") or {}
    port = (env.get("container_info") or {}).get("additional_sftp_accounts_port")
    return list(env.get("additional_sftp_accounts") or []), str(port or "")


@tool("ssh", Risk.READ, "SSH access", secret=True)
async def ssh_access(
    call: Call,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    reveal: Annotated[bool, Field(description="Show the password (asks the user)")] = False,
) -> SshAccess:
    """SSH/SFTP status, host, port, user, password, IP allowlist and additional SFTP users."""
    target = await call.target(site, environment)
    show = await call.reveal(reveal, f"the SFTP/SSH password of {target.label}")
    path = _env_path(target)
    config = await _get(call, f"/sites/{segment(target.site.id)}/environments/{segment(target.env.id)}/ssh/config")
    nested = config.get("site") or {}
    box = (nested.get("environment") or {}).get("activeContainer") or {}
    password = str(((await _get(call, f"{path}/ssh/password")).get("environment") or {}).get("sftp_password") or "")
    allowed = _container(await _get(call, f"{path}/ssh/get-allowed-ips"))
    users, port = await _sftp_users(call, target)
    return SshAccess(
        ssh_enabled=bool(_container(await _get(call, f"{path}/ssh/get-status")).get("is_ssh_enabled")),
        host=str(config.get("host") or (box.get("loadBalancer") or {}).get("extIP") or ""),
        port=str(config.get("port") or box.get("lxdSshPort") or ""),
        user=str(config.get("user") or nested.get("usr") or ""),
        password=password if show else mask(password),
        # The spec spells the key "stfp_…" (docs/api-notes.md#the-stfp-typo); the corrected spelling is read too.
        ip_allowlist=list(allowed.get("stfp_ip_allowlist") or allowed.get("sftp_ip_allowlist") or []),
        sftp_users_port=port,
        sftp_users=[SftpUser.model_validate(u) for u in users],
    )


def _ips(values: list[str]) -> list[str]:
    """Addresses and CIDR ranges, checked and written the usual way ('203.0.113.7', not '…/32')."""
    ips = [text for text, _ in parse_networks(values)]
    if not ips:
        raise InvalidInput("allow_ips needs ips; to let any IP connect use action=allow_any_ip.")
    return ips


def _done(action: str, message: str = "") -> OperationOutcome:
    """Kinsta answers these settings synchronously ({"result": null})."""
    return OperationOutcome(action=action, operation_id="", state="done", message=message)


SWITCHES = {  # action: (what, endpoint under …/ssh, on)
    "ssh_on": ("SSH/SFTP", "set-status", True),
    "ssh_off": ("SSH/SFTP", "set-status", False),
    "password_login_on": ("Password login", "set-password-status", True),
    "password_login_off": ("Password login", "set-password-status", False),
}


@tool("ssh", Risk.DESTRUCTIVE, "Change SSH settings")
async def ssh_settings(
    call: Call,
    action: Literal[
        "ssh_on", "ssh_off", "password_login_on", "password_login_off", "new_password", "allow_ips",
        "allow_any_ip", "password_expiry", "add_sftp_user", "remove_sftp_user", "sftp_users_on", "sftp_users_off",
    ],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    ips: list[str] = [],  # noqa: B006 - pydantic copies defaults
    expiry: Literal["", "hours_24", "days_7", "days_30", "days_90", "never"] = "",
    username: str = "",
    password: Annotated[str, Field(description="16+ characters")] = "",
    root_directory: str = "/",
    permission: Literal["read", "write"] = "read",
) -> OperationOutcome:
    """Change SSH/SFTP access, password, IP allowlist or expiry, or additional SFTP users."""
    allowlist = _ips(ips) if action == "allow_ips" else []
    _check(action, expiry, username, password, root_directory)
    if action not in ("new_password", "remove_sftp_user"):
        call.risk = Risk.WRITE  # reversible settings: only live-site protection asks
    target = await call.target(site, environment)
    path = f"{_env_path(target)}/ssh"
    if action in SWITCHES:
        what, endpoint, on = SWITCHES[action]
        await call.api.post(f"{path}/{endpoint}", json={"is_enabled": on})
        return _done(f"{what} {'on' if on else 'off'} for {target.label}")
    if action == "new_password":
        await call.confirm(
            f"Generate a new SFTP/SSH password for {target.label}: the current one stops working at once, "
            "so every SFTP client, deploy script or CI job using it must be updated."
        )
        await call.api.post(f"{path}/generate-password")
        new = str(((await _get(call, f"{path}/password")).get("environment") or {}).get("sftp_password") or "")
        return _done(f"New SFTP/SSH password for {target.label}", f"{mask(new)}; ssh_access with reveal=true shows it")
    if action == "password_expiry":
        await call.api.post(f"{path}/change-expiration-interval", json={"exp_interval": expiry})
        return _done(f"SFTP password expiry {expiry} for {target.label}")
    if action in ("allow_ips", "allow_any_ip"):
        await call.api.post(f"{path}/set-allowed-ips", json={"ip_allowlist": allowlist})
        return _done(f"SSH/SFTP IP allowlist of {target.label}", ", ".join(allowlist) or "any IP")
    return await _sftp_change(call, target, action, username.strip(), password, root_directory, permission)


def _check(action: str, expiry: str, username: str, password: str, root_directory: str) -> None:
    """Arguments an action needs, checked before any request."""
    if action == "password_expiry" and not expiry:
        raise InvalidInput("password_expiry needs expiry: hours_24, days_7, days_30, days_90 or never.")
    if action in ("add_sftp_user", "remove_sftp_user") and not username.strip():
        raise InvalidInput(f"{action} needs username.")
    if action == "add_sftp_user" and len(password) < 16:
        raise InvalidInput("add_sftp_user needs a password of at least 16 characters.")
    if action == "add_sftp_user" and not root_directory.startswith("/"):
        raise InvalidInput(f"root_directory is a path from the site root starting with '/', not {root_directory!r}.")


async def _sftp_change(
    call: Call, target: Target, action: str, name: str, password: str, root_directory: str, permission: str
) -> OperationOutcome:
    path = f"{_env_path(target)}/additional-sftp-accounts"
    if action == "add_sftp_user":
        body = {"username": name, "password": password, "root_directory": root_directory, "permission": permission}
        response = await call.api.post(path, json=body)
        what = f"Add SFTP user {name} ({permission}, {root_directory}) to {target.label}"
    elif action == "remove_sftp_user":
        users, _ = await _sftp_users(call, target)
        user = next((u for u in users if u.get("username") == name), None)
        if user is None:
            known = ", ".join(str(u.get("username")) for u in users) or "none"
            raise InvalidInput(f"{target.label} has no additional SFTP user {name!r}. Its users: {known}.")
        await call.confirm(
            f"Remove additional SFTP user {name} ({user.get('permission')}, {user.get('root_directory')}) "
            f"from {target.label}. Whoever uses it loses access."
        )
        response = await call.api.delete(f"/sites/environments/additional-sftp-accounts/{segment(user['id'])}")
        what = f"Remove SFTP user {name} from {target.label}"
    else:
        on = action == "sftp_users_on"
        response = await call.api.put(f"{path}/toggle-status", json={"enabled": on})
        what = f"Additional SFTP users {'on' if on else 'off'} for {target.label}"
    return await call.operation(response, action=what, max_wait=call.settings.max_wait)
