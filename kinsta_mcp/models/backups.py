"""Backups and downloadable backup archives of an environment."""

from __future__ import annotations

from kinsta_mcp.models.base import ApiModel


class Backup(ApiModel):
    """An item of `GET /sites/environments/{env_id}/backups`."""

    id: int
    type: str = ""
    note: str = ""
    created_at: int = 0


class DownloadableBackup(ApiModel):
    """An item of `GET …/downloadable-backups`; its `download_link` is a credential and is not kept."""

    id: str = ""
    created_at: int = 0
    expires_at: int = 0
    is_generation_in_progress: bool = False
