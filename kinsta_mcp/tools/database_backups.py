"""Backups of a Sevalla database (v3 only), planned for the database tools: taking one, restoring one
(a fresh backup taken first unless turned off), deleting one, and naming them as a person would.

The v3 answers to a backup or a restore are 202 `{message}` with nothing to follow: a new backup is
known once it is listed (then it is complete), a restore by the database's status turning ready again.
A backup is named by its id (the snapshot name), its name or note, the date it was taken, or `latest`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kinsta_mcp.api import databases as ep
from kinsta_mcp.api.endpoint import JobKind
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Change
from kinsta_mcp.jobs import ChangeOutcome, Job, done, follow, start
from kinsta_mcp.models.databases import DbBackup
from kinsta_mcp.paas_refs import label
from kinsta_mcp.pacing import Pacer
from kinsta_mcp.planner import Planner

SHOWN = 10  # backups listed with a database, newest first


def _when(iso: str) -> datetime | None:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None


def _age(iso: str) -> str:
    when = _when(iso)
    if when is None:
        return "age unknown"
    hours = (datetime.now(UTC) - when).total_seconds() / 3600
    return "under 1 h old" if hours < 1 else f"{hours:.0f} h old" if hours < 48 else f"{hours / 24:.0f} days old"


def line(b: DbBackup) -> str:
    when = _when(b.created_at)
    shown = f"{when:%Y-%m-%d %H:%M} UTC" if when else b.created_at or "?"
    note = f", “{b.display_name}”" if b.display_name and b.display_name != b.id else ""
    return f"{b.id} ({b.type}, {shown}, {_age(b.created_at)}{note})"


async def backups(api: Any, db_id: str) -> list[DbBackup]:
    found: list[DbBackup] = await api.get(ep.BACKUPS, id=db_id)
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def pick(found: list[DbBackup], ref: str, name: str) -> DbBackup:
    """A backup by id, name, note, date (2026-03-08, or with the hour) or `latest`."""
    wanted = ref.strip().lower()
    exact = [b for b in found if wanted in (b.id.lower(), b.name.lower(), b.display_name.lower())]
    matches = (
        found[:1]
        if wanted in ("latest", "newest")
        else exact
        or [b for b in found if wanted and b.created_at.lower().replace("t", " ").startswith(wanted.replace("t", " "))]
    )
    if len(matches) == 1:
        return matches[0]
    listing = "; ".join(line(b) for b in (matches or found)[:SHOWN]) or "none"
    said = f"{len(matches)} backups match {ref!r}" if matches else f"No backup of {name} matches {ref!r}"
    raise InvalidInput(f"{said}. Backups, newest first: {listing}. Give its id, name, date or 'latest'.")


async def _taken(plan: Planner, api: Api, db_id: str, note: str, wait: float) -> DbBackup | None:
    """Take a manual backup and wait (within `wait` seconds) until it is listed, which is when it is done."""
    before = {b.id for b in await backups(api, db_id)}
    await api.call(ep.CREATE_BACKUP, id=db_id, body={"display_name": note})
    clock, pacer = plan.deps.clock, Pacer(plan.settings)
    start_at = clock.now()
    while True:
        new = [b for b in await backups(api, db_id) if b.id not in before and b.display_name == note]
        age = clock.now() - start_at
        if new or age >= wait:
            return new[0] if new else None
        await plan.progress(age, f"backup “{note}”: waiting until it is listed")
        await clock.sleep(min(pacer.interval(age), wait - age))


async def followed(plan: Planner, api: Api, db_id: str, what: str, wait: float) -> ChangeOutcome:
    """Until the database is ready again."""
    job = Job(JobKind.DATABASE, db_id, what)
    return await follow(
        api.read_only(), [job], action=what, max_wait=wait, progress=plan.progress, settings=plan.settings,
        clock=plan.deps.clock,
    )  # fmt: skip


def _restore(plan: Planner, item: dict[str, Any], chosen: DbBackup, backup_first: bool) -> Change:
    db_id, name = item["id"], label(item)
    what = f"Restore database {name} from backup {chosen.id}"
    note = f"Before restoring {chosen.display_name or chosen.id}"[:120]
    first = (
        f"First a fresh manual backup “{note}” is taken and waited for."
        if backup_first
        else "No backup of the current data is taken first: what changed since that backup is lost for good."
    )

    async def run(api: Api) -> ChangeOutcome:
        wait, begun = plan.settings.max_wait, plan.deps.clock.now()
        fresh = await _taken(plan, api, db_id, note, wait) if backup_first else None
        if backup_first and fresh is None:
            return ChangeOutcome(
                action=f"{what}: restore NOT started",
                state="running",
                seconds=round(plan.deps.clock.now() - begun, 1),
                message=f"the fresh backup “{note}” was not listed within {wait:.0f} s. Once list_databases shows "
                "it, restore again with backup_first=false.",
            )
        await api.call(ep.RESTORE_BACKUP, id=db_id, backup_id=chosen.id)
        outcome = await followed(plan, api, db_id, what, max(0.0, wait - (plan.deps.clock.now() - begun)))
        if fresh is not None:
            outcome.message += f". Fresh backup taken first: {line(fresh)}"
        return outcome

    preview = (
        f"Restore database {name} from backup {line(chosen)}: its current data is replaced by the backup's. {first}"
    )
    return plan.change(what, run, preview=preview, database_id=db_id)


def take(plan: Planner, item: dict[str, Any], note: str) -> Change:
    db_id, what = item["id"], f"Back up database {label(item)} as “{note}”"

    async def run(api: Api) -> ChangeOutcome:
        new = await _taken(plan, api, db_id, note, plan.settings.max_wait)
        if new is None:
            later = f"list_databases database={item['name']!r} shows it once done"
            return done(what, f"accepted, not listed yet: {later}")
        return done(what, f"backup {line(new)} taken")

    return plan.change(what, run, database_id=db_id)


async def restore_or_delete(plan: Planner, action: str, item: dict[str, Any], ref: str, backup_first: bool) -> Change:
    db_id, name = item["id"], label(item)
    chosen = pick(await backups(plan.api, db_id), ref, name)
    if action == "restore":
        return _restore(plan, item, chosen, backup_first)
    what = f"Delete backup {chosen.id} of database {name}"
    return plan.change(
        what,
        lambda api: start(api, ep.DELETE_BACKUP, action=what, id=db_id, backup_id=chosen.id),
        preview=f"Delete backup {line(chosen)} of database {name}. This cannot be undone.",
        database_id=db_id,
    )
