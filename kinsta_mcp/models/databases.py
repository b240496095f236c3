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
