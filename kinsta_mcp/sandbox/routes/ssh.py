"""SSH/SFTP of an environment (primary user) and additional SFTP users.

State: each environment dict gets an ``ssh`` dict (enabled, password login, password, IP
allowlist, password expiry) and an ``additional_sftp_accounts`` list, both created on first use;
the additional-SFTP switch is the seeded ``is_additional_sftp_accounts_enabled`` flag, so the
environment listing shows it too. The primary SSH calls answer synchronously (``{"result": null}``).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..seed import stable_id
from ..state import SandboxState
from ._common import (
    ApiError,
    accepted,
    env_or_404,
    get_state,
    not_found_message,
    read_json,
    require_ip_list,
    require_str,
)

EXPIRY_INTERVALS = ("hours_24", "days_7", "days_30", "days_90", "never")


def ssh_of(env: dict[str, Any]) -> dict[str, Any]:
    if "ssh" not in env:
        digest = hashlib.sha256(("sftp-password/" + env["id"]).encode()).digest()
        env["ssh"] = {
            "enabled": True,
            "password_login": True,
            "password": base64.b64encode(digest).decode()[:24],
            "allowlist": [],
            "expiry": "never",
        }
    return env["ssh"]


def accounts_of(site: dict[str, Any], env: dict[str, Any]) -> list[dict[str, Any]]:
    if "additional_sftp_accounts" not in env:
        seeded = []
        if site["name"] == "acmeshop" and env["name"] == "live":
            seeded.append(
                {
                    "id": stable_id("sftp-account", site["name"], env["name"], "designer-anna"),
                    "username": "designer-anna",
                    "root_directory": "/wp-content/themes",
                    "permission": "write",
                }
            )
        env["additional_sftp_accounts"] = seeded
    return env["additional_sftp_accounts"]


def _env(request: Request) -> dict[str, Any]:
    return env_or_404(get_state(request), request.path_params["env_id"])[1]


def _result() -> JSONResponse:
    return JSONResponse({"result": None})


def _flag(body: dict[str, Any], name: str) -> bool:
    value = body.get(name)
    if not isinstance(value, bool):
        raise ApiError(400, f"{name} is required and must be a boolean")
    return value


def _container(content: dict[str, Any]) -> JSONResponse:
    return JSONResponse({"environment": {"active_container": content}})


async def get_status(request: Request) -> JSONResponse:
    return _container({"is_ssh_enabled": ssh_of(_env(request))["enabled"]})


async def set_status(request: Request) -> JSONResponse:
    ssh = ssh_of(_env(request))
    ssh["enabled"] = _flag(await read_json(request), "is_enabled")
    return _result()


async def set_password_status(request: Request) -> JSONResponse:
    ssh = ssh_of(_env(request))
    ssh["password_login"] = _flag(await read_json(request), "is_enabled")
    return _result()


async def generate_password(request: Request) -> JSONResponse:
    ssh_of(_env(request))["password"] = secrets.token_urlsafe(18)
    return _result()


async def get_password(request: Request) -> JSONResponse:
    env = _env(request)
    return JSONResponse({"environment": {"id": env["id"], "sftp_password": ssh_of(env)["password"]}})


async def get_allowed_ips(request: Request) -> JSONResponse:
    # The key is spelled "stfp_…" in the spec (docs/api-notes.md#the-stfp-typo); served as the spec says.
    return _container({"stfp_ip_allowlist": list(ssh_of(_env(request))["allowlist"])})


async def set_allowed_ips(request: Request) -> JSONResponse:
    ssh = ssh_of(_env(request))
    ssh["allowlist"] = require_ip_list(await read_json(request), "ip_allowlist")
    return _result()


async def change_expiration(request: Request) -> JSONResponse:
    ssh = ssh_of(_env(request))
    interval = (await read_json(request)).get("exp_interval")
    if interval not in EXPIRY_INTERVALS:
        raise ApiError(400, "exp_interval must be one of " + ", ".join(EXPIRY_INTERVALS))
    ssh["expiry"] = interval
    return _result()


async def get_config(request: Request) -> JSONResponse:
    site, env = env_or_404(get_state(request), request.path_params["env_id"])
    if site["id"] != request.path_params["site_id"]:
        raise ApiError(404, not_found_message("environment", env["id"]))
    user, host, port = site["name"], env["ssh_ip"], env["ssh_port"]
    # The spec nests a `site` object next to the flat fields; the CLI says the live API sends only
    # the flat ones (docs/api-notes.md#ssh-config-shape). Both are served here so the answer fits the spec.
    nested = {
        "id": site["id"],
        "name": site["name"],
        "displayName": site["display_name"],
        "usr": user,
        "environment": {
            "id": env["id"],
            "activeContainer": {
                "id": env["container_id"],
                "lxdSshPort": port,
                "loadBalancer": {"id": stable_id("load-balancer", site["name"]), "extIP": host},
            },
        },
    }
    return JSONResponse(
        {
            "site": nested,
            "port": port,
            "name": site["name"],
            "host": host,
            "user": user,
            "ssh_command": f"ssh {user}@{host} -p {port}",
        }
    )


# ----- additional SFTP users ---------------------------------------------------


def _account_view(env: dict[str, Any], account: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": account["id"],
        "username": account["username"],
        "root_directory": account["root_directory"],
        "is_active": env["is_additional_sftp_accounts_enabled"],
        "permission": account["permission"],
    }


async def list_accounts(request: Request) -> JSONResponse:
    site, env = env_or_404(get_state(request), request.path_params["env_id"])
    enabled = env["is_additional_sftp_accounts_enabled"]
    return JSONResponse(
        {
            "environment": {
                "additional_sftp_accounts": [_account_view(env, a) for a in accounts_of(site, env)],
                "container_info": {"additional_sftp_accounts_port": str(int(env["ssh_port"]) + 1) if enabled else None},
            }
        }
    )


async def add_account(request: Request) -> JSONResponse:
    state = get_state(request)
    site, env = env_or_404(state, request.path_params["env_id"])
    body = await read_json(request)
    username, password = require_str(body, "username"), require_str(body, "password")
    root, permission = body.get("root_directory", "/"), body.get("permission", "read")
    if len(password) < 16:
        raise ApiError(400, "password must be at least 16 characters long")
    if not isinstance(root, str) or not root.startswith("/"):
        raise ApiError(400, "root_directory must be a path starting with /")
    if permission not in ("read", "write"):
        raise ApiError(400, "permission must be read or write")
    if any(a["username"] == username for a in accounts_of(site, env)):
        raise ApiError(400, f"An additional SFTP account named {username} already exists")
    account = {
        "id": stable_id("sftp-account", env["id"], username),
        "username": username,
        "root_directory": root,
        "permission": permission,
    }

    def done() -> None:
        accounts_of(site, env).append(account)

    op = state.start_operation("sftp-accounts:add-additional-sftp-account", done)
    # Documented as HTTP 200 whose body still says 202 (docs/api-notes.md#http-200-with-an-operation).
    return JSONResponse({"operation_id": op.id, "message": "Adding Additional SFTP Account in progress", "status": 202})


async def toggle_accounts(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    enabled = _flag(await read_json(request), "enabled")

    def done() -> None:
        env["is_additional_sftp_accounts_enabled"] = enabled

    op = state.start_operation("sftp-accounts:toggle-status", done)
    return accepted(op, "Updating Additional SFTP Accounts Status in progress")


def _find_account(state: SandboxState, account_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    for site in state.sites:
        for env in site["environments"]:
            for account in accounts_of(site, env):
                if account["id"] == account_id:
                    return env, account
    return None


async def remove_account(request: Request) -> JSONResponse:
    state = get_state(request)
    account_id = request.path_params["sftp_account_id"]
    found = _find_account(state, account_id)
    if found is None:
        raise ApiError(404, not_found_message("additional SFTP account", account_id))
    env, account = found

    def done() -> None:
        env["additional_sftp_accounts"][:] = [a for a in env["additional_sftp_accounts"] if a is not account]

    op = state.start_operation("sftp-accounts:remove-additional-sftp-account", done)
    return accepted(op, "Removing Additional SFTP Account in progress")


_SSH = "/sites/environments/{env_id}/ssh"
_SFTP = "/sites/environments/{env_id}/additional-sftp-accounts"

routes = [
    Route(f"{_SSH}/get-status", get_status, methods=["GET"]),
    Route(f"{_SSH}/set-status", set_status, methods=["POST"]),
    Route(f"{_SSH}/set-password-status", set_password_status, methods=["POST"]),
    Route(f"{_SSH}/generate-password", generate_password, methods=["POST"]),
    Route(f"{_SSH}/password", get_password, methods=["GET"]),
    Route(f"{_SSH}/get-allowed-ips", get_allowed_ips, methods=["GET"]),
    Route(f"{_SSH}/set-allowed-ips", set_allowed_ips, methods=["POST"]),
    Route(f"{_SSH}/change-expiration-interval", change_expiration, methods=["POST"]),
    Route("/sites/{site_id}/environments/{env_id}/ssh/config", get_config, methods=["GET"]),
    Route(_SFTP, list_accounts, methods=["GET"]),
    Route(_SFTP, add_account, methods=["POST"]),
    Route(f"{_SFTP}/toggle-status", toggle_accounts, methods=["PUT"]),
    Route("/sites/environments/additional-sftp-accounts/{sftp_account_id}", remove_account, methods=["DELETE"]),
]
