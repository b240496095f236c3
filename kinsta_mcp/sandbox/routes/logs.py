"""Server logs: deterministic synthetic lines with timestamps, so time windows and search work.

Every environment has an error, an access and a cache log of ``LOG_LINES`` lines, one every two
minutes, the last one at ``LOG_END``. The error log has bursts: every ``BURST_EVERY`` lines, one error
repeats ``BURST`` times (same client, request and message; a new worker and connection each time), as a
page hit by a retrying client does. Kinsta limits this endpoint to 35 requests a minute (sandbox/limits.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._common import ApiError, env_or_404, get_state

# Query parameters newer than spec v1.87.0: from, to as ISO 8601; search (docs/api-notes.md#log-window).
QUERY_2026 = {("GET", "/sites/environments/{env_id}/logs"): frozenset({"from", "to", "search"})}

LOG_END = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
LOG_STEP = timedelta(minutes=2)
LOG_LINES = 600
MAX_LINES = 20_000
BURST_EVERY, BURST = 40, 4

_PATHS = [
    "/",
    "/shop/",
    "/cart/",
    "/wp-login.php",
    "/wp-json/wc/store/v1/cart",
    "/blog/hello-world/",
    "/wp-admin/admin-ajax.php",
    "/xmlrpc.php",
]
_AGENTS = [
    '"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15"',
    '"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"',
    '"curl/8.7.1"',
]
_ERRORS = [
    'PHP Warning:  Undefined array key "qty" in {root}/wp-content/plugins/shop-extras/cart.php on line 88',
    "PHP Deprecated:  Creation of dynamic property Theme_Walker::$depth is deprecated in "
    "{root}/wp-content/themes/storefront-child/inc/walker.php on line 12",
    "PHP Fatal error:  Allowed memory size of 268435456 bytes exhausted (tried to allocate 20480 bytes) in "
    "{root}/wp-includes/class-wpdb.php on line 2349",
    "PHP Notice:  Function wp_enqueue_script was called incorrectly in {root}/wp-includes/functions.php on line 6078",
]


def _line(file: str, env: dict[str, Any], n: int, when: datetime) -> str:
    host = next((d["name"] for d in env["domains"] if d["id"] == env["primary_domain_id"]), "localhost")
    worker, connection = 1000 + n % 9, 4000 + n
    if file == "error" and BURST_EVERY // 2 <= n % BURST_EVERY < BURST_EVERY // 2 + BURST:
        n -= n % BURST_EVERY - BURST_EVERY // 2  # the burst's first line, but for the time, worker and connection
    client = f"198.51.100.{(n * 37) % 250 + 1}"
    path = _PATHS[n % len(_PATHS)]
    if file == "error":
        message = _ERRORS[n % len(_ERRORS)].format(root=env["web_root"])
        return (
            f"{when:%Y/%m/%d %H:%M:%S} [error] {worker}#{worker}: *{connection} FastCGI sent in "
            f'stderr: "PHP message: {message}" while reading response header from upstream, client: {client}, '
            f'server: {host}, request: "GET {path} HTTP/1.0"'
        )
    status = (200, 200, 200, 301, 404, 200, 302, 499, 200)[n % 9]
    stamp = f"{when:%d/%b/%Y:%H:%M:%S} +0000"
    if file == "access":
        return (
            f'{host} {client} [{stamp}] GET "{path}" HTTP/1.0 {status} "-" {_AGENTS[n % len(_AGENTS)]} '
            f'{client} "{path}" - - {(n * 211) % 90000 + 300} {(n % 40) / 100 + 0.01:.3f}'
        )
    cache = ("HIT", "MISS", "BYPASS", "HIT", "EXPIRED")[n % 5]
    return f'[{stamp}] {host} "GET {path}" {cache} {status} {(n % 30) / 1000 + 0.001:.3f}'


def _lines(env: dict[str, Any], file: str) -> list[tuple[datetime, str]]:
    start = LOG_END - LOG_STEP * (LOG_LINES - 1)
    return [(start + LOG_STEP * n, _line(file, env, n, start + LOG_STEP * n)) for n in range(LOG_LINES)]


def _instant(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an ISO 8601 date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def get_logs(request: Request) -> JSONResponse:
    state = get_state(request)  # its own rate limit (35/min) is counted with the others (sandbox/limits.py)
    _, env = env_or_404(state, request.path_params["env_id"])
    file = request.query_params.get("file_name")
    if file not in ("error", "access", "kinsta-cache-perf"):
        raise ApiError(400, "file_name must be one of error, access, kinsta-cache-perf")
    raw_lines = request.query_params.get("lines", "")
    if not raw_lines.isdigit() or not 0 < int(raw_lines) <= MAX_LINES:
        raise ApiError(400, f"lines must be a number from 1 to {MAX_LINES}")
    start, end = _instant(request, "from"), _instant(request, "to")
    search = request.query_params.get("search", "").lower()
    kept = [
        text
        for when, text in _lines(env, "cache" if file == "kinsta-cache-perf" else file)
        if (start is None or when >= start) and (end is None or when <= end) and search in text.lower()
    ]
    logs = "\n".join(kept[-int(raw_lines) :])
    return JSONResponse({"environment": {"container_info": {"logs": logs}}})


routes = [Route("/sites/environments/{env_id}/logs", get_logs, methods=["GET"])]
