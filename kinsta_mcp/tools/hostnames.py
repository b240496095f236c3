"""Host names as the domain and DNS tools take them: one normalisation for both (neutral module)."""

from __future__ import annotations

import ipaddress
import re

from kinsta_mcp.errors import InvalidInput

_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"^(?:\*\.)?(?:{_LABEL}\.)+{_LABEL}$")


def hostname(value: str, what: str = "domain") -> str:
    """'https://Bäckerei.de./shop' → 'xn--bckerei-5wa.de': lowercase, no scheme, path or trailing dot, IDNA;
    InvalidInput unless it is a host name (an IP address is not; neither is a doubled `www.www.`)."""
    text = value.strip().lower()
    text = text.split("://", 1)[-1].split("/", 1)[0].rstrip(".")
    try:
        text = text.encode("idna").decode("ascii") if not text.isascii() else text
    except UnicodeError:
        text = ""
    if len(text) > 253 or not _HOSTNAME.match(text) or _is_ip(text):
        raise InvalidInput(f"{value!r} is not a valid {what} name (e.g. example.com or shop.example.com).")
    if text.startswith("www.www."):
        raise InvalidInput(f"{value!r} repeats www.; did you mean {text.removeprefix('www.')}?")
    return text


def with_www(name: str) -> list[str]:
    """A normalised name and its www twin, as adding with `add_with_www_subdomain` creates them."""
    if name.startswith("www."):
        raise InvalidInput(
            f"{name} already starts with www., so add_with_www_subdomain would make www.{name}. Pass "
            f"{name.removeprefix('www.')} to add both, or drop add_with_www_subdomain."
        )
    return [name, f"www.{name}"]


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
