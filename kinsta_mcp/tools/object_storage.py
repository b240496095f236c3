"""Sevalla object storage (R2 buckets, v3 API only): `object_storage` lists buckets or shows one with its
CDN domain, CORS policies and a page of objects. Changes are in tools/object_storage_changes.py.

A bucket's S3 access key and secret come with its detail; they are never shown (not even on request:
whoever needs them takes them from the Sevalla dashboard), and the answers say so.
"""

from __future__ import annotations

from pydantic import Field, PrivateAttr

from kinsta_mcp.api import object_storage as ep
from kinsta_mcp.api.facade import ReadApi
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Risk
from kinsta_mcp.models.base import Output
from kinsta_mcp.models.object_storage import Bucket, StoredObject
from kinsta_mcp.paas_refs import Kind, pick
from kinsta_mcp.planner import Planner
from kinsta_mcp.refs import no_match
from kinsta_mcp.registry import tool

BUCKET = Kind("bucket", "/object-storage", (), "object_storage")
SHOWN = 25  # objects per answer
KEYS_NOTE = "Access key and secret: never shown here (the Sevalla dashboard has them)."


async def buckets(api: ReadApi) -> list[Bucket]:
    found: list[Bucket] = []
    while len(found) < 10_000:  # the most the API pages through
        page = await api.get(ep.BUCKETS, query={"limit": ep.PAGE, "offset": len(found)})
        found += page.data
        if not page.data or len(found) >= page.total:
            break
    return found


async def bucket_ref(plan: Planner, ref: str) -> Bucket:
    """The bucket a reference names: ID, name, display name or a unique part of one."""
    plan.api.need_v3("Object storage")
    if not ref.strip():
        raise InvalidInput("Say which bucket: its ID, name or display name (object_storage lists them).")
    listed = await buckets(plan.api)
    hit = pick([b.model_dump() for b in listed], BUCKET, ref)
    if hit is None:
        names = [b.name for b in listed] + [b.display_name for b in listed]
        raise InvalidInput(no_match("bucket", ref, names, "by ID, name or display name", "object_storage lists them."))
    return Bucket.model_validate(hit)


async def objects(api: ReadApi, bucket_id: str, limit: int, cursor: str = "") -> tuple[list[StoredObject], str]:
    """Up to `limit` objects from `cursor` on, and the cursor after them ('' when there are no more)."""
    found: list[StoredObject] = []
    while len(found) < limit:
        query = {"limit": min(ep.OBJECT_PAGE, limit - len(found))} | ({"cursor": cursor} if cursor else {})
        page = await api.get(ep.OBJECTS, query=query, id=bucket_id)
        found += page.data
        cursor = page.cursor
        if not cursor or not page.data:
            return found, ""
    return found, cursor


class Buckets(Output):
    buckets: list[str] = Field(default_factory=list)
    cors: list[str] = Field(default_factory=list)
    objects: list[str] = Field(default_factory=list)
    cursor: str = ""  # more objects: pass it back
    _one: str = PrivateAttr("")  # one bucket: "detail", or "objects" for a continuation

    def summary(self) -> str:
        if not self._one:
            return "\n".join([f"{len(self.buckets)} buckets:"] + [f"- {b}" for b in self.buckets])
        lines = [f"Bucket {self.buckets[0]}"]
        if self._one == "detail":
            lines += [f"CORS policies: {len(self.cors) or 'none'}"] + [f"- {c}" for c in self.cors]
        more = f"; more with cursor={self.cursor}" if self.cursor else ""
        lines.append(f"Objects ({len(self.objects)}{more}):" if self.objects else "No objects.")
        return "\n".join(lines + [f"- {o}" for o in self.objects])

    def next_step(self) -> str:
        return KEYS_NOTE if self._one == "detail" else ""


@tool("object_storage", Risk.READ, "Buckets")
async def object_storage(plan: Planner, bucket: str = "", cursor: str = "") -> Buckets:
    """Buckets; with bucket: details, CORS, objects (cursor: more). Keys never shown."""
    if not bucket.strip():
        plan.api.need_v3("Object storage")
        return Buckets(buckets=[b.line for b in await buckets(plan.api)])
    found = await bucket_ref(plan, bucket)
    detail: Bucket = await plan.api.get(ep.BUCKET, id=found.id)
    where = f"; S3 endpoint {detail.endpoint}, bucket {detail.bucket_name}" if detail.endpoint else ""
    policies = [] if cursor else [c.line for c in (await plan.api.get(ep.CORS, id=found.id)).data]
    listed, more = await objects(plan.api, found.id, SHOWN, cursor)
    out = Buckets(buckets=[detail.line + where], cors=policies, objects=[o.line for o in listed], cursor=more)
    out._one = "objects" if cursor else "detail"
    return out
