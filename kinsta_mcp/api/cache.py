"""Caches, PHP and blocked IPs of an environment (Kinsta)."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Endpoint, JobKind, declare

CLEAR_CACHE = Endpoint("POST", "/sites/tools/clear-cache", job=JobKind.OPERATION)
CLEAR_EDGE_CACHE = Endpoint("POST", "/sites/edge-caching/clear", job=JobKind.OPERATION)
CLEAR_CDN_CACHE = Endpoint("POST", "/sites/cdn/clear-cache", job=JobKind.OPERATION)
RESTART_PHP = Endpoint("POST", "/sites/tools/restart-php", job=JobKind.OPERATION)
BLOCKED_IPS = Endpoint(
    "GET", "/sites/tools/denied-ips", unwrap=("environment", "ip_list"), model=list[str], optional_unwrap=True
)
SET_BLOCKED_IPS = Endpoint("PUT", "/sites/tools/denied-ips")
PHP_VERSION = Endpoint("PUT", "/sites/tools/modify-php-version", job=JobKind.OPERATION, relists=True)
IMAGE_OPTIMIZATION = Endpoint("PUT", "/sites/cdn/image-optimization", job=JobKind.OPERATION)
EDGE_CACHE_STATUS = Endpoint("PUT", "/sites/edge-caching/status", job=JobKind.OPERATION, relists=True)

ENDPOINTS = declare(globals())
