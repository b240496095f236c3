"""Naming applications, databases and static sites the way a person does: ID, name or display name.

The PaaS API (Kinsta-era v2, on Kinsta or Sevalla) has list endpoints with `company` and
limit/offset paging; by-name routes are deprecated and gone in v3. So a reference is resolved by
listing (all pages) and matching, here, once for every tool that takes one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import anyio

from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.refs import no_match

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


def pick(items: list[dict[str, Any]], kind: Kind, ref: str) -> dict[str, Any] | None:
    """The item a reference names: exact id or name, then display name, then a unique part of a name.
    Several display names or several partial matches list the candidates instead of guessing."""
    wanted = ref.strip().lower()
    for key in ("id", "name"):
        for item in items:
            if str(item.get(key, "")).lower() == wanted:
                return item
    for found in (
        [i for i in items if str(i.get("display_name", "")).strip().lower() == wanted],
        [
            i
            for i in items
            if wanted in str(i.get("name", "")).lower() or wanted in str(i.get("display_name", "")).lower()
        ],
    ):
        if len(found) > 1:
            raise InvalidInput(
                f"{len(found)} {kind.noun}s match {ref!r}: "
                + ", ".join(f"{label(i)} (id {i.get('id')})" for i in found[:10])
                + ". Use the name or ID."
            )
        if found:
            return found[0]
    return None


class Catalog:
    """The company's applications, databases and static sites, listed once per kind and kept briefly,
    so a promotion to five apps or a burst of calls costs one listing, not one per reference."""

    TTL = 30.0

    def __init__(self) -> None:
        self._items: dict[str, tuple[float, list[dict[str, Any]]]] = {}
        self._lock = anyio.Lock()

    def invalidate(self) -> None:
        self._items.clear()

    async def items(self, api: Any, kind: Kind, *, fresh: bool = False) -> list[dict[str, Any]]:
        import time

        from kinsta_mcp.api.paas import LISTS

        async with self._lock:
            cached = self._items.get(kind.noun)
            if fresh or cached is None or time.monotonic() - cached[0] > self.TTL:
                company, found = await api.paas_company(), []
                for page in range(MAX_PAGES):
                    items = await api.get(
                        LISTS[kind.noun], query={"company": company, "limit": PAGE, "offset": page * PAGE}
                    )
                    found += [item for item in items or [] if isinstance(item, dict)]
                    if len(items or []) < PAGE:
                        break
                cached = self._items[kind.noun] = (time.monotonic(), found)
            return cached[1]

    async def resolve(self, api: Any, kind: Kind, ref: str) -> dict[str, Any]:
        if not ref.strip():
            raise InvalidInput(f"Say which {kind.noun}: its ID, name or display name.")
        for fresh in (False, True):
            items = await self.items(api, kind, fresh=fresh)
            hit = pick(items, kind, ref)
            if hit is not None:
                return hit
        names = [str(i.get("name", "")) for i in items] + [str(i.get("display_name", "")) for i in items]
        raise InvalidInput(
            no_match(kind.noun, ref, names, "by ID, name or display name", f"{kind.list_tool} lists them.")
        )

    async def labels(self, api: Any, *kinds: Kind) -> dict[str, str]:
        """id → label of every object of these kinds, for answers that carry bare ids."""
        found: dict[str, str] = {}
        for kind in kinds:
            found.update({str(item.get("id")): label(item) for item in await self.items(api, kind)})
        return found
