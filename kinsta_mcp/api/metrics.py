"""Application and database metrics (docs/api-notes.md#paas-metrics).

The eight Kinsta-era application series on the PaaS base (Sevalla v2 with a Sevalla key, else Kinsta);
what only Sevalla v3 has on the v3 base: bare arrays, or a small object for the average.
"""

from __future__ import annotations

from typing import Any

from kinsta_mcp.api.endpoint import Base, Endpoint, declare
from kinsta_mcp.models.metrics import V2App, V3Average

_APP = "/applications/{id}/metrics"
_DB = "/databases/{id}/metrics"
_ROWS = list[dict[str, Any]]


def _v2(part: str) -> Endpoint:
    return Endpoint("GET", f"{_APP}/{part}", base=Base.PAAS, unwrap=("app",), model=V2App)


def _v3(path: str, model: Any = _ROWS) -> Endpoint:
    return Endpoint("GET", path, base=Base.V3, model=model)


APP_BANDWIDTH = _v2("bandwidth")
APP_BUILD_TIME = _v2("build-time")
APP_RUN_TIME = _v2("run-time")
APP_HTTP_REQUESTS = _v2("http-requests")
APP_RESPONSE_TIME = _v2("response-time")
APP_SLOWEST_REQUESTS = _v2("slowest-requests")
APP_CPU_USAGE = _v2("cpu-usage")
APP_MEMORY_USAGE = _v2("memory-usage")

APP_STATUS_CODES = _v3(f"{_APP}/status-codes")
APP_TOP_PAGES = _v3(f"{_APP}/top-pages")
APP_TOP_COUNTRIES = _v3(f"{_APP}/top-countries")
APP_RESPONSE_TIME_AVG = _v3(f"{_APP}/response-time-avg", V3Average)
DB_CPU_USAGE = _v3(f"{_DB}/cpu-usage")
DB_CPU_LIMIT = _v3(f"{_DB}/cpu-limit")
DB_MEMORY_USAGE = _v3(f"{_DB}/memory-usage")
DB_MEMORY_LIMIT = _v3(f"{_DB}/memory-limit")
DB_STORAGE_USAGE = _v3(f"{_DB}/storage-usage")
DB_STORAGE_LIMIT = _v3(f"{_DB}/storage-limit")

ENDPOINTS = declare(globals())
