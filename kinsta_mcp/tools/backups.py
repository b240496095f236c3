"""Backups of an environment: list (read), take or request a download (write), restore or delete (destructive)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import backups as ep
from kinsta_mcp.api.company import USERS
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import HTTPError, InvalidInput
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import Job, follow, start
from kinsta_mcp.models.backups import Backup, DownloadableBackup
from kinsta_mcp.models.company import User
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import Target
from kinsta_mcp.registry import tool
from kinsta_mcp.text import iso_from_ms
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef


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


def _download(item: DownloadableBackup) -> str:
    """A downloadable archive in words; its link is a credential and stays in MyKinsta."""
    state = (
        "being generated"
        if item.is_generation_in_progress
        else (f"ready until {_when(item.expires_at)}, download it in MyKinsta")
    )
    return f"downloadable {item.id} of {_when(item.created_at)}: {state}"


async def _backups(plan: Planner, env_id: str) -> list[Backup]:
    return sorted(await plan.api.get(ep.BACKUPS, env_id=env_id), key=lambda b: -b.created_at)


@tool("backups", Risk.READ, "List backups")
async def list_backups(
    plan: Planner,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> BackupList:
    """Backups of an environment, newest first, and its downloadable archives."""
    target = await plan.target(site, environment)
    backups, page = cut(await _backups(plan, target.env.id), limit, offset)
    downloads = [_download(d) for d in await plan.api.get(ep.DOWNLOADABLE_BACKUPS, env_id=target.env.id)]
    return BackupList(backups=backups, downloads=downloads, **page)


async def _download_blocked(plan: Planner, env_id: str) -> str:
    """Why a downloadable backup cannot be requested now ('' if it can or nobody says).

    This call is newer than the spec and its answer is undocumented (docs/api-notes.md#downloadable-backups):
    read a boolean `…avail…` key and a time key (`…_at`, epoch ms or text) wherever they are.
    """
    try:
        body = await plan.api.get(ep.NEXT_DOWNLOADABLE, env_id=env_id)
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


@tool("backups", Risk.WRITE, "Take backups")
async def manage_backups(
    plan: Planner,
    action: Literal["create", "request_download"],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    tag: str = "",
) -> Change:
    """Take a manual backup (tag: its note), or request a downloadable backup archive."""
    target = await plan.target(site, environment)
    env_id = target.env.id
    if action == "create":
        what = f"Manual backup of {target.label}"
        return plan.change(
            what,
            lambda api: start(api, ep.MANUAL_BACKUP, action=what, body={"tag": tag}, env_id=env_id),
            targets=[target],
        )
    if blocked := await _download_blocked(plan, env_id):
        raise InvalidInput(f"Kinsta says a downloadable backup of {target.label} is {blocked}.")
    what = f"Downloadable backup of {target.label}"
    return plan.change(
        what, lambda api: start(api, ep.REQUEST_DOWNLOADABLE, action=what, env_id=env_id), targets=[target]
    )


# -- restore and delete --------------------------------------------------------------------


async def _notified_user(plan: Planner, email: str) -> User:
    users: list[User] = await plan.api.get(USERS, id=plan.company_id)
    if not users:
        raise InvalidInput("The company has no users to notify about the restore.")
    if not email.strip():
        return users[0]
    for user in users:
        if user.email.lower() == email.strip().lower():
            return user
    raise InvalidInput(f"No company user has the email {email!r}. Users: {', '.join(u.email for u in users)}.")


async def _find_backup(plan: Planner, target: Target, backup_id: int, *, anywhere: bool) -> tuple[Backup, str]:
    """The backup and the label of the environment it belongs to (for a restore: any env of the site)."""
    envs = [target.env] + ([e for e in target.site.environments if e.id != target.env.id] if anywhere else [])
    for env in envs:
        for b in await _backups(plan, env.id):
            if b.id == backup_id:
                return b, f"{target.site.label} › {env.name}"
    where = f"any environment of {target.site.label}" if anywhere else target.label
    raise InvalidInput(f"Backup {backup_id} is not in {where}. list_backups shows the backups and their ids.")


def _restore(plan: Planner, target: Target, backup: Backup, user: User, backup_first: bool) -> Any:
    """Back up the target first (and wait for it within the server's bound), then start the restore."""
    env_id = target.env.id
    action = f"Restore backup {backup.id} onto {target.label}"

    async def run(api: Api) -> Any:
        jobs: list[Job] = []
        if backup_first:
            what = f"Backup of {target.label} before restoring {backup.id}"
            safety = await start(
                api, ep.MANUAL_BACKUP, action=what, env_id=env_id, body={"tag": f"before restore of {backup.id}"}
            )
            if isinstance(safety, Job):
                outcome = await follow(
                    api.read_only(),
                    [safety],
                    action=what,
                    max_wait=plan.settings.max_wait,
                    progress=plan.progress,
                    settings=plan.settings,
                    clock=plan.deps.clock,
                )
                if outcome.state != "done":
                    outcome.action += "; restore NOT started: once this is done, restore again with backup_first=false"
                    return outcome
                jobs.append(safety)
        body = {"backup_id": backup.id, "notified_user_id": user.id}
        restore = await start(api, ep.RESTORE_BACKUP, action=action, body=body, target_env_id=env_id)
        return [*jobs, restore] if isinstance(restore, Job) else restore

    return run


@tool("backups", Risk.DESTRUCTIVE, "Restore or delete a backup")
async def restore_or_delete_backup(
    plan: Planner,
    action: Literal["restore", "delete"],
    backup_id: Annotated[int, Field(ge=1)],
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    notify_email: Annotated[str, Field(description="restore: who to notify")] = "",
    backup_first: Annotated[bool, Field(description="restore: back up first")] = True,
) -> Change:
    """Restore a backup onto this environment (overwrites files and database), or delete one."""
    target = await plan.target(site, environment)
    backup, source = await _find_backup(plan, target, backup_id, anywhere=action == "restore")
    if action == "delete":
        what = f"Delete backup {backup.id} of {target.label}"
        return plan.change(
            what,
            lambda api: start(api, ep.DELETE_BACKUP, action=what, backup_id=backup.id),
            targets=[target],
            preview=f"Delete backup {describe(backup)} of {target.label}. This cannot be undone.",
        )
    user = await _notified_user(plan, notify_email)
    first = (
        f"First a manual backup of {target.env.name} is taken and waited for."
        if backup_first
        else "No backup of its current state is taken first."
    )
    preview = (
        f"Restore backup {describe(backup)} from {source} onto {target.label} "
        f"({target.env.primary_domain or target.env.id}): its files and database are overwritten. "
        f"{first} Kinsta notifies {user.full_name} <{user.email}>."
    )
    return plan.change(
        f"Restore backup {backup.id} onto {target.label}",
        _restore(plan, target, backup, user, backup_first),
        preview=preview,
        targets=[target],
    )
