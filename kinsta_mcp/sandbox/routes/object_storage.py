"""Sevalla v3 object storage: R2 buckets, their CDN domain, CORS policies and objects.

Kept beside the PaaS demo data (``paas(state)["buckets"]``, made on first use): two buckets, one public
with a CORS policy and a few media files, one private with more dumps than one page of objects holds.
Each bucket carries its S3 access key and secret, which GET /object-storage/{id} returns (as the spec
says it does): what the tools must never show. Objects are listed in key order; the cursor is the last
key of the page, opaque to clients.
"""

from __future__ import annotations

import base64
import re
import secrets
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..paas_seed import DAY_MS, SEED_NOW_MS, paas
from ..seed import stable_id
from ._common import ApiError, get_state, iso, now_ms, query_int, read_json, v3

LOCATIONS = ("apac", "eeur", "enam", "oc", "weur", "wnam")
JURISDICTIONS = ("default", "eu", "fedramp")
METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")
KINDS = {
    "image": ("png", "jpg", "jpeg", "gif", "webp", "svg"),
    "video": ("mp4", "webm", "mov"),
    "audio": ("mp3", "wav", "ogg"),
    "document": ("pdf", "doc", "docx", "txt", "md"),
}
_MEDIA = (
    ("images/logo.png", "image/png", 24_576),
    ("images/hero.jpg", "image/jpeg", 512_000),
    ("videos/intro.mp4", "video/mp4", 15_728_640),
    ("docs/brand-guide.pdf", "application/pdf", 2_097_152),
    ("robots.txt", "text/plain", 68),
)
DUMPS = 40  # more than one default page (25)
OBJECT_FIELDS = ("key", "type", "content_type", "size", "updated_at", "e_tag")


def _object(key: str, content_type: str, size: int, ms: int) -> dict[str, Any]:
    return {"key": key, "content_type": content_type, "size": size, "updated_at": ms, "e_tag": uuid.uuid4().hex}


def _bucket(company: str, name: str, location: str, jurisdiction: str, public: bool) -> dict[str, Any]:
    """A seeded bucket: the same ids and keys every run."""
    suffix = stable_id("bucket-name", name)[:8]
    created = SEED_NOW_MS - 40 * DAY_MS
    return {
        "id": stable_id("bucket", name),
        "company_id": company,
        "project_id": None,
        "name": name,
        "display_name": name.replace("-", " ").title(),
        "location": location,
        "jurisdiction": jurisdiction,
        "bucket_name": f"{name}-{suffix}",
        "domain": f"{name}-{suffix}.sevalla.storage" if public else None,
        "endpoint": f"https://{company.replace('-', '')}.r2.cloudflarestorage.com",
        "access_key": f"R2AK{stable_id('access', name).replace('-', '')[:28]}",
        "secret_key": f"r2sk-{stable_id('secret', name).replace('-', '')}",
        "created_at": created,
        "updated_at": created,
        "cors": [],
        "objects": [],
    }


def buckets_of(state: Any) -> list[dict[str, Any]]:
    """Every bucket of the sandbox, seeded on first use."""
    data: dict[str, Any] = paas(state)
    if "buckets" not in data:
        company = state.company_id
        media = _bucket(company, "media-assets", "weur", "default", public=True)
        rule = {"methods": ["GET", "HEAD"], "origins": ["https://www.acme.example"], "headers": None}
        media["cors"] = [{"id": stable_id("cors", "media")} | rule]
        media["objects"] = [_object(k, t, s, SEED_NOW_MS - (n + 1) * DAY_MS) for n, (k, t, s) in enumerate(_MEDIA)]
        archive = _bucket(company, "backups-archive", "weur", "eu", public=False)
        days = [SEED_NOW_MS - (DUMPS - d) * DAY_MS for d in range(DUMPS)]
        archive["objects"] = [
            _object(f"db/{iso(ms)[:10]}.sql.gz", "application/gzip", 48_000_000 + d * 125_000, ms)
            for d, ms in enumerate(days)
        ]
        data["buckets"] = [archive, media]  # listed by name
    found: list[dict[str, Any]] = data["buckets"]
    return found


def _found(request: Request) -> dict[str, Any]:
    ref = request.path_params["id"]
    bucket = next((b for b in buckets_of(get_state(request)) if b["id"] == ref), None)
    if bucket is None:
        raise ApiError(404, f"Object storage {ref} not found")
    return bucket


def _times(row: dict[str, Any]) -> dict[str, str]:
    return {"created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"])}


def _summary(b: dict[str, Any]) -> dict[str, Any]:
    return {k: b[k] for k in ("id", "name", "display_name", "location", "jurisdiction", "domain")} | _times(b)


def _updated(b: dict[str, Any]) -> dict[str, Any]:
    return {"id": b["id"], "company_id": b["company_id"], "project_id": b["project_id"]} | _summary(b)


def _detail(b: dict[str, Any]) -> dict[str, Any]:
    keys = ("bucket_name", "endpoint", "access_key", "secret_key")
    return _updated(b) | {k: b[k] for k in keys}


def _fields(body: dict[str, Any], allowed: set[str], required: frozenset[str] = frozenset()) -> dict[str, Any]:
    if unknown := sorted(set(body) - allowed):
        raise ApiError(400, f"Unknown field(s): {', '.join(unknown)}")
    if missing := sorted(required - set(body)):
        raise ApiError(400, f"{', '.join(missing)} is required")
    if "display_name" in body and not (isinstance(body["display_name"], str) and 2 <= len(body["display_name"]) <= 64):
        raise ApiError(400, "display_name must be 2 to 64 characters")
    project = body.get("project_id")
    if project is not None and not (isinstance(project, str) and UUID.match(project)):
        raise ApiError(400, "project_id must be a UUID or null")
    return body


def _unique(rows: list[dict[str, Any]], display: str) -> str:
    """The system name: made from the display name, unique in the company."""
    base = re.sub(r"[^a-z0-9]+", "-", display.lower()).strip("-") or "bucket"
    taken, name, n = {r["name"] for r in rows}, base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    return name


async def list_buckets(request: Request) -> Any:
    limit, offset = query_int(request, "limit", 25, 1, 100), query_int(request, "offset", 0, 0, 10_000)
    rows = sorted(buckets_of(get_state(request)), key=lambda b: b["name"])
    page = [_summary(b) for b in rows[offset : offset + limit]]
    return {"data": page, "total": len(rows), "offset": offset, "limit": limit}


async def create_bucket(request: Request) -> Any:
    allowed = {"display_name", "location", "jurisdiction", "public_access", "project_id"}
    body = _fields(await read_json(request), allowed, frozenset({"display_name"}))
    if body.get("location", "enam") not in LOCATIONS or body.get("jurisdiction", "default") not in JURISDICTIONS:
        raise ApiError(400, f"location must be one of {', '.join(LOCATIONS)}; jurisdiction one of {JURISDICTIONS}")
    if not isinstance(body.get("public_access", False), bool):
        raise ApiError(400, "public_access must be a boolean")
    state = get_state(request)
    rows = buckets_of(state)
    name, suffix = _unique(rows, body["display_name"]), secrets.token_hex(4)
    bucket = _bucket(state.company_id, name, "enam", "default", public=False) | {
        "id": str(uuid.uuid4()),
        "display_name": body["display_name"],
        "location": body.get("location", "enam"),
        "jurisdiction": body.get("jurisdiction", "default"),
        "project_id": body.get("project_id"),
        "bucket_name": f"{name}-{suffix}",
        "domain": f"{name}-{suffix}.sevalla.storage" if body.get("public_access") else None,
        "access_key": f"R2AK{secrets.token_hex(14)}",
        "secret_key": f"r2sk-{secrets.token_hex(16)}",
    }
    bucket["created_at"] = bucket["updated_at"] = now_ms()
    rows.append(bucket)
    return JSONResponse(_detail(bucket), status_code=201)


async def get_bucket(request: Request) -> Any:
    return _detail(_found(request))


async def update_bucket(request: Request) -> Any:
    bucket = _found(request)
    body = _fields(await read_json(request), {"display_name", "project_id"})
    bucket |= body | {"updated_at": now_ms()}
    return _updated(bucket)


async def delete_bucket(request: Request) -> Any:
    bucket = _found(request)
    buckets_of(get_state(request)).remove(bucket)
    return Response(status_code=204)


async def cdn_on(request: Request) -> Any:
    bucket = _found(request)
    if bucket["domain"]:
        raise ApiError(400, "A CDN domain is already enabled for this object storage")
    bucket["domain"], bucket["updated_at"] = f"{bucket['bucket_name']}.sevalla.storage", now_ms()
    return {"id": bucket["id"], "domain": bucket["domain"]}


async def cdn_off(request: Request) -> Any:
    bucket = _found(request)
    if not bucket["domain"]:
        raise ApiError(400, "No CDN domain is enabled for this object storage")
    bucket["domain"], bucket["updated_at"] = None, now_ms()
    return Response(status_code=204)


def _cors_body(body: dict[str, Any]) -> dict[str, Any]:
    if unknown := sorted(set(body) - {"methods", "origins", "headers"}):
        raise ApiError(400, f"Unknown field(s): {', '.join(unknown)}")
    methods, origins, headers = body.get("methods"), body.get("origins"), body.get("headers")
    if not isinstance(methods, list) or not methods or any(m not in METHODS for m in methods):
        raise ApiError(400, f"methods must be a non-empty list of {', '.join(METHODS)}")
    for name, value, least in (("origins", origins, 1), ("headers", headers, 0)):
        if name == "headers" and value is None:
            continue
        if not isinstance(value, list) or not least <= len(value) <= 100 or not all(isinstance(v, str) for v in value):
            raise ApiError(400, f"{name} must be a list of {least} to 100 strings")
    return {"methods": methods, "origins": origins, "headers": headers}


def _policy(request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    bucket = _found(request)
    ref = request.path_params["cors_policy_id"]
    policy = next((p for p in bucket["cors"] if p["id"] == ref), None)
    if policy is None:
        raise ApiError(404, f"CORS policy {ref} not found")
    return bucket, policy


async def list_cors(request: Request) -> Any:
    return {"data": [dict(p) for p in _found(request)["cors"]]}


async def add_cors(request: Request) -> Any:
    bucket = _found(request)
    bucket["cors"].append({"id": str(uuid.uuid4())} | _cors_body(await read_json(request)))
    return JSONResponse({"message": "CORS policy created successfully"}, status_code=201)


async def update_cors(request: Request) -> Any:
    _, policy = _policy(request)
    policy |= _cors_body(await read_json(request))
    return {"message": "CORS policy updated successfully"}


async def delete_cors(request: Request) -> Any:
    bucket, policy = _policy(request)
    bucket["cors"].remove(policy)
    return Response(status_code=204)


def _kind(key: str) -> str:
    ext = key.rsplit(".", 1)[-1].lower() if "." in key else ""
    return next((kind for kind, exts in KINDS.items() if ext in exts), "file")


def _entries(bucket: dict[str, Any], prefix: str, delimiter: str) -> list[dict[str, Any]]:
    """The listing before paging: files, and with a delimiter one folder per common prefix."""
    out: dict[str, dict[str, Any]] = {}
    for item in bucket["objects"]:
        key = item["key"]
        if not key.startswith(prefix):
            continue
        cut = key.find(delimiter, len(prefix)) if delimiter else -1
        if cut >= 0:
            folder = key[: cut + len(delimiter)]
            out[folder] = dict(zip(OBJECT_FIELDS, (folder, "folder", None, None, None, None), strict=True))
        else:
            facts = (key, _kind(key), item["content_type"], item["size"], iso(item["updated_at"]), f'"{item["e_tag"]}"')
            out[key] = dict(zip(OBJECT_FIELDS, facts, strict=True))
    return [out[k] for k in sorted(out)]


async def list_objects(request: Request) -> Any:
    bucket = _found(request)
    limit = query_int(request, "limit", 25, 1, 200)
    query = request.query_params
    rows = _entries(bucket, query.get("prefix", ""), query.get("delimiter", ""))
    if cursor := query.get("cursor"):
        try:
            after = base64.urlsafe_b64decode(cursor.encode()).decode()
        except ValueError:
            raise ApiError(400, "cursor is not valid") from None
        rows = [r for r in rows if r["key"] > after]
    page = rows[:limit]
    more = len(rows) > limit
    return {"data": page, "cursor": base64.urlsafe_b64encode(page[-1]["key"].encode()).decode() if more else None}


async def delete_objects(request: Request) -> Any:
    bucket = _found(request)
    body = await read_json(request)
    keys = body.get("keys")
    if set(body) != {"keys"} or not isinstance(keys, list) or not 1 <= len(keys) <= 1000:
        raise ApiError(400, "keys must be a list of 1 to 1000 object keys")
    gone = set(keys)  # keys that are not there are skipped, as S3 does
    bucket["objects"] = [o for o in bucket["objects"] if o["key"] not in gone]
    return Response(status_code=204)


_ROUTES: tuple[tuple[str, str, Callable[[Request], Awaitable[Any]]], ...] = (
    ("/object-storage", "GET", list_buckets),
    ("/object-storage", "POST", create_bucket),
    ("/object-storage/{id}", "GET", get_bucket),
    ("/object-storage/{id}", "PATCH", update_bucket),
    ("/object-storage/{id}", "DELETE", delete_bucket),
    ("/object-storage/{id}/domain", "POST", cdn_on),
    ("/object-storage/{id}/domain", "DELETE", cdn_off),
    ("/object-storage/{id}/cors-policies", "GET", list_cors),
    ("/object-storage/{id}/cors-policies", "POST", add_cors),
    ("/object-storage/{id}/cors-policies/{cors_policy_id}", "PATCH", update_cors),
    ("/object-storage/{id}/cors-policies/{cors_policy_id}", "DELETE", delete_cors),
    ("/object-storage/{id}/objects", "GET", list_objects),
    ("/object-storage/{id}/objects", "DELETE", delete_objects),
)
v3_routes = [Route(path, v3(handler), methods=[method]) for path, method, handler in _ROUTES]
