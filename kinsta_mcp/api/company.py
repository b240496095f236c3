"""Company users, regions for new sites, API keys and the activity log (Kinsta)."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Endpoint, declare
from kinsta_mcp.models.company import ActivityLogs, ApiKey, Region, User

USERS = Endpoint("GET", "/company/{id}/users", unwrap=("company", "users"), model=list[User])
REGIONS = Endpoint(
    "GET", "/company/{id}/available-regions", unwrap=("company", "available_regions"), model=list[Region]
)
API_KEYS = Endpoint("GET", "/company/{id}/api-keys", unwrap=("api_keys",), model=list[ApiKey])
ACTIVITY_LOGS = Endpoint("GET", "/company/{id}/activity-logs", unwrap=("company", "activity_logs"), model=ActivityLogs)

ENDPOINTS = declare(globals())
