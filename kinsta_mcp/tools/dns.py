"""Kinsta DNS: the company's zones and their record sets (a record set = type + name, with one or more values).

Adding a record set or values is a write (`change_dns_record`); replacing a set's values or deleting
it is destructive (`overwrite_dns_record`) and shows exactly what goes before it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import dns as ep
from kinsta_mcp.errors import InvalidInput, OutOfScope
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, start
from kinsta_mcp.models.domains import DnsRecord, Zone
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.dns_values import EXAMPLES, checked_values, fqdn, same_key
from kinsta_mcp.tools.hostnames import hostname

RecordType = Literal["A", "AAAA", "CNAME", "MX", "TXT", "CAA", "SRV"]
DEFAULT_TTL = 3600
ZoneRef = str  # a zone name or ID (the server instructions say so once)
RecordName = Annotated[str, Field(description="@ (the zone), www or a full name")]
Ttl = Annotated[int, Field(description="Seconds (≥300); 0: 3600 or unchanged")]


class DnsListing(Page):
    zone: str = ""
    zone_id: str = ""
    zones: list[Zone] = Field(default_factory=list)
    records: list[DnsRecord] = Field(default_factory=list)

    def summary(self) -> str:
        if not self.zone:
            lines = [f"Kinsta DNS zones ({self.page_note('zones')}):"]
            return "\n".join(
                lines
                + [
                    f"- {z.name}{'' if z.is_active else ' (inactive)'}, id {z.id}, "
                    f"{'site ' + z.site_id if z.site_id else 'not attached to a site'}"
                    for z in self.zones
                ]
            )
        lines = [f"Zone {self.zone} ({self.page_note('record sets')}):"]
        return "\n".join(lines + [f"- {r.line()}" for r in self.records])


class DnsChange(ChangeOutcome):
    zone: str = ""
    type: str = ""
    name: str = Field("", description="The record set's full name")
    values: list[str] = Field(default_factory=list, description="Its values after the change (none: deleted)")


async def _zones(plan: Planner) -> list[Zone]:
    """The company's zones this server may touch (with KINSTA_ALLOWED_SITES: those of allowed sites only)."""
    zones = list(await plan.api.get(ep.ZONES, query={"company": plan.company_id}))
    if plan.settings.allowed_sites:
        allowed = {s.id for s in await plan.sites()}
        zones = [z for z in zones if z.site_id in allowed]
    return zones


async def _zone(plan: Planner, ref: str) -> Zone:
    zones = await _zones(plan)
    wanted = ref.strip().lower()
    for z in zones:
        if wanted == z.id.lower():
            return z
    name = hostname(ref, "zone")
    # The zone itself, else the zone a sub-domain belongs to (longest match).
    for z in sorted(zones, key=lambda z: -len(z.name)):
        if name == z.name.lower() or name.endswith("." + z.name.lower()):
            return z
    why = (
        " (KINSTA_ALLOWED_SITES limits this server to the zones of allowed sites)"
        if plan.settings.allowed_sites
        else ""
    )
    error = OutOfScope if why else InvalidInput
    raise error(f"No Kinsta DNS zone matches {ref!r}{why}. Zones: {', '.join(z.name for z in zones) or 'none'}.")


@tool("dns", Risk.READ, "List DNS")
async def list_dns(plan: Planner, zone: ZoneRef = "", limit: Limit = 100, offset: Offset = 0) -> DnsListing:
    """List the company's Kinsta DNS zones, or one zone's records."""
    if not zone.strip():
        page, fields = cut(await _zones(plan), limit, offset)
        return DnsListing(zones=page, **fields)
    found = await _zone(plan, zone)
    page, fields = cut(list(await plan.api.get(ep.RECORDS, domain_id=found.id)), limit, offset)
    return DnsListing(zone=found.name, zone_id=found.id, records=page, **fields)


@dataclass
class Planned:
    """A record set a change is about, as the zone has it now."""

    zone: Zone
    name: str
    type: str
    records: list[DnsRecord]
    current: DnsRecord | None

    @property
    def label(self) -> str:
        return f"{self.type} {self.name} in zone {self.zone.name}"

    def others(self) -> list[DnsRecord]:
        return [r for r in self.records if same_key("", r.name) == self.name and r.type.upper() != self.type]

    def existing(self) -> DnsRecord:
        if self.current is None:
            names = ", ".join(f"{r.type} {r.name}" for r in self.others()) or "none"
            raise InvalidInput(
                f"Zone {self.zone.name} has no {self.type} record named {self.name} (records with that name: {names})."
            )
        return self.current


async def _planned(plan: Planner, zone: str, type: str, name: str) -> Planned:
    found = await _zone(plan, zone)
    full = fqdn(name, found.name)
    if type == "CNAME" and full == found.name:
        raise InvalidInput(f"A CNAME cannot sit at the zone apex ({found.name}); use an A/AAAA record there.")
    records = list(await plan.api.get(ep.RECORDS, domain_id=found.id))
    current = next((r for r in records if r.type.upper() == type and same_key("", r.name) == full), None)
    return Planned(found, full, type, records, current)


def _change(
    plan: Planner, at: Planned, action: str, endpoint: Any, body: dict[str, Any], values: list[str], preview: str = ""
) -> Change:
    return plan.change(
        action,
        lambda api: start(api, endpoint, action=action, body=body, domain_id=at.zone.id),
        preview=preview,
        max_wait=plan.settings.max_wait,
        zone=at.zone.name,
        type=at.type,
        name=at.name,
        values=values,
    )


def _needs_values(action: str, type: str, values: list[str]) -> None:
    if not values:
        raise InvalidInput(f"{action} needs the record's values, e.g. values=[{EXAMPLES[type]!r}].")


@tool("dns", Risk.WRITE, "Add DNS record or values", outcome=DnsChange)
async def change_dns_record(
    plan: Planner,
    zone: ZoneRef,
    action: Literal["create", "add"],
    type: RecordType,
    values: list[str],
    name: RecordName = "@",
    ttl: Ttl = 0,
) -> Change:
    """Create a Kinsta DNS record set (type + name) or add values; overwrite_dns_record replaces/deletes."""
    _needs_values(action, type, values)
    wanted = checked_values(type, values, ttl)
    at = await _planned(plan, zone, type, name)
    if action == "create":
        if at.current is not None:
            raise InvalidInput(
                f"{at.label} already exists ({at.current.line()}); use action=add to add values, "
                "or overwrite_dns_record to replace them."
            )
        others = at.others()
        if others and (type == "CNAME" or any(r.type.upper() == "CNAME" for r in others)):
            raise InvalidInput(
                f"{at.name} already has {', '.join(r.type for r in others)} records; a CNAME cannot "
                "share its name with other records."
            )
        body: dict[str, Any] = {
            "type": type,
            "name": at.name,
            "ttl": ttl or DEFAULT_TTL,
            "resource_records": [{"value": v} for v in wanted],
        }
        return _change(plan, at, f"Create {at.label}: {' | '.join(wanted)}", ep.CREATE_RECORD, body, wanted)
    current = at.existing()
    have = {same_key(type, v) for v in current.values}
    new = [v for v in wanted if same_key(type, v) not in have]
    if type == "CNAME" and new:
        raise InvalidInput(
            f"A CNAME record has exactly one value ({current.line()}); replace it with overwrite_dns_record."
        )
    body = {"type": type, "name": current.name}
    if ttl and ttl != current.ttl:
        body["ttl"] = ttl
    if new:
        body["new_resource_records"] = [{"value": v} for v in new]
    if len(body) == 2:
        raise InvalidInput(f"Nothing to change: {current.line()}.")
    change = "; ".join(
        p for p in (f"add {' | '.join(new)}" if new else "", f"TTL {current.ttl} → {ttl}" if "ttl" in body else "") if p
    )
    return _change(plan, at, f"Update {at.label}: {change}", ep.UPDATE_RECORD, body, current.values + new)


@tool("dns", Risk.DESTRUCTIVE, "Replace or delete DNS record", outcome=DnsChange)
async def overwrite_dns_record(
    plan: Planner,
    zone: ZoneRef,
    action: Literal["update", "delete"],
    type: RecordType,
    name: RecordName = "@",
    values: list[str] = [],  # noqa: B006
    ttl: Ttl = 0,
) -> Change:
    """Replace a Kinsta DNS record set's values (update: values is the complete new set) or delete it."""
    if action == "delete" and (values or ttl):
        raise InvalidInput(
            "delete removes the whole record set; to drop single values use update with the values to keep."
        )
    if action == "update":
        _needs_values(action, type, values)
    wanted = checked_values(type, values, ttl)
    at = await _planned(plan, zone, type, name)
    current = at.existing()
    if action == "delete":
        preview = (
            f"Delete the {at.label}: {current.line()}. Whatever uses this name for {type} lookups stops "
            "resolving once the change propagates."
        )
        body: dict[str, Any] = {"type": type, "name": current.name}
        return _change(plan, at, f"Delete {at.label}", ep.DELETE_RECORD, body, [], preview)
    have = {same_key(type, v): v for v in current.values}
    new = [v for v in wanted if same_key(type, v) not in have]
    keep = {same_key(type, v) for v in wanted}
    removed = [v for k, v in have.items() if k not in keep]
    body = {"type": type, "name": current.name}
    if ttl and ttl != current.ttl:
        body["ttl"] = ttl
    if new:
        body["new_resource_records"] = [{"value": v} for v in new]
    if removed:
        body["removed_resource_records"] = [{"value": v} for v in removed]
    if len(body) == 2:
        raise InvalidInput(f"Nothing to change: {current.line()}.")
    change = "; ".join(
        part
        for part in (
            f"remove {' | '.join(removed)}" if removed else "",
            f"add {' | '.join(new)}" if new else "",
            f"TTL {current.ttl} → {ttl}" if "ttl" in body else "",
        )
        if part
    )
    after = [v for v in current.values if same_key(type, v) in keep] + new
    return _change(
        plan,
        at,
        f"Update {at.label}: {change}",
        ep.UPDATE_RECORD,
        body,
        after,
        f"Change the {at.label} (now {' | '.join(current.values)}): {change}.",
    )
