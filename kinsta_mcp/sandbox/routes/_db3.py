"""What the Sevalla v3 database route modules (db_v3, db_backups) share: the lookup, the busy states,
the v3 error shape, and each database's backups (seeded on first use). Not a route module itself."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from ..paas_seed import paas
from ._common import ApiError, get_state, not_found_message, now_ms
from .databases import settle

DAY_MS = 86_400_000
DAILY_KEEP, MANUAL_KEEP = 7, 14  # days a backup is kept (the spec)
BUSY = ("creating", "updating", "deleting", "restoring", "passwordChange", "updatingExternalConnection")


def database(request: Request) -> dict[str, Any]:
    wanted = request.path_params["id"]
    found = next((d for d in settle(get_state(request)) if d["id"] == wanted), None)
    if found is None:
        raise ApiError(404, not_found_message("database", wanted))
    return found


def busy(request: Request, db: dict[str, Any], until: str) -> None:
    """An asynchronous change: `until` now, ready again after the sandbox's operation time."""
    state = get_state(request)
    db["status"], db["_busy_until"] = until, state.clock() + state.operation_seconds
    db["updated_at"] = now_ms()


def idle(db: dict[str, Any], what: str) -> None:
    if db["status"] in BUSY:
        raise ApiError(400, f"Cannot {what} while the database is {db['status']}")


def backups(request: Request, db: dict[str, Any]) -> list[dict[str, Any]]:
    """The database's backups, seeded on first use: a daily one at 02:00 UTC for each of the last 7 days
    and a manual one from 3 days ago."""
    data: Any = paas(get_state(request))
    every: dict[str, list[dict[str, Any]]] = data.setdefault("db_backups", {})
    if db["id"] not in every:
        today = now_ms() // DAY_MS * DAY_MS + 2 * 3_600_000
        latest = today if today <= now_ms() else today - DAY_MS
        rows = [backup(db, "daily", latest - n * DAY_MS) for n in range(DAILY_KEEP)]
        rows.append(backup(db, "manual", today - 3 * DAY_MS + 12 * 3_600_000, "Before schema migration"))
        every[db["id"]] = rows
    return every[db["id"]]


def backup(db: dict[str, Any], kind: str, created: int, note: str = "") -> dict[str, Any]:
    stamp = datetime.fromtimestamp(created / 1000, tz=UTC).strftime("%Y%m%d%H%M")
    name = f"{db['name']}-{kind}-{stamp}" + (f"-{uuid.uuid4().hex[:6]}" if kind == "manual" else "")
    keep = DAILY_KEEP if kind == "daily" else MANUAL_KEEP
    return {"id": name, "name": name, "display_name": note or name, "type": kind, "created_at": created,
            "expires_at": created + keep * DAY_MS, "_ready_at": 0.0}  # fmt: skip


def pending(request: Request, db: dict[str, Any]) -> bool:
    """A backup of `db` is still being taken."""
    return any(b["_ready_at"] > get_state(request).clock() for b in backups(request, db))
