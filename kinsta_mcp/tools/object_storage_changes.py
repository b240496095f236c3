"""Changing object storage: `change_object_storage` (write) creates, renames, turns the public CDN domain
on or off and adds or replaces CORS policies; `delete_object_storage` (destructive, asks) deletes a
bucket, objects or CORS policies, after a preview that counts what goes.

Turning the CDN domain on (or creating a bucket with public access) makes every object readable by
anyone with its URL: that grants access, so the user is asked. A bucket is provisioned at once (the
answer is the bucket). Its access key and secret, which the creation answer carries, are never shown.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from kinsta_mcp.api import object_storage as ep
from kinsta_mcp.api.facade import Api
from kinsta_mcp.errors import InvalidInput, KinstaError
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, done
from kinsta_mcp.models.object_storage import Bucket, Cors, StoredObject
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.text import human_bytes
from kinsta_mcp.tools.object_storage import KEYS_NOTE, bucket_ref, objects
from kinsta_mcp.tools.values import Text, Values, given

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=64)]
Method = Literal["GET", "PUT", "POST", "DELETE", "HEAD"]
SCAN = 2_000  # objects counted for a preview (10 list calls)
PUBLIC = "every object in it can then be read by anyone with its URL"


class NewBucket(Values):
    what = "a bucket setting for create"
    display_name: Name
    location: Literal["apac", "eeur", "enam", "oc", "weur", "wnam"] | None = None
    jurisdiction: Literal["default", "eu", "fedramp"] | None = None
    public_access: bool | None = None
    project_id: Text | None = None


class BucketUpdate(Values):
    what = "a bucket setting for update"
    nullable = ("project_id",)
    display_name: Name | None = None
    project_id: Text | None = None


class CorsRule(Values):
    what = "a CORS policy setting"
    policy: Text | None = None  # cors_update: which one
    methods: list[Method] | None = Field(None, min_length=1, max_length=5)
    origins: list[Text] | None = Field(None, min_length=1, max_length=100)
    headers: list[Text] | None = Field(None, max_length=100)


async def _create(plan: Planner, values: dict[str, Any]) -> Change:
    body = given(NewBucket, values, "create").body()
    what = f"Create bucket {body['display_name']}"

    async def run(api: Api) -> ChangeOutcome:
        made: Bucket = (await api.call(ep.CREATE_BUCKET, body=body)).value
        return done(what, f"{made.line}; S3 endpoint {made.endpoint}. {KEYS_NOTE}")

    if body.get("public_access"):
        return plan.change(what, run, risk=Risk.SENSITIVE, preview=f"{what} with a public CDN domain: {PUBLIC}.")
    return plan.change(what, run)


def _cdn(plan: Planner, bucket: Bucket, on: bool) -> Change:
    what = f"CDN domain {'on' if on else 'off'} for bucket {bucket.label}"
    if bool(bucket.domain) == on:
        state = f"on (https://{bucket.domain})" if on else "off"
        same = done(what, f"It already is {state}; nothing was sent.")
        return plan.change(what, lambda api: _now(same), risk=Risk.READ)

    async def run(api: Api) -> ChangeOutcome:
        if on:
            domain = (await api.call(ep.CDN_ON, id=bucket.id)).value.domain
            return done(what, f"Its objects are public at https://{domain}")
        await api.call(ep.CDN_OFF, id=bucket.id)
        return done(what, f"Its objects are no longer served at https://{bucket.domain}")

    preview = f"Turn on a public CDN domain for bucket {bucket.label}: {PUBLIC}." if on else ""
    return plan.change(what, run, preview=preview)


async def _now(outcome: ChangeOutcome) -> ChangeOutcome:
    return outcome


async def _cors(plan: Planner, bucket: Bucket, action: str, values: dict[str, Any]) -> Change:
    rule = given(CorsRule, values, action).body()
    policy = rule.pop("policy", None)
    current = (await plan.api.get(ep.CORS, id=bucket.id)).data
    if action == "cors_add":
        if policy or not {"methods", "origins"} <= set(rule):
            raise InvalidInput("cors_add takes methods and origins (and headers) in values, no policy.")
        what = f"Add a CORS policy to bucket {bucket.label}"

        async def add(api: Api) -> ChangeOutcome:
            await api.call(ep.ADD_CORS, body=rule, id=bucket.id)
            new = [c for c in (await api.get(ep.CORS, id=bucket.id)).data if c.id not in {o.id for o in current}]
            return done(what, "; ".join(c.line for c in new) or "added")

        return plan.change(what, add)
    old = next((c for c in current if c.id == policy), None)
    if old is None:
        ids = ", ".join(c.id for c in current) or "the bucket has none"
        raise InvalidInput(
            f"cors_update takes values: policy (its ID: {ids}), methods, origins, headers (those left out stay)."
        )
    body = {"methods": old.methods, "origins": old.origins} | ({"headers": old.headers} if old.headers else {}) | rule
    what = f"Replace CORS policy {old.id} of bucket {bucket.label}"

    async def replace(api: Api) -> ChangeOutcome:
        await api.call(ep.UPDATE_CORS, body=body, id=bucket.id, cors_policy_id=old.id)
        return done(what, f"was {old.line}; now {Cors(id=old.id, **body).line}")

    return plan.change(what, replace)


@tool(
    "object_storage",
    Risk.WRITE,
    "Change bucket",
    actions={"cdn_on": Risk.SENSITIVE},
    sensitive=True,
    needs={a: ("bucket",) for a in ("update", "cdn_on", "cdn_off", "cors_add", "cors_update")},
)
async def change_object_storage(
    plan: Planner,
    action: Literal["create", "update", "cdn_on", "cdn_off", "cors_add", "cors_update"],
    bucket: str = "",
    values: Annotated[dict[str, Any], Field(description="the action's keys; {} says which")] = {},  # noqa: B006
) -> Change:
    """Buckets: create, update, CDN domain on/off, add or replace a CORS policy."""
    plan.api.need_v3("Object storage")
    if action == "create":
        return await _create(plan, {"display_name": bucket.strip()} | values if bucket.strip() else values)
    found = await bucket_ref(plan, bucket)
    if action in ("cdn_on", "cdn_off"):
        return _cdn(plan, found, action == "cdn_on")
    if action.startswith("cors"):
        return await _cors(plan, found, action, values)
    body = given(BucketUpdate, values, "update").body()
    if not body:
        raise InvalidInput(f"update takes values: {', '.join(BucketUpdate.model_fields)} (any of them).")
    what = f"Update bucket {found.label}"

    async def update(api: Api) -> ChangeOutcome:
        now: Bucket = (await api.call(ep.UPDATE_BUCKET, body=body, id=found.id)).value
        return done(what, now.line)

    return plan.change(what, update)


async def _scan(plan: Planner, bucket: Bucket) -> tuple[list[StoredObject], bool]:
    """The bucket's objects as far as a preview counts them, and whether that was all of them."""
    found, more = await objects(plan.api, bucket.id, SCAN)
    return found, not more


def _n(count: int, noun: str) -> str:
    many = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count} {noun if count == 1 else many}"


def _size(items: list[StoredObject]) -> str:
    return human_bytes(sum(o.size or 0 for o in items))


async def _delete_objects(plan: Planner, bucket: Bucket, keys: list[str]) -> Change:
    listed, complete = await _scan(plan, bucket)
    by_key = {o.key: o for o in listed}
    missing = [k for k in keys if k not in by_key]
    if missing and complete:
        close = dict.fromkeys(c for k in missing for c in difflib.get_close_matches(k, list(by_key), n=2, cutoff=0.6))
        folders = [k for k in missing if any(o.startswith(k.rstrip("/") + "/") for o in by_key)]
        raise InvalidInput(
            f"Bucket {bucket.label} has no object {', '.join(missing)}."
            + (f" Did you mean {', '.join(close)}?" if close else "")
            + (f" {', '.join(folders)}: a folder; name the keys in it (object_storage lists them)." if folders else "")
            + " Nothing was sent."
        )
    known = [by_key[k] for k in keys if k in by_key]
    lines = [f"- {o.line}" for o in known[:20]] + ([f"- … and {len(known) - 20} more"] if len(known) > 20 else [])
    if missing:
        lines.append(f"- {len(missing)} keys not among the first {SCAN} objects counted (size unknown)")
    what = f"Delete {_n(len(keys), 'object')} ({_size(known)}) from bucket {bucket.label}"

    async def run(api: Api) -> ChangeOutcome:
        sent = 0
        for start in range(0, len(keys), ep.KEYS_PER_DELETE):
            chunk = keys[start : start + ep.KEYS_PER_DELETE]
            try:
                await api.call(ep.DELETE_OBJECTS, body={"keys": chunk}, id=bucket.id)
            except KinstaError as failure:
                failure.message += f" Deleted before it: {sent} of {len(keys)} keys."
                raise
            sent += len(chunk)
        # The API answers 204 even when some keys failed (it only logs them): say what was sent.
        return done(what, f"{sent} keys sent for deletion; the API reports no per-key failures")

    return plan.change(what, run, preview="\n".join([f"{what}:", *lines, "This cannot be undone."]))


async def _delete_cors(plan: Planner, bucket: Bucket, ids: list[str]) -> Change:
    current = {c.id: c for c in (await plan.api.get(ep.CORS, id=bucket.id)).data}
    if unknown := [i for i in ids if i not in current]:
        raise InvalidInput(
            f"Bucket {bucket.label} has no CORS policy {', '.join(unknown)}; its policies: "
            f"{'; '.join(c.line for c in current.values()) or 'none'}. Nothing was sent."
        )
    what = f"Delete {_n(len(ids), 'CORS policy')} of bucket {bucket.label}"

    async def run(api: Api) -> ChangeOutcome:
        for n, policy in enumerate(ids):
            try:
                await api.call(ep.DELETE_CORS, id=bucket.id, cors_policy_id=policy)
            except KinstaError as failure:
                failure.message += f" Deleted before it: {', '.join(ids[:n]) or 'nothing'}."
                raise
        return done(what, f"deleted {', '.join(ids)}")

    lines = [f"- {current[i].line}" for i in ids]
    after = "browsers on those origins lose access" + (" (no policy is left)" if len(ids) == len(current) else "")
    return plan.change(what, run, preview="\n".join([f"{what}: {after}.", *lines]))


@tool("object_storage", Risk.DESTRUCTIVE, "Delete bucket data", needs={"objects": ("items",), "cors": ("items",)})
async def delete_object_storage(
    plan: Planner,
    bucket: str,
    action: Literal["bucket", "objects", "cors"],
    items: list[str] = [],  # noqa: B006
) -> Change:
    """Delete a bucket and all in it, objects (items: keys) or CORS policies (items: IDs)."""
    plan.api.need_v3("Object storage")
    found = await bucket_ref(plan, bucket)
    wanted = list(dict.fromkeys(i.strip() for i in items if i.strip()))
    if action == "objects":
        return await _delete_objects(plan, found, wanted)
    if action == "cors":
        return await _delete_cors(plan, found, wanted)
    if wanted:
        raise InvalidInput("action bucket deletes the whole bucket and takes no items; objects or cors delete items.")
    listed, complete = await _scan(plan, found)
    count = f"{_n(len(listed), 'object')}, {_size(listed)}"
    if not complete:
        count = f"at least {len(listed)} objects (not all counted; the first ones hold {_size(listed)})"
    cdn = f"; its CDN domain https://{found.domain} stops serving" if found.domain else ""
    what = f"Delete bucket {found.label}"
    return plan.change(
        what,
        lambda api: _sent(api, found, what),
        preview=f"{what} (id {found.id}) and everything in it: {count}{cdn}. Its access keys stop working. "
        "This cannot be undone.",
    )


async def _sent(api: Api, bucket: Bucket, what: str) -> ChangeOutcome:
    await api.call(ep.DELETE_BUCKET, id=bucket.id)
    return done(what, "deleted")
