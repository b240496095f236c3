"""Bounded lists: a page of items plus a note on how to get the next part.

Most Kinsta list endpoints return everything at once (sites, backups, DNS records…); a model should
not read 800 redirect rules to answer one question, so lists are cut here, in one way everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

from pydantic import Field

from kinsta_mcp.models.base import Output

T = TypeVar("T")

# Explained once in the server instructions rather than in every list tool's schema.
Limit = Annotated[int, Field(ge=1, le=500)]
Offset = Annotated[int, Field(ge=0)]


class Page(Output):
    """Fields every paged result carries."""

    total: int = Field(0, description="How many items exist in all")
    offset: int = 0
    returned: int = 0
    next_offset: int = Field(-1, description="Offset of the next page; -1 when this is the last one")

    def page_note(self, noun: str = "items") -> str:
        shown = f"{self.returned} of {self.total} {noun}"
        if self.offset:
            shown += f" (from #{self.offset + 1})"
        if self.next_offset >= 0:
            shown += f"; more with offset={self.next_offset}"
        return shown


def cut(items: Sequence[T], limit: int, offset: int) -> tuple[list[T], dict[str, int]]:
    """The page of `items`, and the Page fields describing it."""
    chunk = list(items[offset : offset + limit])
    nxt = offset + len(chunk)
    return chunk, {
        "total": len(items),
        "offset": offset,
        "returned": len(chunk),
        "next_offset": nxt if nxt < len(items) else -1,
    }
