"""Kinsta DNS: the company's zones and their record sets."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Endpoint, JobKind, declare
from kinsta_mcp.models.domains import DnsRecord, Zone

ZONES = Endpoint("GET", "/domains", unwrap=("company", "domains"), model=list[Zone])
RECORDS = Endpoint("GET", "/domains/{domain_id}/dns-records", unwrap=("domain", "dns_records"), model=list[DnsRecord])
CREATE_RECORD = Endpoint("POST", "/domains/{domain_id}/dns-records", job=JobKind.OPERATION)
UPDATE_RECORD = Endpoint("PUT", "/domains/{domain_id}/dns-records", job=JobKind.OPERATION)
DELETE_RECORD = Endpoint("DELETE", "/domains/{domain_id}/dns-records", job=JobKind.OPERATION)

ENDPOINTS = declare(globals())
