"""Backups: list, manual backups, restore, delete, and downloadable archives.

State: each environment dict gets ``backups`` and ``downloadable_backups`` lists (created on
first use from deterministic seed values); the area's counters and the record of restores live
in ``state.__dict__["backups"]``.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..seed import stable_id
from ..state import SandboxState
from ._common import ApiError, accepted, env_or_404, get_state, not_found_message, now_ms, read_json

# Endpoints newer than spec v1.87.0 (docs/api-notes.md#downloadable-backups); their answers are not
# documented, so the shapes below are this sandbox's guess.
ADDITIONS_2026 = {
    ("GET", "/sites/environments/{env_id}/next-downloadable-backup-available"),
    ("POST", "/sites/environments/{env_id}/downloadable-backups"),
}

# Seeded backups are dated before this instant (ms), one automatic backup a day.
SEED_END_MS = int(datetime(2026, 10, 1, 3, 0, tzinfo=UTC).timestamp() * 1000)
DAY_MS = 86_400_000
DOWNLOAD_EVERY_MS = DAY_MS  # how often this sandbox lets a downloadable backup be requested
DOWNLOAD_KEEPS_MS = 7 * DAY_MS


def _area(state: SandboxState) -> dict[str, Any]:
    return state.__dict__.setdefault("backups", {"next_id": 900_000_001, "restores": []})


def _seed_id(env_id: str, n: int) -> int:
    return 100_000_000 + int(hashlib.sha256(f"{env_id}/{n}".encode()).hexdigest()[:7], 16)


def _backup(site: dict[str, Any], backup_id: int, kind: str, created_at: int, note: str | None) -> dict[str, Any]:
    return {
        "id": backup_id,
        "name": f"{site['name']}-{created_at // 1000}-{kind}",
        "note": note,
        "type": kind,
        "created_at": created_at,
    }


def backups_of(site: dict[str, Any], env: dict[str, Any]) -> list[dict[str, Any]]:
    if "backups" not in env:
        items = [
            _backup(site, _seed_id(env["id"], day), "automatic", SEED_END_MS - day * DAY_MS, "Daily Auto Backup")
            for day in range(7)
        ]
        if env["name"] == "live":
            items.append(
                _backup(site, _seed_id(env["id"], 100), "manual", SEED_END_MS - DAY_MS // 2, "before plugin updates")
            )
            items.append(_backup(site, _seed_id(env["id"], 101), "system", SEED_END_MS - 3 * DAY_MS - 3_600_000, None))
        env["backups"] = items
    return env["backups"]


def downloads_of(site: dict[str, Any], env: dict[str, Any]) -> list[dict[str, Any]]:
    if "downloadable_backups" not in env:
        items = []
        if env["name"] == "live" and site["name"] == "acmeshop":
            created = SEED_END_MS - 2 * DAY_MS
            items.append(
                {
                    "id": stable_id("downloadable-backup", site["name"], env["name"]),
                    "created_at": created,
                    "download_link": f"https://backups.sandbox.invalid/{site['name']}.zip?signature=seeded-secret-token",
                    "expires_at": created + DOWNLOAD_KEEPS_MS,
                    "is_generation_in_progress": False,
                }
            )
        env["downloadable_backups"] = items
    return env["downloadable_backups"]


def _find(state: SandboxState, backup_id: int) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]] | None:
    """(site, env, backup) for a backup id anywhere in the company."""
    for site in state.sites:
        for env in site["environments"]:
            for backup in backups_of(site, env):
                if backup["id"] == backup_id:
                    return site, env, backup
    return None


def _backup_view(b: dict[str, Any]) -> dict[str, Any]:
    return {k: b[k] for k in ("id", "name", "note", "type", "created_at")}


def _download_view(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d[k] for k in ("id", "created_at", "download_link", "expires_at", "is_generation_in_progress")}


async def list_backups(request: Request) -> JSONResponse:
    site, env = env_or_404(get_state(request), request.path_params["env_id"])
    backups = [_backup_view(b) for b in backups_of(site, env)]
    return JSONResponse({"environment": {"display_name": env["display_name"], "backups": backups}})


async def list_downloads(request: Request) -> JSONResponse:
    site, env = env_or_404(get_state(request), request.path_params["env_id"])
    items = [_download_view(d) for d in downloads_of(site, env)]
    return JSONResponse({"environment": {"display_name": env["display_name"], "downloadable_backups": items}})


def _next_download_ms(env: dict[str, Any]) -> int:
    return int(env.get("downloadable_requested_at", 0)) + DOWNLOAD_EVERY_MS


async def next_download(request: Request) -> JSONResponse:
    _, env = env_or_404(get_state(request), request.path_params["env_id"])
    at = _next_download_ms(env)
    available = at <= now_ms()
    return JSONResponse(
        {
            "environment": {
                "is_downloadable_backup_available": available,
                "next_downloadable_backup_available_at": None if available else at,
            }
        }
    )


async def request_download(request: Request) -> JSONResponse:
    state = get_state(request)
    site, env = env_or_404(state, request.path_params["env_id"])
    if _next_download_ms(env) > now_ms():
        raise ApiError(400, "A downloadable backup can be requested once every 24 hours")
    now = now_ms()
    env["downloadable_requested_at"] = now
    item = {
        "id": str(uuid.uuid4()),
        "created_at": now,
        "download_link": None,
        "expires_at": now + DOWNLOAD_KEEPS_MS,
        "is_generation_in_progress": True,
    }
    downloads_of(site, env).insert(0, item)

    def ready() -> None:
        item["is_generation_in_progress"] = False
        item["download_link"] = f"https://backups.sandbox.invalid/{site['name']}-{item['id']}.zip?signature=secret"

    op = state.start_operation("backups:add-downloadable", ready)
    return accepted(op, "Generating a downloadable backup in progress")


async def add_manual_backup(request: Request) -> JSONResponse:
    state = get_state(request)
    site, env = env_or_404(state, request.path_params["env_id"])
    tag = (await read_json(request)).get("tag", "")
    if not isinstance(tag, str):
        raise ApiError(400, "tag must be a string")
    area = _area(state)
    backup_id = area["next_id"]
    area["next_id"] += 1

    def done() -> None:
        backups_of(site, env).insert(0, _backup(site, backup_id, "manual", now_ms(), tag or None))

    op = state.start_operation("backups:add-manual", done)
    return accepted(op, "Adding a manual backup to environment in progress")


async def restore_backup(request: Request) -> JSONResponse:
    state = get_state(request)
    site, env = env_or_404(state, request.path_params["target_env_id"])
    body = await read_json(request)
    backup_id, user_id = body.get("backup_id"), body.get("notified_user_id")
    if not isinstance(backup_id, (int, float)) or isinstance(backup_id, bool):
        raise ApiError(400, "backup_id is required and must be a number")
    if not isinstance(user_id, str) or not any(u["id"] == user_id for u in state.users):
        raise ApiError(400, "notified_user_id must be the id of a company user")
    found = _find(state, int(backup_id))
    if found is None or found[0] is not site:
        raise ApiError(400, f"Backup {backup_id} does not belong to this site")
    _, source, backup = found

    def done() -> None:
        _area(state)["restores"].append(
            {
                "target_env_id": env["id"],
                "source_env_id": source["id"],
                "backup_id": backup["id"],
                "notified_user_id": user_id,
            }
        )
        env["restored_backup_id"] = backup["id"]

    op = state.start_operation("backups:restore", done)
    return accepted(op, "Restoring a backup to environment in progress")


async def delete_backup(request: Request) -> JSONResponse:
    state = get_state(request)
    raw = request.path_params["backup_id"]
    found = _find(state, int(raw)) if raw.isdigit() else None
    if found is None:
        raise ApiError(404, not_found_message("backup", raw))
    _, env, backup = found

    def done() -> None:
        env["backups"][:] = [b for b in env["backups"] if b is not backup]

    op = state.start_operation("backups:remove", done)
    return accepted(op, "Removing a backup in progress. Use the operation_id to check the status.")


routes = [
    Route("/sites/environments/{env_id}/backups", list_backups, methods=["GET"]),
    Route("/sites/environments/{env_id}/downloadable-backups", list_downloads, methods=["GET"]),
    Route("/sites/environments/{env_id}/downloadable-backups", request_download, methods=["POST"]),
    Route("/sites/environments/{env_id}/next-downloadable-backup-available", next_download, methods=["GET"]),
    Route("/sites/environments/{env_id}/manual-backups", add_manual_backup, methods=["POST"]),
    Route("/sites/environments/{target_env_id}/backups/restore", restore_backup, methods=["POST"]),
    Route("/sites/environments/backups/{backup_id}", delete_backup, methods=["DELETE"]),
]
