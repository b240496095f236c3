"""Environment analytics (answered 202 with the data: docs/api-notes.md#analytics-answer-202-with-data)
and a site's usage this month (Kinsta)."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Endpoint, declare
from kinsta_mcp.models.analytics import AnalyticsAnswer, MonthUsage

_BASE = "/sites/environments/{env_id}/analytics"
_ANSWER = ("analytics", "analytics_response")


def _series(part: str) -> Endpoint:
    return Endpoint("GET", f"{_BASE}/{part}", unwrap=_ANSWER, model=AnalyticsAnswer)


VISITS = _series("visits")
BANDWIDTH = _series("bandwidth")
CDN_BANDWIDTH = _series("cdn-bandwidth")
DISK_SPACE = _series("diskspace")
# 2026 additions (docs/api-notes.md#analytics-top-lists)
RESPONSE_CODES = _series("response-codes")
DEVICE_DISPERSION = _series("visits-dispersion")
TOP_COUNTRIES = _series("top-countries")
TOP_CITIES = _series("top-cities")
TOP_CLIENT_IPS = _series("top-client-ips")
TOP_USER_AGENTS = _series("top-uas")
TOP_BROWSERS = _series("top-browsers")
TOP_REFERRERS = _series("top-referrers")
TOP_HOSTS = _series("top-hosts")
TOP_ASNS = _series("top-asns")

VISITS_THIS_MONTH = Endpoint(
    "GET", "/sites/{site_id}/usage/visits/this-month", unwrap=("site", "this_month_usage"), model=MonthUsage
)
BANDWIDTH_THIS_MONTH = Endpoint(
    "GET", "/sites/{site_id}/usage/bandwidth/this-month", unwrap=("site", "this_month_usage"), model=MonthUsage
)
CDN_BANDWIDTH_THIS_MONTH = Endpoint(
    "GET", "/sites/{site_id}/usage/cdn-bandwidth/this-month", unwrap=("site", "this_month_cdn_usage"), model=MonthUsage
)

ENDPOINTS = declare(globals())
