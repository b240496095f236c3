"""Host names as the domain and DNS tools take them: one normalisation for WordPress environments, Sevalla
applications and static sites, and DNS records alike (a neutral module, imported by each of them)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import Protocol, TypeVar

import idna

from kinsta_mcp.errors import InvalidInput

_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"^(?:\*\.)?(?:{_LABEL}\.)+{_LABEL}$")
_PORT = re.compile(r":\d{1,5}$")


def hostname(value: str, what: str = "domain") -> str:
    """'https://Bäckerei.de.:443/shop' → 'xn--bckerei-5wa.de': lowercase, no scheme, URL port, path or trailing dot;
    IDNA 2008 (faß.de is xn--fa-hia.de, not fass.de); InvalidInput unless it is a host name (an IP address is
    not; neither is a doubled `www.www.`)."""
    url = "://" in value
    text = value.strip().split("://", 1)[-1].split("/", 1)[0]
    text = (_PORT.sub("", text) if url else text).rstrip(".")  # a port only in a pasted URL, never guessed
    try:
        text = text.lower() if text.isascii() else _ascii(text)
    except idna.IDNAError:
        text = ""
    if len(text) > 253 or not _HOSTNAME.match(text) or _is_ip(text):
        raise InvalidInput(f"{value!r} is not a valid {what} name (e.g. example.com or shop.example.com).")
    if text.startswith("www.www."):
        raise InvalidInput(f"{value!r} repeats www.; did you mean {text.removeprefix('www.')}?")
    return text


def _ascii(text: str) -> str:
    # Label by label: the uts46 mapping folds case, full-width forms and ideographic dots; ASCII labels stay as
    # they are, so `_dmarc` or `*` (not IDNA labels) pass through.
    mapped = idna.uts46_remap(text, std3_rules=False, transitional=False).rstrip(".")
    return ".".join(label if label.isascii() else idna.alabel(label).decode() for label in mapped.split("."))


def with_www(name: str) -> list[str]:
    """A normalised name and its www twin, as adding with `add_with_www_subdomain` creates them."""
    if name.startswith("www."):
        raise InvalidInput(
            f"{name} already starts with www., so add_with_www_subdomain would make www.{name}. Pass "
            f"{name.removeprefix('www.')} to add both, or drop add_with_www_subdomain."
        )
    if name.startswith("*."):
        raise InvalidInput(f"{name} is a wildcard: it has no www twin. Drop add_with_www_subdomain.")
    return [name, f"www.{name}"]


class Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


D = TypeVar("D", bound=Named)


def pick_domain(domains: Sequence[D], ref: str, of: str) -> D:
    """The domain `ref` names, by ID or by host name written any way `hostname` accepts; `of` names the owner."""
    try:
        name = hostname(ref)
    except InvalidInput:
        name = ""
    for d in domains:
        if ref.strip().lower() == d.id.lower() or as_written(d.name) == name:
            return d
    raise InvalidInput(f"{of} has no domain {ref!r}. Its domains: {', '.join(d.name for d in domains) or 'none'}.")


def as_written(name: str) -> str:
    """A name as an API lists it (maybe Unicode, maybe with capitals), written the way `hostname` writes it."""
    try:
        return hostname(name)
    except InvalidInput:
        return name.lower()


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
