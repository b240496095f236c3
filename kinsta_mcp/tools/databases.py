"""Databases (on Sevalla since 2026-01-31; the Kinsta-era v2 API, through `call.paas`).

Two tools: `list_databases` lists them or shows one with its connection details, and
`manage_database` creates, resizes/renames or deletes one (only the delete asks first).

Secrets: GET /databases/{id} answers with the passwords and the connection strings (which hold the
password). They are masked unless the caller asks with `reveal` and the user agrees; the password
given to create a database is never repeated in an answer or an error.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr

from kinsta_mcp.call import Call
from kinsta_mcp.client import segment
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.models.base import ApiModel, Output
from kinsta_mcp.paas_refs import APPLICATION, DATABASE, label, labels, list_all, resolve
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.text import mask
from kinsta_mcp.tools.args import Allowed, checked

DbRef = Annotated[str, Field(description="Database ID, name or display name")]

TYPES = ("postgresql", "redis", "mariadb", "mysql")
SIZES = tuple(f"db{i}" for i in range(1, 10))
CREATE_KEYS = ("type", "version", "location", "resource_type", "db_name", "db_user", "db_password", "display_name")
UPDATE_KEYS = ("display_name", "resource_type")
SECRET_KEYS = ("db_password", "db_root_password", "internal_connection_string", "external_connection_string")


class Db(ApiModel):
    id: str
    name: str = ""
    display_name: str = ""
    status: str = ""
    type: str = ""
    version: str = ""
    resource_type_name: str = ""


class Databases(Output):
    total: int = 0
    databases: list[Db] = Field(default_factory=list)
    connection: dict[str, str] = Field(default_factory=dict)
    _notes: list[str] = PrivateAttr(default_factory=list)

    def summary(self) -> str:
        if not self._notes:
            lines = [f"{self.total} databases:"]
            return "\n".join(lines + [f"- {_line(d)}" for d in self.databases])
        return "\n".join([_line(self.databases[0]), *self._notes])


class DbChange(Output):
    action: str
    database_id: str = ""
    status: str = ""

    def summary(self) -> str:
        return f"Done: {self.action} (id {self.database_id})" + (f": {self.status}" if self.status else "") + "."

    def next_step(self) -> str:
        if self.status in ("requested", "updating"):  # the API answers with the id only; it builds it after
            return f"list_databases with database={self.database_id!r} shows when it is ready and how to connect."
        return ""


def _line(db: Db) -> str:
    return f"{label(db.model_dump())}: {db.type} {db.version}, size {db.resource_type_name} [{db.status}] id {db.id}"


async def _app_names(call: Call, links: list[dict[str, Any]]) -> list[str]:
    if not links:
        return []
    apps = await labels(call, APPLICATION)
    return [apps.get(link.get("id"), f"{link.get('type', 'resource')} {link.get('id')}") for link in links]


async def _get(call: Call, db_id: str, *, external: bool = True) -> dict[str, Any]:
    response = await call.paas.get(f"/databases/{segment(db_id)}", params={"internal": True, "external": external})
    return (response.data or {}).get("database") or {}


def _connection(db: dict[str, Any], revealed: bool) -> dict[str, str]:
    data = db.get("data") or {}
    fields = {
        "location": str((db.get("cluster") or {}).get("location") or ""),
        "internal_host": f"{db.get('internal_hostname')}:{db.get('internal_port')}" if db.get("internal_hostname") else "",
        "external_host": f"{db.get('external_hostname')}:{db.get('external_port')}" if db.get("external_hostname") else "",
        "db_name": str(data.get("db_name") or ""),
        "db_user": str(data.get("db_user") or ""),
        "db_password": str(data.get("db_password") or ""),
        "db_root_password": str(data.get("db_root_password") or ""),
        "internal_connection_string": str(db.get("internal_connection_string") or ""),
        "external_connection_string": str(db.get("external_connection_string") or ""),
    }
    return {k: (v if revealed or k not in SECRET_KEYS else mask(v)) for k, v in fields.items() if v}


@tool("databases", Risk.READ, "Databases", secret=True)
async def list_databases(
    call: Call,
    database: DbRef = "",
    reveal: Annotated[bool, Field(description="Show passwords (asks the user)")] = False,
) -> Databases:
    """List databases, or one with hosts, user and connected apps (passwords masked unless revealed)."""
    if not database.strip():
        if reveal:
            raise InvalidInput("reveal needs database: say whose passwords to show.")
        items = await list_all(call, DATABASE)
        return Databases(databases=[Db.model_validate(i) for i in items], total=len(items))
    item = await resolve(call, DATABASE, database)
    revealed = await call.reveal(reveal, f"the passwords and connection strings of database {label(item)}")
    db = await _get(call, item["id"])
    connection = _connection(db, revealed)
    connection["connected_apps"] = ", ".join(await _app_names(call, db.get("internal_connections") or [])) or "none"
    out = Databases(databases=[Db.model_validate(item | db)], total=1, connection=connection)
    out._notes = [f"{k}: {v}" for k, v in connection.items()] + [
        f"Limits (API units): CPU {db.get('cpu_limit')}, memory {db.get('memory_limit')}, storage {db.get('storage_size')}"]
    return out


TEXT: tuple[tuple[type, ...], str] = ((str,), "non-empty text")
CREATE: Allowed = {key: TEXT for key in CREATE_KEYS}
UPDATE: Allowed = {key: TEXT for key in UPDATE_KEYS}


def _db_values(values: dict[str, Any], allowed: Allowed, action: str) -> dict[str, str]:
    body = checked(values, allowed, f"a database setting for {action}")
    for key, choices in (("type", TYPES), ("resource_type", SIZES)):
        if key in body and body[key] not in choices:
            raise InvalidInput(f"{key} must be one of {', '.join(choices)} (got {body[key]!r}).")
    return body


def _create_body(values: dict[str, Any]) -> dict[str, str]:
    body = _db_values(values, CREATE, "create")
    needed = [k for k in CREATE_KEYS[:7] if k not in body and not (k == "db_user" and body.get("type") == "redis")]
    if needed:
        raise InvalidInput(f"create needs {', '.join(needed)} in values (db_user is optional only for redis), e.g. "
                           '{"type": "postgresql", "version": "16", "location": "us-central1", "resource_type": "db1", '
                           '"db_name": "shop", "db_user": "shop", "db_password": "…"}.')
    body.setdefault("display_name", body["db_name"])
    return body


@tool("databases", Risk.DESTRUCTIVE, "Change database")
async def manage_database(
    call: Call,
    action: Literal["create", "update", "delete"],
    database: DbRef = "",
    values: Annotated[dict[str, Any], Field(description=(
        "create: type, version, location, resource_type (db1-db9), db_name, db_user, db_password, display_name; "
        "update: display_name, resource_type"))] = {},  # noqa: B006
) -> DbChange:
    """Create a database, rename or resize one, or delete one with all its data."""
    if action == "create":
        if database.strip():
            raise InvalidInput("create takes no database; name the new one with values.display_name.")
        body = _create_body(values)
        response = await call.paas.post("/databases", json={"company_id": await call.paas_company(), **body})
        new_id = str(((response.data or {}).get("database") or {}).get("id") or "")
        return DbChange(action=f"Create {body['type']} {body['version']} database {body['display_name']!r} "
                               f"in {body['location']}", database_id=new_id, status="requested")
    if action == "update":
        body = _db_values(values, UPDATE, "update")
        if not body:
            raise InvalidInput("update needs values: display_name and/or resource_type (db1-db9).")
        item = await resolve(call, DATABASE, database)
        response = await call.paas.put(f"/databases/{segment(item['id'])}", json=body)
        now = (response.data or {}).get("database") or {}
        change = ", ".join(f"{k} {v!r}" for k, v in body.items())
        return DbChange(action=f"Update database {label(item)}: {change}", database_id=item["id"],
                        status=str(now.get("status") or ""))
    if values:
        raise InvalidInput("delete takes no values.")
    item = await resolve(call, DATABASE, database)
    db = await _get(call, item["id"], external=False)
    apps = await _app_names(call, db.get("internal_connections") or [])
    await call.confirm(
        f"Delete database {label(item)} (id {item['id']}, {db.get('type', item.get('type'))} "
        f"{db.get('version', item.get('version'))}): all its data is lost. Connected apps, which lose it: "
        f"{', '.join(apps) or 'none'}. This cannot be undone.")
    response = await call.paas.delete(f"/databases/{segment(item['id'])}")
    return DbChange(action=f"Delete database {label(item)}", database_id=item["id"],
                    status=str((response.data or {}).get("message") or "deleted"))
