"""Answers of catalogue calls made fit for a model: secrets masked, and cut to a size it can read.

Masking is by field name (password, token, secret, keys, connection strings, login links, hook URLs)
and, for environment variables, their `value`; fields the spec marks `format: password` are caught
by name too, since every such field in the three specs is named like one (checked by a test).
"""

from __future__ import annotations

import json
import re
from typing import Any

from kinsta_mcp.text import MASK

SECRET_NAME = re.compile(
    r"(^|_)(password|passwd|pass|secret|token|private_key|secret_key|access_key(_id)?|api_key|apikey|key_secret"
    r"|connection_string|connection_uri|credentials?|dsn|hook_url|login_url|login_link|authorization)s?($|_)",
    re.I,
)
MAX_BYTES = 12_000  # compact JSON of the answer a model is shown
MAX_STRING = 4_000  # one string (a log, a certificate) beyond which it is cut


# Paths whose answer names a secret plainly: an environment variable's `value` (its key is just a name) and the
# deployment hook's `url` (whoever has it can deploy without a key).
SECRET_PER_PATH = (("value", "env-vars"), ("url", "deployment-hook"))


def secret_field(name: str, path: str = "") -> bool:
    if SECRET_NAME.search(name.replace("-", "_")):
        return True
    return any(name == field and part in path for field, part in SECRET_PER_PATH)


def mask(data: Any, api_path: str = "") -> tuple[Any, list[str]]:
    """A copy with secret values replaced; the paths of what was masked."""
    masked: list[str] = []

    def walk(node: Any, where: str) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                here = f"{where}.{key}" if where else str(key)
                if secret_field(str(key), api_path) and isinstance(value, (str, dict, list)) and value:
                    masked.append(here)
                    out[key] = MASK
                else:
                    out[key] = walk(value, here)
            return out
        if isinstance(node, list):
            return [walk(v, f"{where}[{i}]") for i, v in enumerate(node)]
        return node

    return walk(data, ""), masked


def size(data: Any) -> int:
    return len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())


def bound(data: Any, offset: int = 0, max_bytes: int = MAX_BYTES) -> tuple[Any, str, int]:
    """`data` cut to about `max_bytes`: the longest list shows items from `offset` on, long strings are cut.
    Returns (data, what was cut in words, the offset of the next page or -1)."""
    data = _short_strings(data)
    where, items = _longest_list(data)
    if items is None or (offset == 0 and size(data) <= max_bytes):
        return data, ("strings over 4,000 characters were cut" if _was_cut(data) else ""), -1
    overhead = size(_replace(data, where, [])) if where else 2
    chosen: list[Any] = []
    used = overhead
    for item in items[offset:]:
        cost = size(item) + 1
        if chosen and used + cost > max_bytes:
            break
        chosen.append(item)
        used += cost
    end = offset + len(chosen)
    nxt = end if end < len(items) else -1
    label = where or "the list"
    note = f"{label}: items {offset + 1}–{end} of {len(items)}" if chosen else f"{label}: no items from {offset + 1}"
    return _replace(data, where, chosen), note, nxt


def _short_strings(node: Any) -> Any:
    if isinstance(node, str) and len(node) > MAX_STRING:
        return node[:MAX_STRING] + f"… [cut: {len(node) - MAX_STRING:,} more characters]"
    if isinstance(node, dict):
        return {k: _short_strings(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_short_strings(v) for v in node]
    return node


def _was_cut(node: Any) -> bool:
    return "more characters]" in json.dumps(node, ensure_ascii=False) if isinstance(node, (dict, list, str)) else False


def _longest_list(node: Any, where: str = "") -> tuple[str, list[Any] | None]:
    """The list with the most bytes, and where it is (dotted keys; "" for the top level)."""
    best: tuple[int, str, list[Any] | None] = (-1, "", None)
    if isinstance(node, list):
        best = (size(node), where, node)
    if isinstance(node, dict):
        for key, value in node.items():
            found_where, found = _longest_list(value, f"{where}.{key}" if where else str(key))
            if found is not None and size(found) > best[0]:
                best = (size(found), found_where, found)
    return best[1], best[2]


def _replace(node: Any, where: str, value: list[Any]) -> Any:
    if not where:
        return value
    head, _, rest = where.partition(".")
    if not isinstance(node, dict):
        return node
    return {k: (_replace(v, rest, value) if k == head else v) for k, v in node.items()}
