"""Sevalla object storage (v3 only) through the real MCP client against the sandbox's /sevalla/v3: buckets
listed and shown with CORS and a page of objects, created, updated, CDN on/off, CORS added and replaced,
buckets, objects and CORS policies deleted only after the user agreed; access keys never in any answer."""

from __future__ import annotations

import json

import pytest
from mcp import Client

from kinsta_mcp.sandbox.routes.object_storage import buckets_of
from kinsta_mcp.server import build_server
from tests.paas import mutations, sent
from tests.test_tools import Asker, confirmed, text_of

pytestmark = pytest.mark.anyio

TOOLSETS = ("object_storage",)


def server(settings):
    return build_server(settings.with_(toolsets=TOOLSETS))


async def call(settings, tool, args, **client):
    async with Client(server(settings), **client) as session:
        return await session.call_tool(tool, args)


def bucket(state, name):
    return next(b for b in buckets_of(state) if b["name"] == name)


def everything(result) -> str:
    return text_of(result) + json.dumps(result.structured_content or {})


def leaks(state, result) -> list[str]:
    """Access keys and secrets of every bucket that appear in a result."""
    shown = everything(result)
    return [b[k] for b in buckets_of(state) for k in ("access_key", "secret_key") if b[k] in shown]


# -- reading ----------------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_buckets_are_listed_by_name_with_their_cdn_domain(sandbox, sevalla_settings, mode):
    _, state = sandbox
    result = await call(sevalla_settings, "object_storage", {}, mode=mode)
    assert not result.is_error, text_of(result)
    media = bucket(state, "media-assets")
    lines = result.structured_content["buckets"]
    assert len(lines) == 2 and lines[0].startswith("Backups Archive (backups-archive) [weur, eu jurisdiction]")
    assert lines[1] == f"Media Assets (media-assets) [weur] CDN https://{media['domain']}, id {media['id']}"
    assert "no public CDN domain" in lines[0] and leaks(state, result) == []
    [read] = state.requests
    assert (
        read.base == "sevalla_v3" and read.path == "/object-storage" and read.query == {"limit": "100", "offset": "0"}
    )


async def test_a_bucket_shows_cors_and_objects_and_never_its_keys(sandbox, sevalla_settings):
    _, state = sandbox
    media = bucket(state, "media-assets")
    result = await call(sevalla_settings, "object_storage", {"bucket": "Media"})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert data["buckets"][0].endswith(f"; S3 endpoint {media['endpoint']}, bucket {media['bucket_name']}")
    assert data["cors"] == [f"{media['cors'][0]['id']}: GET, HEAD from https://www.acme.example"]
    assert data["objects"][0].startswith("docs/brand-guide.pdf (application/pdf, 2.10 MB, 20")
    assert len(data["objects"]) == 5 and data["cursor"] == ""
    assert "Access key and secret: never shown here" in text_of(result)
    assert leaks(state, result) == [] and media["secret_key"] not in text_of(result)
    paths = [r.path for r in state.requests]
    assert paths[1:] == [f"/object-storage/{media['id']}{p}" for p in ("", "/cors-policies", "/objects")]


async def test_objects_come_a_page_at_a_time_with_a_cursor(sandbox, sevalla_settings):
    _, state = sandbox
    archive = bucket(state, "backups-archive")
    async with Client(server(sevalla_settings)) as client:
        first = await client.call_tool("object_storage", {"bucket": "backups-archive"})
        cursor = first.structured_content["cursor"]
        rest = await client.call_tool("object_storage", {"bucket": "backups-archive", "cursor": cursor})
    assert len(first.structured_content["objects"]) == 25 and cursor
    assert f"more with cursor={cursor}" in text_of(first)
    keys = [line.split(" ")[0] for line in first.structured_content["objects"] + rest.structured_content["objects"]]
    assert keys == sorted(o["key"] for o in archive["objects"])
    assert rest.structured_content["cursor"] == "" and rest.structured_content["cors"] == []
    assert [r.query.get("cursor") for r in state.requests if r.path.endswith("/objects")] == [None, cursor]


async def test_an_unknown_bucket_names_the_close_ones(sandbox, sevalla_settings):
    result = await call(sevalla_settings, "object_storage", {"bucket": "media-asets"})
    assert result.is_error and "No bucket matches 'media-asets'" in text_of(result)
    assert "media-assets" in text_of(result)


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("object_storage", {}),
        ("change_object_storage", {"action": "create", "bucket": "New one"}),
        ("delete_object_storage", {"action": "bucket", "bucket": "media-assets"}),
    ],
)
async def test_without_a_sevalla_key_nothing_is_sent(sandbox, settings, tool, args):
    _, state = sandbox
    result = await call(settings, tool, args)
    assert result.is_error and "SEVALLA_API_KEY" in text_of(result) and state.requests == []


# -- writing ----------------------------------------------------------------------------------------


async def test_create_sends_the_spec_body_and_never_shows_the_new_keys(sandbox, sevalla_settings):
    _, state = sandbox
    asker = Asker("accept")
    args = {"action": "create", "bucket": "Product Photos", "values": {"location": "weur", "jurisdiction": "eu"}}
    result = await call(sevalla_settings, "change_object_storage", args, elicitation_callback=asker)
    assert not result.is_error, text_of(result)
    assert asker.asked == []  # a private bucket grants no one anything
    [post] = mutations(state)
    assert post.path == "/object-storage" and post.json == {
        "display_name": "Product Photos",
        "location": "weur",
        "jurisdiction": "eu",
    }
    made = bucket(state, "product-photos")
    assert made["domain"] is None and made["location"] == "weur"
    assert f"id {made['id']}" in text_of(result) and "never shown here" in text_of(result)
    assert leaks(state, result) == []


async def test_create_without_values_says_every_key_and_sends_nothing(sandbox, sevalla_settings):
    _, state = sandbox
    result = await call(sevalla_settings, "change_object_storage", {"action": "create"})
    assert result.is_error and state.requests == []
    assert "create takes values: display_name, location (optional)" in text_of(result)


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_turning_the_cdn_domain_on_asks_because_it_makes_objects_public(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    archive = bucket(state, "backups-archive")
    asker = Asker(answer)
    args = {"action": "cdn_on", "bucket": "Backups Archive"}
    result = await call(sevalla_settings, "change_object_storage", args, mode=mode, elicitation_callback=asker)
    [question] = asker.asked
    assert "Turn on a public CDN domain for bucket Backups Archive (backups-archive)" in question
    assert "readable by anyone" in question or "read by anyone" in question
    if answer == "accept":
        assert not result.is_error, text_of(result)
        [post] = mutations(state)
        assert post.method == "POST" and post.path == f"/object-storage/{archive['id']}/domain"
        assert archive["domain"] and f"public at https://{archive['domain']}" in text_of(result)
    else:
        assert result.is_error and mutations(state) == [] and archive["domain"] is None


async def test_cdn_off_is_a_plain_write_and_a_second_one_sends_nothing(sandbox, sevalla_settings):
    _, state = sandbox
    media = bucket(state, "media-assets")
    domain = media["domain"]
    asker = Asker("accept")
    async with Client(server(sevalla_settings), elicitation_callback=asker) as client:
        off = await client.call_tool("change_object_storage", {"action": "cdn_off", "bucket": "media-assets"})
        again = await client.call_tool("change_object_storage", {"action": "cdn_off", "bucket": "media-assets"})
    assert not off.is_error and asker.asked == []
    assert f"no longer served at https://{domain}" in text_of(off) and media["domain"] is None
    assert [(m.method, m.path) for m in mutations(state)] == [("DELETE", f"/object-storage/{media['id']}/domain")]
    assert "already is off; nothing was sent" in text_of(again)


async def test_update_renames_a_bucket(sandbox, sevalla_settings):
    _, state = sandbox
    media = bucket(state, "media-assets")
    args = {"action": "update", "bucket": "media-assets", "values": {"display_name": "Media"}}
    result = await call(sevalla_settings, "change_object_storage", args)
    assert not result.is_error, text_of(result)
    [patch] = mutations(state)
    assert patch.method == "PATCH" and patch.json == {"display_name": "Media"} and media["display_name"] == "Media"
    assert "Media (media-assets)" in text_of(result)


async def test_cors_policies_are_added_and_replaced_keeping_what_was_not_given(sandbox, sevalla_settings):
    _, state = sandbox
    media = bucket(state, "media-assets")
    old = media["cors"][0]["id"]
    add = {"methods": ["GET", "PUT"], "origins": ["https://admin.acme.example"], "headers": ["Content-Type"]}
    async with Client(server(sevalla_settings)) as client:
        added = await client.call_tool(
            "change_object_storage", {"action": "cors_add", "bucket": "media-assets", "values": add}
        )
        replaced = await client.call_tool(
            "change_object_storage",
            {
                "action": "cors_update",
                "bucket": "media-assets",
                "values": {"policy": old, "origins": ["https://acme.example", "https://www.acme.example"]},
            },
        )
        bad = await client.call_tool(
            "change_object_storage", {"action": "cors_update", "bucket": "media-assets", "values": {"origins": ["*"]}}
        )
    assert not added.is_error and not replaced.is_error, text_of(added) + text_of(replaced)
    new = media["cors"][1]
    assert new["methods"] == ["GET", "PUT"] and f"{new['id']}: GET, PUT from https://admin.acme.example" in text_of(
        added
    )
    post, patch = mutations(state)
    assert post.path == f"/object-storage/{media['id']}/cors-policies" and post.json == add
    assert patch.path == f"/object-storage/{media['id']}/cors-policies/{old}"
    assert patch.json == {"methods": ["GET", "HEAD"], "origins": ["https://acme.example", "https://www.acme.example"]}
    assert media["cors"][0]["origins"] == ["https://acme.example", "https://www.acme.example"]
    assert bad.is_error and f"policy (its ID: {old}, {new['id']})" in text_of(bad) and len(mutations(state)) == 2


# -- deleting ---------------------------------------------------------------------------------------


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_deleting_a_bucket_asks_with_what_it_holds(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    media = bucket(state, "media-assets")
    asker = Asker(answer)
    args = {"action": "bucket", "bucket": "Media Assets"}
    result = await call(sevalla_settings, "delete_object_storage", args, mode=mode, elicitation_callback=asker)
    [question] = asker.asked
    size = sum(o["size"] for o in media["objects"])
    assert f"Delete bucket Media Assets (media-assets) (id {media['id']}) and everything in it: 5 objects" in question
    assert f"{size / 1e6:.2f} MB" in question and f"CDN domain https://{media['domain']} stops serving" in question
    assert "cannot be undone" in question and leaks(state, result) == []
    if answer == "accept":
        assert not result.is_error, text_of(result)
        assert [(m.method, m.path) for m in mutations(state)] == [("DELETE", f"/object-storage/{media['id']}")]
        assert all(b["name"] != "media-assets" for b in buckets_of(state))
    else:
        assert result.is_error and mutations(state) == [] and bucket(state, "media-assets")


async def test_deleting_objects_previews_their_sizes_then_sends_the_keys(sandbox, sevalla_settings):
    _, state = sandbox
    media = bucket(state, "media-assets")
    args = {"action": "objects", "bucket": "media-assets", "items": ["images/hero.jpg", "robots.txt"]}
    async with Client(server(sevalla_settings)) as client:
        preview = await client.call_tool("delete_object_storage", args)
        assert mutations(state) == []
        result = await confirmed(client, "delete_object_storage", args)
    text = text_of(preview)
    assert "Delete 2 objects (512.07 KB) from bucket Media Assets (media-assets):" in text
    assert "- images/hero.jpg (image/jpeg, 512.00 KB" in text and "- robots.txt (text/plain, 68 B" in text
    assert not result.is_error, text_of(result)
    [delete] = mutations(state)
    assert delete.path == f"/object-storage/{media['id']}/objects"
    assert delete.json == {"keys": ["images/hero.jpg", "robots.txt"]}
    assert [o["key"] for o in media["objects"]] == ["images/logo.png", "videos/intro.mp4", "docs/brand-guide.pdf"]


async def test_a_missing_key_or_a_folder_is_refused_before_anything_is_asked(sandbox, sevalla_settings):
    _, state = sandbox
    asker = Asker("accept")
    async with Client(server(sevalla_settings), elicitation_callback=asker) as client:
        typo = await client.call_tool(
            "delete_object_storage", {"action": "objects", "bucket": "media-assets", "items": ["images/logo.jpg"]}
        )
        folder = await client.call_tool(
            "delete_object_storage", {"action": "objects", "bucket": "media-assets", "items": ["images/"]}
        )
        empty = await client.call_tool("delete_object_storage", {"action": "objects", "bucket": "media-assets"})
        whole = await client.call_tool(
            "delete_object_storage", {"action": "bucket", "bucket": "media-assets", "items": ["robots.txt"]}
        )
    assert asker.asked == [] and mutations(state) == []
    assert whole.is_error and "takes no items" in text_of(whole)
    assert "has no object images/logo.jpg. Did you mean images/logo.png, images/hero.jpg?" in text_of(typo)
    assert "images/: a folder; name the keys in it" in text_of(folder)
    assert empty.is_error and "objects needs items" in text_of(empty)


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_deleting_a_cors_policy_asks_first(sandbox, sevalla_settings, mode, answer):
    _, state = sandbox
    media = bucket(state, "media-assets")
    policy = media["cors"][0]["id"]
    asker = Asker(answer)
    args = {"action": "cors", "bucket": "media-assets", "items": [policy]}
    result = await call(sevalla_settings, "delete_object_storage", args, mode=mode, elicitation_callback=asker)
    [question] = asker.asked
    assert "Delete 1 CORS policy of bucket Media Assets (media-assets): browsers on those origins lose" in question
    assert f"- {policy}: GET, HEAD from https://www.acme.example" in question and "no policy is left" in question
    if answer == "accept":
        assert not result.is_error, text_of(result)
        [delete] = mutations(state)
        assert delete.path == f"/object-storage/{media['id']}/cors-policies/{policy}" and media["cors"] == []
    else:
        assert result.is_error and mutations(state) == [] and len(media["cors"]) == 1


async def test_bucket_deletion_counts_every_object_of_a_bigger_bucket(sandbox, sevalla_settings):
    _, state = sandbox
    archive = bucket(state, "backups-archive")
    result = await call(sevalla_settings, "delete_object_storage", {"action": "bucket", "bucket": "backups-archive"})
    size = sum(o["size"] for o in archive["objects"])
    assert result.is_error and "Confirmation needed" in text_of(result)
    assert f"40 objects, {size / 1e9:.2f} GB" in text_of(result) and "CDN" not in text_of(result)
    assert sent(state, "DELETE") == [] and len([r for r in state.requests if r.path.endswith("/objects")]) == 1
