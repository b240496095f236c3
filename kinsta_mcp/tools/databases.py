"""Databases (on Sevalla since 2026-01-31; the Kinsta-era v2 API on the PaaS base, and Sevalla v3 for what
v2 lacks: tools/database_v3.py plans those actions).

`list_databases` lists them or shows one with its connection details (and, with a Sevalla key, its
backups, connections, IP restriction and external access); `manage_database` creates one (and waits
until it is ready), renames or resizes one, takes a backup, activates it, turns external access on or
off, connects an app, sets the IPs allowed; `restore_or_delete_database` deletes one after the user saw
which applications lose it, restores a backup (a fresh one taken first), deletes a backup, resets the
password, suspends it or disconnects an app.

Secrets: GET /databases/{id} answers with the passwords and the connection strings (which hold the
password). They are masked unless the caller asks with `reveal` and the user agrees; the password
given to create a database, and a new one made by reset_password, is never repeated in an answer or
an error.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from kinsta_mcp.api import databases as ep
from kinsta_mcp.api.endpoint import Base, JobKind
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput, KinstaError
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import DB_DONE, ChangeOutcome, Job, Started, done, start
from kinsta_mcp.models.base import Output
from kinsta_mcp.models.databases import DatabaseDetail, Db, DbLink
from kinsta_mcp.paas_refs import APPLICATION, DATABASE, label
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.text import mask
from kinsta_mcp.tools import database_v3 as v3
from kinsta_mcp.tools.args import Reveal
from kinsta_mcp.tools.values import Text, Values, parsed

DbRef = str  # ID, name or display name (the server instructions say so once)

SECRET_KEYS = ("db_password", "db_root_password", "internal_connection_string", "external_connection_string")
Size = Literal["db1", "db2", "db3", "db4", "db5", "db6", "db7", "db8", "db9"]


class CreateDb(Values):
    """POST /databases (the company id is added)."""

    what = "a database setting for create"
    type: Literal["postgresql", "redis", "mariadb", "mysql"]
    version: Text
    location: Text
    resource_type: Size
    db_name: Text
    db_user: Text | None = None
    db_password: Text
    display_name: Text | None = None

    @classmethod
    def also_missing(cls, values: dict[str, Any]) -> list[str]:
        return [] if "db_user" in values or values.get("type") == "redis" else ["db_user"]


class RenameDb(Values):
    what = "a database setting for rename"
    display_name: Text


class ResizeDb(Values):
    what = "a database setting for resize"
    resource_type: Size


ACTIONS: dict[str, type[Values]] = {"create": CreateDb, "rename": RenameDb, "resize": ResizeDb}
CREATE_EXAMPLE = (
    '{"type": "postgresql", "version": "16", "location": "us-central1", "resource_type": "db1", '
    '"db_name": "shop", "db_user": "shop", "db_password": "…"}'
)


class Databases(Output):
    total: int = 0
    databases: list[Db] = Field(default_factory=list)
    connection: dict[str, str] = Field(default_factory=dict)  # one database: hosts, names, masked secrets, apps
    limits: dict[str, float] = Field(default_factory=dict)  # one database: cpu, memory, storage (API units)
    backups: list[str] = Field(default_factory=list)  # one database (Sevalla): newest first

    def summary(self) -> str:
        if not self.connection:
            return "\n".join([f"{self.total} databases:"] + [f"- {_line(d)}" for d in self.databases])
        lines = [_line(self.databases[0])] + [f"{k}: {v}" for k, v in self.connection.items()]
        if self.limits:
            lines.append("Limits (API units): " + ", ".join(f"{k} {v:g}" for k, v in self.limits.items()))
        if self.backups:
            lines += ["Backups, newest first:"] + [f"- {b}" for b in self.backups]
        return "\n".join(lines)


class DbChange(ChangeOutcome):
    database_id: str = ""

    @model_validator(mode="after")
    def _created_id(self) -> DbChange:
        """A new database's id is known only once it was created: it is its job's key."""
        if not self.database_id:
            key = next((k for k in self.jobs if k.startswith(f"{JobKind.DATABASE.value}:")), "")
            self.database_id = key.partition(":")[2]
        return self

    def summary(self) -> str:
        return super().summary() + (f" Database id {self.database_id}." if self.database_id else "")


def _line(db: Db) -> str:
    return f"{label(db.model_dump())}: {db.type} {db.version}, size {db.resource_type_name} [{db.status}] id {db.id}"


async def _app_names(plan: Planner, links: list[DbLink]) -> list[str]:
    if not links:
        return []
    apps = await plan.deps.catalog.labels(plan.api, APPLICATION)
    return [apps.get(link.id, f"{link.type or 'resource'} {link.id}") for link in links]


def _connection(db: DatabaseDetail, revealed: bool) -> dict[str, str]:
    fields = {
        "location": db.cluster.location,
        "internal_host": f"{db.internal_hostname}:{db.internal_port}" if db.internal_hostname else "",
        "external_host": f"{db.external_hostname}:{db.external_port}" if db.external_hostname else "",
        "db_name": db.data.db_name,
        "db_user": db.data.db_user,
        "db_password": db.data.db_password,
        "db_root_password": db.data.db_root_password,
        "internal_connection_string": db.internal_connection_string,
        "external_connection_string": db.external_connection_string,
    }
    return {k: (v if revealed or k not in SECRET_KEYS else mask(v)) for k, v in fields.items() if v}


@tool("databases", Risk.READ, "Databases", secret=True)
async def list_databases(
    plan: Planner,
    database: DbRef = "",
    reveal: Reveal = False,
) -> Databases:
    """Databases, or one with hosts, user, connected apps and backups (passwords masked unless revealed)."""
    if not database.strip():
        if reveal:
            raise InvalidInput("reveal needs database: say whose passwords to show.")
        rows = [Db.model_validate(i) for i in await plan.deps.catalog.items(plan.api, DATABASE, fresh=True)]
        return Databases(databases=rows, total=len(rows))
    item = await plan.resource(DATABASE, database)
    revealed = await plan.reveal(reveal, f"the passwords and connection strings of database {label(item)}")
    db: DatabaseDetail = await plan.api.get(ep.DATABASE, query={"internal": True, "external": True}, id=item["id"])
    connection = _connection(db, revealed)
    connection["connected_apps"] = ", ".join(await _app_names(plan, db.internal_connections)) or "none"
    backups: list[str] = []
    if plan.api.has(Base.V3):
        try:
            facts, backups = await v3.shown(plan, item["id"])
        except KinstaError as failure:  # the v2 detail is worth showing without what v3 adds
            facts = {"sevalla_v3": f"not read: {failure.message[:200]}"}
        connection |= facts
    limits = {"CPU": db.cpu_limit, "memory": db.memory_limit, "storage": db.storage_size}
    return Databases(
        databases=[Db.model_validate(db.model_dump())], total=1, connection=connection, limits=limits, backups=backups
    )


def _values(values: dict[str, Any], action: str) -> dict[str, str]:
    """The request body from `values`; a password is never quoted back."""
    if action == "create" and not values:
        raise InvalidInput(f"create needs values, e.g. {CREATE_EXAMPLE}.")
    return parsed(ACTIONS[action], values, action).body()


async def _create(plan: Planner, body: dict[str, str]) -> Change:
    body.setdefault("display_name", body["db_name"])
    request = {"company_id": await plan.api.paas_company(), **body}
    what = f"Create {body['type']} {body['version']} database {body['display_name']!r} in {body['location']}"
    return plan.change(what, lambda api: start(api, ep.CREATE_DATABASE, action=what, body=request))


@tool(
    "databases",
    Risk.WRITE,
    "Change database",
    outcome=DbChange,
    actions={"external_on": Risk.SENSITIVE, "ip_allow": Risk.SENSITIVE},
)
async def manage_database(
    plan: Planner,
    action: Literal[
        "create", "rename", "resize", "backup", "activate", "external_on", "external_off", "connect", "ip_allow"
    ],
    database: DbRef = "",
    values: Annotated[
        dict[str, Any],
        Field(
            description=(
                "create: type, version, location, resource_type (db1-db9), db_name, db_user, db_password, "
                "display_name; rename: display_name; resize: resource_type; backup: note; connect: application; "
                "ip_allow: ips (only these; [] = any)"
            )
        ),
    ] = {},  # noqa: B006
) -> Change:
    """Create a database (waits until ready) or change one."""
    if action in v3.VALUES:
        plan.api.need_v3(f"Database action {action}")
        return await v3.write(plan, action, database, values)
    body = _values(values, action)
    if action == "create":
        if database.strip():
            raise InvalidInput("create takes no database; name the new one with values.display_name.")
        return await _create(plan, body)
    item = await plan.resource(DATABASE, database)
    name, db_id = label(item), item["id"]
    if action == "rename":
        what = f"Rename database {name} to {body['display_name']!r}"
    else:
        what = f"Resize database {name} to {body['resource_type']}"
        if item.get("resource_type_name") == body["resource_type"]:
            unchanged = done(what, f"already {body['resource_type']}, nothing sent")
            return plan.change(what, lambda api: _now(unchanged), database_id=db_id)

    async def run(api: Api) -> Started:
        now = (await api.call(ep.UPDATE_DATABASE, body=body, id=db_id)).value
        if action == "resize" and now.status.lower() not in DB_DONE:
            return Job(JobKind.DATABASE, db_id, what)  # "updating" until the new size is in place
        return done(what, now.status)

    return plan.change(what, run, database_id=db_id)


async def _now(outcome: ChangeOutcome) -> ChangeOutcome:
    return outcome


@tool(
    "databases",
    Risk.DESTRUCTIVE,
    "Restore or delete database",
    outcome=DbChange,
    needs={"restore": ("item",), "delete_backup": ("item",), "disconnect": ("item",)},
)
async def restore_or_delete_database(
    plan: Planner,
    database: DbRef,
    action: Literal["delete", "restore", "delete_backup", "reset_password", "suspend", "disconnect"],
    item: Annotated[str, Field(description="the backup (id, name, date, latest); disconnect: the app")] = "",
    backup_first: bool = True,
) -> Change:
    """Delete or suspend a database, restore or delete a backup, reset the password, disconnect an app."""
    if action != "delete":
        plan.api.need_v3(f"Database action {action}")
    found = await plan.resource(DATABASE, database)
    if action != "delete":
        return await v3.destroy(plan, action, found, item, backup_first)
    db: DatabaseDetail = await plan.api.get(ep.DATABASE, query={"internal": True, "external": False}, id=found["id"])
    apps = await _app_names(plan, db.internal_connections)
    what = f"Delete database {label(found)}"
    preview = (
        f"{what} (id {found['id']}, {db.type or found.get('type')} {db.version or found.get('version')}): "
        f"all its data is lost. Connected apps, which lose it: {', '.join(apps) or 'none'}. "
        "This cannot be undone."
    )
    return plan.change(
        what,
        lambda api: start(api, ep.DELETE_DATABASE, action=what, id=found["id"]),
        preview=preview,
        database_id=found["id"],
    )
