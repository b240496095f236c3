"""What the domain tools take, checked before anything is sent, for WordPress environments and Sevalla services
alike: which options go with which action and target, and a custom certificate, which never leaves in any text.
Host names themselves are normalised in tools/hostnames.py."""

from __future__ import annotations

import re
from collections.abc import Awaitable
from typing import TypeVar

from kinsta_mcp.errors import InvalidInput, KinstaError

_PEM = re.compile(r"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----", re.S)
# option: (the action it belongs to, whether a Sevalla service takes it)
OPTIONS = {
    "add_with_www_subdomain": ("add", True),
    "setup_type": ("add", False),
    "is_wildcardless": ("add", False),
    "custom_ssl": ("add", True),
    "run_search_and_replace": ("set_primary", False),
}
T = TypeVar("T")


def check_options(action: str, service: bool, given: dict[str, bool]) -> None:
    """Refuse options that do nothing for this action or target (a model that sends them expects an effect)."""
    wrong: dict[str, list[str]] = {}
    for k, on in given.items():
        if on and OPTIONS[k][0] != action:
            wrong.setdefault(OPTIONS[k][0], []).append(k)
    if wrong:
        said = "; ".join(f"{', '.join(keys)} only apply to action={owner}" for owner, keys in wrong.items())
        raise InvalidInput(f"{said}, not {action}. Nothing was sent.")
    if service and (wordpress := [k for k, on in given.items() if on and not OPTIONS[k][1]]):
        raise InvalidInput(
            f"{', '.join(wordpress)} only apply to WordPress environments (site/environment), not to an "
            "application or static site. Nothing was sent."
        )


def split_pem(text: str) -> tuple[str, str]:
    """custom_ssl (certificate chain and private key, PEM) → (certificates, key); never echoes them."""
    blocks = [(m[1], m[0]) for m in _PEM.finditer(text)]
    certs = "\n".join(b for kind, b in blocks if kind == "CERTIFICATE")
    keys = [b for kind, b in blocks if kind.endswith("PRIVATE KEY")]
    if not certs or len(keys) != 1:
        raise InvalidInput(
            "custom_ssl must hold the PEM certificate (-----BEGIN CERTIFICATE-----, chain allowed) and exactly one "
            f"PEM private key (-----BEGIN PRIVATE KEY-----); found {len(blocks)} PEM blocks, {len(keys)} keys."
        )
    return certs, keys[0]


async def hidden(started: Awaitable[T], secrets: tuple[str, ...]) -> T:
    """The API's error text never carries the SSL key or certificate back."""
    try:
        return await started
    except KinstaError as failure:
        raise failure.without(secrets) from None
