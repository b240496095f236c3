"""Backups of an environment: list, manual backups, restore, delete, downloadable archives (Kinsta)."""

from __future__ import annotations

from typing import Any

from kinsta_mcp.api.endpoint import Endpoint, JobKind, declare
from kinsta_mcp.models.backups import Backup, DownloadableBackup

BACKUPS = Endpoint("GET", "/sites/environments/{env_id}/backups", unwrap=("environment", "backups"), model=list[Backup])
DOWNLOADABLE_BACKUPS = Endpoint(
    "GET",
    "/sites/environments/{env_id}/downloadable-backups",
    unwrap=("environment", "downloadable_backups"),
    model=list[DownloadableBackup],
)
# Both newer than the spec, answers undocumented (docs/api-notes.md#downloadable-backups): read as they come.
NEXT_DOWNLOADABLE = Endpoint(
    "GET", "/sites/environments/{env_id}/next-downloadable-backup-available", model=dict[str, Any]
)
REQUEST_DOWNLOADABLE = Endpoint(
    "POST", "/sites/environments/{env_id}/downloadable-backups", job=JobKind.OPERATION, job_optional=True
)
MANUAL_BACKUP = Endpoint("POST", "/sites/environments/{env_id}/manual-backups", job=JobKind.OPERATION)
RESTORE_BACKUP = Endpoint("POST", "/sites/environments/{target_env_id}/backups/restore", job=JobKind.OPERATION)
DELETE_BACKUP = Endpoint("DELETE", "/sites/environments/backups/{backup_id}", job=JobKind.OPERATION)

ENDPOINTS = declare(globals())
