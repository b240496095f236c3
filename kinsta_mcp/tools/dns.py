"""Kinsta DNS: the company's zones and their record sets (a record set = type + name, with one or more values)."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.call import Call
from kinsta_mcp.client import segment
from kinsta_mcp.errors import InvalidInput, OutOfScope
from kinsta_mcp.models.base import ApiModel
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.tools.domains import hostname
from kinsta_mcp.waiting import OperationOutcome

RecordType = Literal["A", "AAAA", "CNAME", "MX", "TXT", "CAA", "SRV"]
DEFAULT_TTL = 3600
MIN_TTL = 300  # spec: ttl minimum 300


class Zone(ApiModel):
    id: str
    name: str
    site_id: str = ""
    is_active: bool = True


class DnsRecord(ApiModel):
    type: str
    name: str
    ttl: int = 0
    values: list[str] = Field(default_factory=list)

    def line(self) -> str:
        return f"{self.type} {self.name} (TTL {self.ttl}): {' | '.join(self.values)}"


class DnsListing(Page):
    zone: str = ""
    zone_id: str = ""
    zones: list[Zone] = Field(default_factory=list)
    records: list[DnsRecord] = Field(default_factory=list)

    def summary(self) -> str:
        if not self.zone:
            lines = [f"Kinsta DNS zones ({self.page_note('zones')}):"]
            return "\n".join(lines + [
                f"- {z.name}{'' if z.is_active else ' (inactive)'}, id {z.id}, "
                f"{'site ' + z.site_id if z.site_id else 'not attached to a site'}" for z in self.zones
            ])
        lines = [f"Zone {self.zone} ({self.page_note('record sets')}):"]
        return "\n".join(lines + [f"- {r.line()}" for r in self.records])


ZoneRef = Annotated[str, Field(description="Zone name or ID")]


async def _zones(call: Call) -> list[Zone]:
    """The company's zones this server may touch (with KINSTA_ALLOWED_SITES: those of allowed sites only)."""
    response = await call.api.get("/domains", params={"company": call.company_id})
    zones = [Zone.model_validate(z) for z in ((response.data or {}).get("company") or {}).get("domains") or []]
    if call.settings.allowed_sites:
        allowed = {s.id for s in await call.deps.directory.sites()}
        zones = [z for z in zones if z.site_id in allowed]
    return zones


async def _zone(call: Call, ref: str) -> Zone:
    zones = await _zones(call)
    wanted = ref.strip().lower()
    for z in zones:
        if wanted == z.id.lower():
            return z
    name = hostname(ref, "zone")
    # The zone itself, else the zone a sub-domain belongs to (longest match).
    for z in sorted(zones, key=lambda z: -len(z.name)):
        if name == z.name.lower() or name.endswith("." + z.name.lower()):
            return z
    why = (" (KINSTA_ALLOWED_SITES limits this server to the zones of allowed sites)"
           if call.settings.allowed_sites else "")
    error = OutOfScope if why else InvalidInput
    raise error(f"No Kinsta DNS zone matches {ref!r}{why}. Zones: {', '.join(z.name for z in zones) or 'none'}.")


async def _records(call: Call, zone: Zone) -> list[DnsRecord]:
    response = await call.api.get(f"/domains/{segment(zone.id)}/dns-records")
    items = ((response.data or {}).get("domain") or {}).get("dns_records") or []
    return [DnsRecord.model_validate(r | {"values": [v.get("value", "") for v in r.get("resource_records") or []]})
            for r in items]


@tool("dns", Risk.READ, "List DNS")
async def list_dns(call: Call, zone: ZoneRef = "", limit: Limit = 100, offset: Offset = 0) -> DnsListing:
    """List the company's Kinsta DNS zones, or one zone's records."""
    if not zone.strip():
        page, fields = cut(await _zones(call), limit, offset)
        return DnsListing(zones=page, **fields)
    found = await _zone(call, zone)
    page, fields = cut(await _records(call, found), limit, offset)
    return DnsListing(zone=found.name, zone_id=found.id, records=page, **fields)


# -- values: checked before anything is sent -----------------------------------------------------

_CAA = re.compile(r'^(\d{1,3})\s+([a-zA-Z0-9]+)\s+"?([^"]*)"?$')
_EXAMPLES = {
    "A": "203.0.113.10",
    "AAAA": "2001:db8::10",
    "CNAME": "target.example.com",
    "MX": "10 mail.example.com",
    "TXT": "v=spf1 include:_spf.example.com ~all",
    "CAA": '0 issue "letsencrypt.org"',
    "SRV": "10 5 5060 sip.example.com",
}


def _numbers(parts: list[str], top: int) -> list[int]:
    if not all(p.isdigit() and int(p) <= top for p in parts):
        raise ValueError
    return [int(p) for p in parts]


def clean_value(kind: str, raw: str) -> str:
    """The value as Kinsta should get it; InvalidInput (with an example) when it does not fit the type."""
    if kind == "TXT":
        return _txt(raw)
    text = " ".join(raw.split())
    try:
        if kind == "A":
            return str(ipaddress.IPv4Address(text))
        if kind == "AAAA":
            return str(ipaddress.IPv6Address(text))
        if kind == "CNAME":
            return hostname(text, "CNAME target")
        if kind == "MX":
            priority, host = text.split(" ")
            return f"{_numbers([priority], 65535)[0]} {hostname(host, 'mail server')}"
        if kind == "SRV":
            *nums, host = text.split(" ")
            if len(nums) != 3:
                raise ValueError
            return " ".join(map(str, _numbers(nums, 65535))) + " " + (host if host == "." else hostname(host))
        if kind == "CAA":
            found = _CAA.match(text)
            if not found or int(found[1]) > 255:
                raise ValueError
            return f'{found[1]} {found[2].lower()} "{found[3]}"'
        raise ValueError(kind)
    except (ValueError, ipaddress.AddressValueError, InvalidInput):
        raise InvalidInput(f"{raw!r} is not a valid {kind} value; example: {_EXAMPLES[kind]!r}.") from None


def _txt(raw: str) -> str:
    """TXT text goes without the zone-file quotes: one pair around the whole value is removed."""
    text = raw.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    if not text or '"' in text or not text.isprintable() or not text.isascii():
        raise InvalidInput(
            f"TXT value {raw!r} must be non-empty printable ASCII text, without quotes (they are added in DNS); "
            "pass a long value (DKIM) as one string."
        )
    return text


def _key(kind: str, value: str) -> str:
    """What makes two values the same record value (case, quotes and a final dot do not)."""
    text = " ".join(value.split()).rstrip(".")
    if kind == "TXT":
        return text.strip('"')
    return text.lower()


def _fqdn(name: str, zone: str) -> str:
    """'@' / '' → zone; 'www' → www.zone; a name ending in the zone, or in a dot (absolute), stays as is."""
    text = name.strip().lower()
    absolute = text.endswith(".")
    text = text.rstrip(".")
    if text in ("", "@"):
        return zone
    inside = text == zone or text.endswith("." + zone)
    if absolute and not inside:
        raise InvalidInput(f"Record name {name!r} is not inside zone {zone}.")
    return hostname(text if inside else f"{text}.{zone}", "record")


# -- changes -------------------------------------------------------------------------------------


@tool("dns", Risk.DESTRUCTIVE, "Change DNS record")
async def change_dns_record(
    call: Call,
    zone: ZoneRef,
    action: Literal["create", "update", "delete"],
    type: RecordType,
    name: Annotated[str, Field(description="@ (the zone), www or a full name")] = "@",
    values: Annotated[list[str], Field(description="update: the complete new set")] = [],  # noqa: B006
    ttl: Annotated[int, Field(description="Seconds (≥300); 0: 3600 or unchanged")] = 0,
) -> OperationOutcome:
    """Create, update or delete a record set (type + name) in a Kinsta DNS zone."""
    if ttl and ttl < MIN_TTL:
        raise InvalidInput(f"ttl must be at least {MIN_TTL} seconds (Kinsta's minimum), or 0 for the default.")
    if action == "delete" and values:
        raise InvalidInput(
            "delete removes the whole record set; to drop single values use update with the values to keep."
        )
    if action != "delete" and not values:
        raise InvalidInput(f"{action} needs the record's values, e.g. values=[{_EXAMPLES[type]!r}].")
    wanted = list(dict.fromkeys(clean_value(type, v) for v in values))
    if type == "CNAME" and len(wanted) > 1:
        raise InvalidInput("A CNAME record has exactly one value.")
    found = await _zone(call, zone)
    fqdn = _fqdn(name, found.name)
    if type == "CNAME" and fqdn == found.name:
        raise InvalidInput(f"A CNAME cannot sit at the zone apex ({found.name}); use an A/AAAA record there.")
    records = await _records(call, found)
    current = next((r for r in records if r.type.upper() == type and _key("", r.name) == fqdn), None)
    at_name = [r for r in records if _key("", r.name) == fqdn and r.type.upper() != type]
    path = f"/domains/{segment(found.id)}/dns-records"
    label = f"{type} {fqdn} in zone {found.name}"

    if action == "create":
        if current is not None:
            raise InvalidInput(f"{label} already exists ({current.line()}); use action=update to change it.")
        if at_name and (type == "CNAME" or any(r.type.upper() == "CNAME" for r in at_name)):
            raise InvalidInput(f"{fqdn} already has {', '.join(r.type for r in at_name)} records; a CNAME cannot "
                               "share its name with other records.")
        body: dict[str, Any] = {"type": type, "name": fqdn, "ttl": ttl or DEFAULT_TTL,
                                "resource_records": [{"value": v} for v in wanted]}
        response = await call.api.post(path, json=body)
        what = f"Create {label}: {' | '.join(wanted)}"
        return await call.operation(response, action=what, max_wait=call.settings.max_wait)

    if current is None:
        others = ", ".join(f"{r.type} {r.name}" for r in records if _key("", r.name) == fqdn) or "none"
        raise InvalidInput(f"Zone {found.name} has no {type} record named {fqdn} (records with that name: {others}).")
    if action == "delete":
        await call.confirm(
            f"Delete the {label}: {current.line()}. Whatever uses this name for {type} lookups stops resolving "
            "once the change propagates."
        )
        response = await call.api.delete(path, json={"type": type, "name": current.name})
        return await call.operation(response, action=f"Delete {label}", max_wait=call.settings.max_wait)

    have = {_key(type, v): v for v in current.values}
    new = [v for v in wanted if _key(type, v) not in have]
    keep = {_key(type, v) for v in wanted}
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
    change = "; ".join(part for part in (
        f"remove {' | '.join(removed)}" if removed else "", f"add {' | '.join(new)}" if new else "",
        f"TTL {current.ttl} → {ttl}" if "ttl" in body else "") if part)
    if removed:
        await call.confirm(f"Change the {label} (now {' | '.join(current.values)}): {change}.")
    response = await call.api.put(path, json=body)
    return await call.operation(response, action=f"Update {label}: {change}", max_wait=call.settings.max_wait)
