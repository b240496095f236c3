"""DNS record values and names, checked before anything is sent (neutral module of the DNS tools)."""

from __future__ import annotations

import ipaddress
import re

from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.tools.hostnames import hostname

MIN_TTL = 300  # spec: ttl minimum 300
_CAA = re.compile(r'^(\d{1,3})\s+([a-zA-Z0-9]+)\s+"?([^"]*)"?$')
EXAMPLES = {
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
        raise InvalidInput(f"{raw!r} is not a valid {kind} value; example: {EXAMPLES[kind]!r}.") from None


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


def same_key(kind: str, value: str) -> str:
    """What makes two values the same record value (case, quotes and a final dot do not)."""
    text = " ".join(value.split()).rstrip(".")
    if kind == "TXT":
        return text.strip('"')
    return text.lower()


def fqdn(name: str, zone: str) -> str:
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


def checked_values(kind: str, values: list[str], ttl: int) -> list[str]:
    """The cleaned, de-duplicated values; the TTL and CNAME rules."""
    if ttl and ttl < MIN_TTL:
        raise InvalidInput(f"ttl must be at least {MIN_TTL} seconds (Kinsta's minimum), or 0 for the default.")
    wanted = list(dict.fromkeys(clean_value(kind, v) for v in values))
    if kind == "CNAME" and len(wanted) > 1:
        raise InvalidInput("A CNAME record has exactly one value.")
    return wanted
