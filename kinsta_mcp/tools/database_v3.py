"""What only Sevalla v3 does with a database, planned here for the tools in tools/databases.py (which
declares them): the external connection, internal connections, the IP restriction, suspension, a new
password, and what list_databases adds; backups are in tools/database_backups.py. No tool is declared here.

The external-connection toggle answers 202 `{message}` and only flips: the state is read first, nothing
is sent when it already is as asked, and the database's status turning ready again ends it. Every
action whose state is already as asked sends nothing and asks nobody. A new password is made here,
sent once, and never shown or quoted (not even in an error the API might send back).
"""

from __future__ import annotations

import ipaddress
import secrets
import string
from datetime import UTC, datetime
from typing import Any

from kinsta_mcp.api import databases as ep
from kinsta_mcp.api.endpoint import JobKind
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput, KinstaError
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, Job, done, start
from kinsta_mcp.models.app_v3 import IpRestriction
from kinsta_mcp.models.databases import DbConnection, DbV3
from kinsta_mcp.paas_refs import APPLICATION, DATABASE, label
from kinsta_mcp.planner import Planner
from kinsta_mcp.text import MASK
from kinsta_mcp.tools import database_backups as bk
from kinsta_mcp.tools.values import Text, Values, parsed

# Refused before sending: not public. Documentation ranges pass (the spec's own examples are in them).
NOT_PUBLIC = [
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
]
ALPHABET = string.ascii_letters + string.digits + "_-=+#@"  # within what the API accepts


class Note(Values):
    what = "a database setting for backup"
    note: Text | None = None


class Connect(Values):
    what = "a database setting for connect"
    application: Text


class Ips(Values):
    what = "a database setting for ip_allow"
    ips: list[str]


class Nothing(Values):
    what = "a value this action takes (it takes none)"


VALUES: dict[str, type[Values]] = {
    "backup": Note,
    "connect": Connect,
    "ip_allow": Ips,
    "activate": Nothing,
    "external_on": Nothing,
    "external_off": Nothing,
}


async def shown(plan: Planner, db_id: str) -> tuple[dict[str, str], list[str]]:
    """What list_databases adds for one database: state, IP restriction, connections, backups."""
    now: DbV3 = await plan.api.get(ep.V3_DATABASE, id=db_id)
    ip: IpRestriction = await plan.api.get(ep.IP_RESTRICTION, id=db_id)
    links: list[DbConnection] = await plan.api.get(ep.CONNECTIONS, id=db_id)
    found = await bk.backups(plan.api, db_id)
    facts = {
        "external": now.external,
        "ip_restriction": ip.line,
        "suspended": "yes" if now.is_suspended else "no",
        "connected_apps": ", ".join(c.named(db_id) for c in links) or "none",
    }
    rows = [bk.line(b) for b in found[: bk.SHOWN]]
    return facts, rows + ([f"… and {len(found) - bk.SHOWN} older"] if len(found) > bk.SHOWN else [])


def _nothing(plan: Planner, what: str, why: str, db_id: str) -> Change:
    async def run(api: Api) -> ChangeOutcome:
        return done(what, f"{why}: nothing sent")

    return plan.change(what, run, risk=Risk.READ, database_id=db_id)


# -- manage_database ---------------------------------------------------------------------------


async def write(plan: Planner, action: str, database: str, values: dict[str, Any]) -> Change:
    given = parsed(VALUES[action], values, action).body()
    ips = _ips(given["ips"]) if action == "ip_allow" else []
    item = await plan.resource(DATABASE, database)
    db_id, name = item["id"], label(item)
    if action == "backup":
        return bk.take(plan, item, given.get("note") or f"Manual backup {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    if action == "connect":
        return await _connect(plan, item, given["application"])
    now: DbV3 = await plan.api.get(ep.V3_DATABASE, id=db_id)
    if action == "ip_allow":
        return await _allow(plan, item, now, ips)
    if action == "activate":
        what = f"Activate database {name}"
        if not now.is_suspended:
            return _nothing(plan, what, "it is not suspended", db_id)
        return plan.change(what, lambda api: start(api, ep.ACTIVATE, action=what, id=db_id), database_id=db_id)
    on = action == "external_on"
    what = f"External connection {'on' if on else 'off'} for database {name}"
    if bool(now.external_hostname) == on:
        return _nothing(plan, what, f"it already is {now.external}", db_id)
    ip: IpRestriction = await plan.api.get(ep.IP_RESTRICTION, id=db_id)
    preview = (
        f"Turn on the external connection of database {name}: it becomes reachable from the internet on an "
        f"external host and port, guarded by its password and the IP restriction (now: {ip.line})."
    )

    async def toggle(api: Api) -> Job:
        await api.call(ep.TOGGLE_EXTERNAL, id=db_id)
        return Job(JobKind.DATABASE, db_id, what)  # "updatingExternalConnection" until ready

    return plan.change(what, toggle, preview=preview if on else "", database_id=db_id)


async def _connect(plan: Planner, item: dict[str, Any], ref: str) -> Change:
    app = await plan.resource(APPLICATION, ref)
    db_id, what = item["id"], f"Connect application {label(app)} to database {label(item)}"
    links: list[DbConnection] = await plan.api.get(ep.CONNECTIONS, id=db_id)
    if any(c.other(db_id)[0] == app["id"] for c in links):
        return _nothing(plan, what, "already connected", db_id)
    body = {"target_id": app["id"], "target_type": "app"}

    async def run(api: Api) -> ChangeOutcome:
        made = (await api.call(ep.CONNECT, id=db_id, body=body)).body
        return done(what, f"internal connection {made.get('id', '') if isinstance(made, dict) else ''}".strip())

    return plan.change(what, run, database_id=db_id)


def _public(net: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    private = [n for n in NOT_PUBLIC if n.version == net.version]
    return not (net.is_loopback or net.is_link_local or net.is_multicast or any(net.overlaps(n) for n in private))


def _ips(given: list[str]) -> list[str]:
    out: list[str] = []
    for ip in dict.fromkeys(i.strip() for i in given):
        try:
            net = ipaddress.ip_network(ip, strict=False)
        except ValueError:
            raise InvalidInput(f"{ip[:50]!r} is not an IP address or CIDR range. Nothing was sent.") from None
        if not _public(net) or len(ip) > 45:
            raise InvalidInput(f"{ip} is not a public address or range (the API takes only those). Nothing was sent.")
        out.append(ip)
    if len(out) > 500:
        raise InvalidInput("ip_allow takes at most 500 addresses or ranges. Nothing was sent.")
    return out


async def _allow(plan: Planner, item: dict[str, Any], now: DbV3, ips: list[str]) -> Change:
    db_id, name = item["id"], label(item)
    current: IpRestriction = await plan.api.get(ep.IP_RESTRICTION, id=db_id)
    body = {"type": "allow", "is_enabled": bool(ips), "ip_list": ips}
    after = IpRestriction.model_validate(body)
    what = f"IP restriction of database {name}: {after.line}"
    if after.line == current.line:
        return _nothing(plan, what, "it already is so", db_id)
    effect = (
        f"only {', '.join(ips)} may connect to it externally; every other address is refused"
        if ips
        else "the restriction is turned off: any IP address may connect to it externally"
    )
    preview = (
        f"Set the IP restriction of database {name}: {effect}. Now: {current.line}. It applies only to the "
        f"external connection, which is {now.external}."
    )

    async def run(api: Api) -> ChangeOutcome:
        return done(what, f"now {(await api.call(ep.SET_IP_RESTRICTION, id=db_id, body=body)).value.line}")

    return plan.change(what, run, preview=preview, database_id=db_id)


# -- restore_or_delete_database ---------------------------------------------------------------


async def destroy(plan: Planner, action: str, item: dict[str, Any], ref: str, backup_first: bool) -> Change:
    db_id, name = item["id"], label(item)
    if action in ("restore", "delete_backup"):
        return await bk.restore_or_delete(plan, action, item, ref, backup_first)
    links: list[DbConnection] = await plan.api.get(ep.CONNECTIONS, id=db_id)
    users = ", ".join(c.named(db_id) for c in links) or "none"
    if action == "disconnect":
        return _disconnect(plan, item, links, ref)
    if action == "suspend":
        what = f"Suspend database {name}"
        if (await plan.api.get(ep.V3_DATABASE, id=db_id)).is_suspended:
            return _nothing(plan, what, "it already is suspended", db_id)
        preview = (
            f"{what}: its processes stop and it refuses every connection (connected: {users}) until "
            "manage_database action=activate. Its data and settings are kept."
        )
        return plan.change(
            what, lambda api: start(api, ep.SUSPEND, action=what, id=db_id), preview=preview, database_id=db_id
        )
    what = f"Reset the password of database {name}"
    preview = (
        f"{what}: a new random password replaces the current one, which stops working at once; whatever "
        f"connects with it (connected: {users}) fails until it uses the new one. The new password is not shown."
    )
    return plan.change(what, _new_password(plan, item, what), preview=preview, database_id=db_id)


def _disconnect(plan: Planner, item: dict[str, Any], links: list[DbConnection], ref: str) -> Change:
    db_id = item["id"]
    found = [c for c in links if ref.strip().lower() in c.known_as(db_id)]
    if len(found) != 1:
        names = "; ".join(c.named(db_id) for c in links) or "none"
        raise InvalidInput(f"{label(item)} has no one connection to {ref!r}. Its connections: {names}.")
    _, kind, who = found[0].other(db_id)
    what = f"Disconnect {kind} {who} from database {label(item)}"
    preview = f"{what}: the internal connection {found[0].id} is deleted and it no longer reaches the database."
    return plan.change(
        what,
        lambda api: start(api, ep.DISCONNECT, action=what, id=db_id, connection_id=found[0].id),
        preview=preview,
        database_id=db_id,
    )


def _new_password(plan: Planner, item: dict[str, Any], what: str) -> Any:
    async def run(api: Api) -> ChangeOutcome:
        password = "".join(secrets.choice(ALPHABET) for _ in range(32))
        try:
            await api.call(ep.RESET_PASSWORD, id=item["id"], body={"new_password": password})
        except KinstaError as failure:
            failure.message = failure.message.replace(password, MASK)  # an error may quote what it was sent
            raise
        outcome = await bk.followed(plan, api, item["id"], what, plan.settings.max_wait)
        outcome.message += (
            f". The new password is not shown: list_databases database={item['name']!r} reveal=true shows it "
            "(the user agrees first)."
        )
        return outcome

    return run
