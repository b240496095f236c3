"""Naming applications, databases and static sites the way a person does: ID, name or display name.

The PaaS API (Kinsta-era v2, on Kinsta or Sevalla) has list endpoints with `company` and
limit/offset paging; by-name routes are deprecated and gone in v3. So a reference is resolved by
listing (all pages) and matching, here, once for every tool that takes one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import anyio

from kinsta_mcp.errors import InvalidInput

PAGE = 100
MAX_PAGES = 20  # 2,000 objects of a kind is far beyond any company we know of


@dataclass(frozen=True)
class Kind:
    noun: str  # for messages
    path: str  # list endpoint
    wrap: tuple[str, ...]  # keys from the body down to the item list
    list_tool: str  # the tool that lists them, for hints


APPLICATION = Kind("application", "/applications", ("company", "apps", "items"), "list_applications")
DATABASE = Kind("database", "/databases", ("databases", "items"), "list_databases")
STATIC_SITE = Kind("static site", "/static-sites", ("company", "static_sites", "items"), "list_static_sites")


def label(item: dict[str, Any]) -> str:
    """'Display name (name)' of an application, database or static site, as messages name it."""
    name, display = item.get("name", ""), item.get("display_name", "")
    return f"{display} ({name})" if display and display != name else name or item.get("id", "")


def service(call: Any) -> str:
    """Which API serves the PaaS tools for this call, for messages."""
    return "Sevalla" if call.deps.on_sevalla else "Kinsta"


def _items(body: Any, wrap: tuple[str, ...]) -> list[dict[str, Any]]:
    for key in wrap:
        body = (body or {}).get(key) if isinstance(body, dict) else None
    return [item for item in (body or []) if isinstance(item, dict)]


async def list_all(call: Any, kind: Kind) -> list[dict[str, Any]]:
    """Every object of a kind, following limit/offset until a short page."""
    company = await call.paas_company()
    found: list[dict[str, Any]] = []
    for page in range(MAX_PAGES):
        response = await call.paas.get(kind.path, params={"company": company, "limit": PAGE, "offset": page * PAGE})
        items = _items(response.data, kind.wrap)
        found += items
        if len(items) < PAGE:
            break
    return found


async def labels(call: Any, *kinds: Kind) -> dict[str, str]:
    """id → label of every object of these kinds (listed concurrently), for answers that carry bare ids."""
    found: dict[str, str] = {}

    async def collect(kind: Kind) -> None:
        found.update({str(item.get("id")): label(item) for item in await list_all(call, kind)})

    async with anyio.create_task_group() as group:
        for kind in kinds:
            group.start_soon(collect, kind)
    return found


async def resolve(call: Any, kind: Kind, ref: str) -> dict[str, Any]:
    """The list item a reference names (by id, name or display name, case-insensitive)."""
    wanted = ref.strip().lower()
    if not wanted:
        raise InvalidInput(f"Say which {kind.noun}: its ID, name or display name.")
    items = await list_all(call, kind)
    for key in ("id", "name"):
        for item in items:
            if str(item.get(key, "")).lower() == wanted:
                return item
    named = [i for i in items if str(i.get("display_name", "")).strip().lower() == wanted]
    if len(named) > 1:
        raise InvalidInput(
            f"{len(named)} {kind.noun}s are called {ref!r}: "
            + ", ".join(f"{i.get('name')} (id {i.get('id')})" for i in named) + ". Use the name or ID."
        )
    if named:
        return named[0]
    names = [str(i.get("name", "")) for i in items] + [str(i.get("display_name", "")) for i in items]
    close = difflib.get_close_matches(ref.strip(), names, n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise InvalidInput(f"No {kind.noun} matches {ref!r} (by ID, name or display name).{hint} "
                       f"{kind.list_tool} lists them.")
