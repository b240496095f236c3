"""Sevalla v3 database backups: list, create, delete, restore (the store is in _db3).

A new backup is listed once complete, ``state.operation_seconds`` after the request. A restore sets the
status "restoring" (ready again as long after) and the database's ``data_as_of`` to the time its
backup was taken: what tests look at to see which data the database now holds.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._common import ApiError, get_state, iso, now_ms, read_json, v3
from ._db3 import backup, backups, busy, database, idle


def _backup_view(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row[k] for k in ("id", "name", "display_name", "type")}
    return out | {"created_at": iso(row["created_at"]), "expires_at": iso(row["expires_at"])}


def _listed(request: Request, db: dict[str, Any]) -> list[dict[str, Any]]:
    """The complete backups (a new one appears once taken), newest first."""
    now = get_state(request).clock()
    done = [b for b in backups(request, db) if b["_ready_at"] <= now]
    return sorted(done, key=lambda b: -b["created_at"])


def _backup_or_404(request: Request, db: dict[str, Any]) -> dict[str, Any]:
    wanted = request.path_params["backup_id"]
    found = next((b for b in _listed(request, db) if b["id"] == wanted), None)
    if found is None:
        raise ApiError(404, f"Backup {wanted} not found")
    return found


async def list_backups(request: Request) -> Any:
    db = database(request)
    kind = request.query_params.get("type")
    if kind not in (None, "daily", "manual"):
        raise ApiError(400, "type must be daily or manual")
    return [_backup_view(b) for b in _listed(request, db) if kind in (None, b["type"])]


async def create_backup(request: Request) -> Any:
    db = database(request)
    body = await read_json(request)
    note = body.get("display_name")
    if not isinstance(note, str) or not note:
        raise ApiError(400, "display_name is required")
    idle(db, "back up")
    state = get_state(request)
    row = backup(db, "manual", now_ms(), note) | {"_ready_at": state.clock() + state.operation_seconds}
    backups(request, db).append(row)
    return JSONResponse({"message": "Backup is being created"}, status_code=202)


async def delete_backup(request: Request) -> Any:
    db = database(request)
    backups(request, db).remove(_backup_or_404(request, db))
    return {"message": "Backup is being deleted"}


async def restore_backup(request: Request) -> Any:
    db = database(request)
    chosen = _backup_or_404(request, db)
    idle(db, "restore")
    busy(request, db, "restoring")
    db["data_as_of"] = chosen["created_at"]
    return JSONResponse({"message": "Database is being restored"}, status_code=202)


DB = "/databases/{id}"
v3_routes = [
    Route(f"{DB}/backups", v3(list_backups), methods=["GET"]),
    Route(f"{DB}/backups", v3(create_backup), methods=["POST"]),
    Route(f"{DB}/backups/{{backup_id}}", v3(delete_backup), methods=["DELETE"]),
    Route(f"{DB}/backups/{{backup_id}}/restore", v3(restore_backup), methods=["POST"]),
]
