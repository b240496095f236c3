"""What every log tool does to lines before they reach the model: clean, collapse repeats, cap the bytes.

Log lines are untrusted text: escape sequences and anything that could break a line (or the fence the
registry puts around a summary) are removed. Repeats are folded so a noisy log shows what differs, and
the bytes shown are capped so one call cannot flood the context; the note says how to see more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_BYTES = 16_000  # of shown lines
# Parts of a line that differ between repeats of "the same" line: times and durations.
VOLATILE = re.compile(
    r"\d{4}-\d\d-\d\d[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?|\d\d/\w{3}/\d{4}(?::\d\d){3} [+-]\d{4}"
    r"|\b\d\d:\d\d:\d\d(?:\.\d+)?|\b\d+(?:\.\d+)? ?(?:ms|s)\b"
)
# Escape sequences (build tools colour their output) and anything that could break a line or the fence.
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")

Rendered = tuple[str, str, str]
"""(what makes two lines repeats, the line as shown, the time of the line as said after "last"; may be '')."""


def clean(text: str, limit: int) -> str:
    """One line of plain text, at most `limit` characters."""
    text = CONTROL.sub("", BREAKS.sub(" ⏎ ", ANSI.sub("", text).strip()).replace("\t", " "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def collapse(rendered: Iterable[Rendered]) -> list[str]:
    """Consecutive repeats become their first line with a count (and the time of the last): order stays."""
    out: list[str] = []
    run: list[Rendered] = []
    for item in [*rendered, ("", "", "")]:
        if run and (not item[0] or item[0] != run[0][0]):
            last = f", last {run[-1][2]}" if run[-1][2] else ""
            out.append(run[0][1] if len(run) == 1 else f"{run[0][1]} (×{len(run)}{last})")
            run = []
        run.append(item)
    return out


def cap(lines: list[str], keep_start: bool = False) -> tuple[list[str], int]:
    """The newest lines (or, keep_start, the first) within MAX_BYTES, and how many were left out."""
    kept: list[str] = []
    size = 0
    for line in lines if keep_start else reversed(lines):
        size += len(line.encode()) + 1
        if size > MAX_BYTES:
            break
        kept.append(line)
    return (kept if keep_start else kept[::-1]), len(lines) - len(kept)


def cap_note(left_out: int) -> str:
    """What to do about lines the cap left out (our words and numbers only: said outside the fence)."""
    if not left_out:
        return ""
    return (
        f"{left_out} lines were left out to stay under {MAX_BYTES // 1000} KB: narrow since/until, "
        "add search or lower lines."
    )
