"""Databases as the PaaS API (Kinsta-era v2, on Kinsta or Sevalla v2) answers them."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from kinsta_mcp.models.base import ApiModel

Text = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int | float) else v)]
"""Ports and sizes the API sends as numbers or text alike."""


class Db(ApiModel):
    """A database as listed (`GET /databases` items), and the part of the detail every answer shares."""

    id: str
    name: str = ""
    display_name: str = ""
    status: str = ""
    type: str = ""
    version: str = ""
    resource_type_name: str = ""


class DbLink(ApiModel):
    id: str = ""
    type: str = ""


class DbCluster(ApiModel):
    location: str = ""


class DbCredentials(ApiModel):
    """`data` of the detail: secrets (passwords) next to the names."""

    db_name: str = ""
    db_user: str = ""
    db_password: str = ""
    db_root_password: str = ""


class DatabaseDetail(Db):
    """`GET /databases/{id}` → `database`. Holds passwords and connection strings: a secret."""

    cpu_limit: float = 0
    memory_limit: float = 0
    storage_size: float = 0
    cluster: DbCluster = Field(default_factory=DbCluster)
    data: DbCredentials = Field(default_factory=DbCredentials)
    internal_hostname: str = ""
    internal_port: Text = ""
    external_hostname: str = ""
    external_port: Text = ""
    internal_connections: list[DbLink] = Field(default_factory=list)
    internal_connection_string: str = ""  # Sevalla v2 only (docs/api-notes.md#sevalla-v2-additions)
    external_connection_string: str = ""


class DbUpdated(ApiModel):
    """`PUT /databases/{id}` → `database`: `{id, display_name, status}`."""

    id: str = ""
    display_name: str = ""
    status: str = ""


# Sevalla v3 (docs/api-notes.md#database-v3): no passwords in any of these answers.


class DbV3(ApiModel):
    """`GET /databases/{id}` on v3: the state the v3 actions depend on."""

    id: str = ""
    status: str = ""
    is_suspended: bool = False
    external_hostname: str = ""
    external_port: Text = ""

    @property
    def external(self) -> str:
        return f"on ({self.external_hostname}:{self.external_port})" if self.external_hostname else "off"


class DbBackup(ApiModel):
    """`GET /databases/{id}/backups` items: `id` is the snapshot name; a daily backup's display name is it too."""

    id: str
    name: str = ""
    display_name: str = ""
    type: str = ""  # daily (kept 7 days) or manual (14 days)
    created_at: str = ""
    expires_at: str = ""


class DbConnection(ApiModel):
    """`GET /databases/{id}/internal-connections` items: the database is the source or the target."""

    id: str
    source_id: str = ""
    source_type: str = ""
    source_name: str = ""
    source_display_name: str = ""
    target_id: str = ""
    target_type: str = ""
    target_name: str = ""
    target_display_name: str = ""

    def other(self, db_id: str) -> tuple[str, str, str]:
        """(id, kind, "Display (name)") of the end that is not `db_id`."""
        end = "target" if self.source_id == db_id else "source"
        kind = "application" if getattr(self, f"{end}_type") == "appResource" else "database"
        name, display = getattr(self, f"{end}_name"), getattr(self, f"{end}_display_name")
        shown = f"{display} ({name})" if display and name and display != name else display or name
        return getattr(self, f"{end}_id"), kind, shown or getattr(self, f"{end}_id")

    def named(self, db_id: str) -> str:
        """The other end as the v2 detail's connected apps are shown; another database says so."""
        _, kind, shown = self.other(db_id)
        return shown if kind == "application" else f"{kind} {shown}"

    def known_as(self, db_id: str) -> set[str]:
        """What a person may call this connection: its id, or the other end's id, name or display name."""
        end = "target" if self.source_id == db_id else "source"
        names = (self.id, *(getattr(self, f"{end}_{k}") for k in ("id", "name", "display_name")), self.other(db_id)[2])
        return {n.lower() for n in names if n}
