"""IP addresses and CIDR ranges as people type them, checked before anything is sent."""

from __future__ import annotations

import ipaddress

from kinsta_mcp.errors import InvalidInput

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: list[str]) -> list[tuple[str, Network]]:
    """(form to send, network) per entry, duplicates dropped: '203.0.113.7' (not '/32'), '198.51.100.0/24'.

    A range with host bits set ('10.0.0.5/24') is refused with the range it probably means, rather than
    silently widened or narrowed.
    """
    parsed: dict[Network, str] = {}
    for value in values:
        try:
            net = ipaddress.ip_network(value.strip(), strict=True)
        except ValueError as problem:
            hint = ""
            if "host bits" in str(problem):
                hint = f" Did you mean {ipaddress.ip_network(value.strip(), strict=False)}?"
            raise InvalidInput(
                f"{value!r} is not an IP address or CIDR range (e.g. 203.0.113.7 or 198.51.100.0/24).{hint}"
            ) from None
        parsed.setdefault(net, str(net.network_address) if net.num_addresses == 1 else str(net))
    return [(text, net) for net, text in parsed.items()]


def networks(values: list[str]) -> list[Network]:
    """The entries Kinsta holds as networks (one it would not parse is left out, never guessed wider)."""
    found = []
    for value in values:
        try:
            found.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            continue
    return found


def opens_to_anyone(ips: list[str]) -> bool:
    """An empty allowlist, or one with 0.0.0.0/0 or ::/0, lets any IP connect."""
    return not ips or any(net.prefixlen == 0 for net in networks(ips))


def widened(current: list[str], new: list[str]) -> list[str]:
    """The new entries that let addresses in that the current (restricted) allowlist kept out."""
    if opens_to_anyone(current):
        return []
    have = networks(current)
    return [
        text
        for text, net in parse_networks(new)
        if not any(net.version == old.version and net.subnet_of(old) for old in have)  # type: ignore[arg-type]
    ]
