"""Sevalla v3 object storage: R2 buckets, their public CDN domain, CORS policies and objects (the v2 API
has none). A bucket is provisioned at once: creating one answers with the bucket, nothing to follow.

Bucket detail and creation answers hold the S3 access key and secret; tools never show them.
"""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Base, Endpoint, declare
from kinsta_mcp.models.object_storage import Bucket, BucketPage, CdnDomain, CorsList, ObjectPage

PATH = "/object-storage/{id}"

BUCKETS = Endpoint("GET", "/object-storage", base=Base.V3, model=BucketPage)
BUCKET = Endpoint("GET", PATH, base=Base.V3, model=Bucket)
CREATE_BUCKET = Endpoint("POST", "/object-storage", base=Base.V3, model=Bucket)
UPDATE_BUCKET = Endpoint("PATCH", PATH, base=Base.V3, model=Bucket)
DELETE_BUCKET = Endpoint("DELETE", PATH, base=Base.V3)
CDN_ON = Endpoint("POST", f"{PATH}/domain", base=Base.V3, model=CdnDomain)
CDN_OFF = Endpoint("DELETE", f"{PATH}/domain", base=Base.V3)
CORS = Endpoint("GET", f"{PATH}/cors-policies", base=Base.V3, model=CorsList)
ADD_CORS = Endpoint("POST", f"{PATH}/cors-policies", base=Base.V3)
UPDATE_CORS = Endpoint("PATCH", f"{PATH}/cors-policies/{{cors_policy_id}}", base=Base.V3)
DELETE_CORS = Endpoint("DELETE", f"{PATH}/cors-policies/{{cors_policy_id}}", base=Base.V3)
OBJECTS = Endpoint("GET", f"{PATH}/objects", base=Base.V3, model=ObjectPage)
DELETE_OBJECTS = Endpoint("DELETE", f"{PATH}/objects", base=Base.V3)

PAGE = 100  # the most a bucket list call gives
OBJECT_PAGE = 200  # the most an object list call gives
KEYS_PER_DELETE = 1000  # the most keys one DELETE takes

ENDPOINTS = declare(globals())
