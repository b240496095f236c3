"""Backups of an environment: list, take, download, restore, delete."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.call import Call
from kinsta_mcp.client import ApiResponse, segment
from kinsta_mcp.errors import HTTPError, InvalidInput
from kinsta_mcp.models.base import ApiModel
from kinsta_mcp.models.company import User
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.text import iso_from_ms
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef
from kinsta_mcp.waiting import OperationOutcome


class Backup(ApiModel):
    id: int
    type: str = ""
    note: str = ""
    created_at: int = 0


class BackupList(Page):
    backups: list[Backup] = Field(default_factory=list)
    downloads: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        lines = [self.page_note("backups")] + [f"- {describe(b)}" for b in self.backups]
        return "\n".join(lines + [f"- {d}" for d in self.downloads])


def _when(ms: float) -> str:
    return iso_from_ms(ms) if ms else "?"


def describe(b: Backup) -> str:
    return f"{b.id} {_when(b.created_at)} {b.type}" + (f" “{b.note}”" if b.note else "")


def _environment(response: ApiResponse) -> dict[str, Any]:
    data = response.data if isinstance(response.data, dict) else {}
    return data.get("environment") or {}


def _download(item: dict[str, Any]) -> str:
    """A downloadable archive in words; its link is a credential and stays in MyKinsta."""
    state = "being generated" if item.get("is_generation_in_progress") else (
        f"ready until {_when(item.get('expires_at') or 0)}, download it in MyKinsta")
    return f"downloadable {item.get('id')} of {_when(item.get('created_at') or 0)}: {state}"


async def _backups(call: Call, env_id: str) -> list[Backup]:
    items = _environment(await call.api.get(f"/sites/environments/{segment(env_id)}/backups")).get("backups") or []
    return sorted((Backup.model_validate(i) for i in items), key=lambda b: -b.created_at)


@tool("backups", Risk.READ, "List backups")
async def list_backups(
    call: Call,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> BackupList:
    """Backups of an environment, newest first, and its downloadable archives."""
    target = await call.target(site, environment)
    backups, page = cut(await _backups(call, target.env.id), limit, offset)
    response = await call.api.get(f"/sites/environments/{segment(target.env.id)}/downloadable-backups")
    downloads = [_download(d) for d in _environment(response).get("downloadable_backups") or []]
    return BackupList(backups=backups, downloads=downloads, **page)


async def _download_blocked(call: Call, env_path: str) -> str:
    """Why a downloadable backup cannot be requested now ('' if it can or nobody says).

    This call is newer than the spec and its answer is undocumented (docs/api-notes.md#downloadable-backups):
    read a boolean `…avail…` key and a time key (`…_at`, epoch ms or text) wherever they are.
    """
    try:
        body = (await call.api.get(f"{env_path}/next-downloadable-backup-available")).data
    except HTTPError:
        return ""
    found: dict[str, Any] = {}

    def walk(node: Any) -> None:
        for key, value in node.items() if isinstance(node, dict) else ():
            if isinstance(value, bool) and "avail" in key:
                found.setdefault("ok", value)
            elif isinstance(value, (int, float, str)) and not isinstance(value, bool) and key.endswith("_at"):
                found.setdefault("at", value)
            walk(value)

    walk(body)
    if found.get("ok", True):
        return ""
    at = found.get("at")
    return f"next one possible at {iso_from_ms(at) if str(at).isdigit() else at}" if at else "not possible yet"


async def _notified_user(call: Call, email: str) -> User:
    response = await call.api.get(f"/company/{segment(call.company_id)}/users")
    users = [User.model_validate(u) for u in ((response.data or {}).get("company") or {}).get("users") or []]
    if not users:
        raise InvalidInput("The company has no users to notify about the restore.")
    if not email.strip():
        return users[0]
    for user in users:
        if user.email.lower() == email.strip().lower():
            return user
    raise InvalidInput(f"No company user has the email {email!r}. Users: {', '.join(u.email for u in users)}.")


async def _find_backup(call: Call, target: Target, backup_id: int, *, anywhere: bool) -> tuple[Backup, str]:
    """The backup and the label of the environment it belongs to (for a restore: any env of the site)."""
    envs = [target.env] + ([e for e in target.site.environments if e.id != target.env.id] if anywhere else [])
    for env in envs:
        for b in await _backups(call, env.id):
            if b.id == backup_id:
                return b, f"{target.site.label} › {env.name}"
    where = f"any environment of {target.site.label}" if anywhere else target.label
    raise InvalidInput(f"Backup {backup_id} is not in {where}. list_backups shows the backups and their ids.")


async def _follow(call: Call, response: ApiResponse, action: str) -> OperationOutcome:
    """Wait for the operation a request started; an answer without one is done (the downloadable-backup
    answers are undocumented: docs/api-notes.md#downloadable-backups)."""
    data = response.data if isinstance(response.data, dict) else {}
    if data.get("operation_id"):
        return await call.operation(response, action=action, max_wait=call.settings.max_wait)
    return OperationOutcome(action=action, operation_id="", state="done", message=str(data.get("message") or ""))


@tool("backups", Risk.DESTRUCTIVE, "Change backups")
async def manage_backups(
    call: Call,
    action: Literal["create", "request_download", "restore", "delete"],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    backup_id: int = 0,
    tag: str = "",
    notify_email: Annotated[str, Field(description="restore: who to notify")] = "",
    backup_first: Annotated[bool, Field(description="restore: back up first")] = True,
) -> OperationOutcome:
    """Create, restore (onto this environment) or delete a backup; request a downloadable one."""
    if action in ("restore", "delete") and not backup_id:
        raise InvalidInput(f"{action} needs backup_id (list_backups shows the ids).")
    if action not in ("restore", "delete"):
        call.risk = Risk.WRITE  # harmless actions: only live-site protection asks
    target = await call.target(site, environment)
    env_path = f"/sites/environments/{segment(target.env.id)}"
    if action == "create":
        response = await call.api.post(f"{env_path}/manual-backups", json={"tag": tag})
        return await _follow(call, response, f"Manual backup of {target.label}")
    if action == "request_download":
        if blocked := await _download_blocked(call, env_path):
            raise InvalidInput(f"Kinsta says a downloadable backup of {target.label} is {blocked}.")
        response = await call.api.post(f"{env_path}/downloadable-backups")
        return await _follow(call, response, f"Downloadable backup of {target.label}")
    backup, source = await _find_backup(call, target, backup_id, anywhere=action == "restore")
    if action == "delete":
        await call.confirm(f"Delete backup {describe(backup)} of {target.label}. This cannot be undone.")
        response = await call.api.delete(f"/sites/environments/backups/{backup.id}")
        return await _follow(call, response, f"Delete backup {backup.id} of {target.label}")
    user = await _notified_user(call, notify_email)
    first = (
        f"First a manual backup of {target.env.name} is taken and waited for."
        if backup_first
        else "No backup of its current state is taken first."
    )
    await call.confirm(
        f"Restore backup {describe(backup)} from {source} onto {target.label} "
        f"({target.env.primary_domain or target.env.id}): its files and database are overwritten. "
        f"{first} Kinsta notifies {user.full_name} <{user.email}>."
    )
    if backup_first:
        response = await call.api.post(f"{env_path}/manual-backups", json={"tag": f"before restore of {backup.id}"})
        safety = await _follow(call, response, f"Backup of {target.label} before restoring {backup.id}")
        if safety.state != "done":
            safety.action += "; restore NOT started: once this is done, restore again with backup_first=false"
            return safety
    body = {"backup_id": backup.id, "notified_user_id": user.id}
    response = await call.api.post(f"{env_path}/backups/restore", json=body)
    return await _follow(call, response, f"Restore backup {backup.id} onto {target.label}")
