"""Databases on the PaaS base (Sevalla v2, or Kinsta for accounts not moved yet). The list is
`paas.DATABASES` (the catalog pages through it)."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Base, Endpoint, JobKind, RateClass, declare
from kinsta_mcp.models.databases import DatabaseDetail, DbUpdated

# The answer holds the passwords and connection strings: read it only to show them masked or revealed.
DATABASE = Endpoint("GET", "/databases/{id}", base=Base.PAAS, unwrap=("database",), model=DatabaseDetail)
CREATE_DATABASE = Endpoint("POST", "/databases", base=Base.PAAS, job=JobKind.DATABASE, rate=RateClass.CREATE)
UPDATE_DATABASE = Endpoint("PUT", "/databases/{id}", base=Base.PAAS, unwrap=("database",), model=DbUpdated)
DELETE_DATABASE = Endpoint("DELETE", "/databases/{id}", base=Base.PAAS)

ENDPOINTS = declare(globals())
