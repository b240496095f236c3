"""Sevalla v3 object storage (R2 buckets) as the API answers: buckets, CORS policies, objects.

The bucket detail (and the answer to a creation) carries the S3 access key and secret: they are read
only so that a summary can say they exist, and are never put into any output.
"""

from __future__ import annotations

from pydantic import Field

from kinsta_mcp.models.base import ApiModel
from kinsta_mcp.text import human_bytes


class Bucket(ApiModel):
    id: str
    name: str = ""
    display_name: str = ""
    location: str = ""
    jurisdiction: str = ""
    domain: str = ""  # the public CDN domain; empty when public access is off
    bucket_name: str = ""  # detail only
    endpoint: str = ""  # detail only: the S3-compatible API endpoint
    access_key: str = ""  # secret: never shown
    secret_key: str = ""  # secret: never shown

    @property
    def label(self) -> str:
        shown = self.display_name and self.display_name != self.name
        return f"{self.display_name} ({self.name})" if shown else self.name

    @property
    def line(self) -> str:
        rule = self.jurisdiction not in ("", "default")
        where = self.location + (f", {self.jurisdiction} jurisdiction" if rule else "")
        cdn = f"CDN https://{self.domain}" if self.domain else "no public CDN domain"
        return f"{self.label} [{where}] {cdn}, id {self.id}"


class BucketPage(ApiModel):
    data: list[Bucket]
    total: int = 0


class Cors(ApiModel):
    id: str
    methods: list[str] = Field(default_factory=list)
    origins: list[str] = Field(default_factory=list)
    headers: list[str] = Field(default_factory=list)

    @property
    def line(self) -> str:
        headers = f", headers {', '.join(self.headers)}" if self.headers else ""
        return f"{self.id}: {', '.join(self.methods)} from {', '.join(self.origins)}{headers}"


class CorsList(ApiModel):
    data: list[Cors]


class StoredObject(ApiModel):
    key: str
    type: str = ""
    content_type: str = ""
    size: float | None = None
    updated_at: str = ""

    @property
    def line(self) -> str:
        if self.type == "folder":
            return f"{self.key} (folder)"
        size = human_bytes(self.size) if self.size is not None else ""
        facts = [self.content_type or self.type, size, self.updated_at]
        return f"{self.key} ({', '.join(f for f in facts if f)})"


class ObjectPage(ApiModel):
    data: list[StoredObject]
    cursor: str = ""  # empty: no more


class CdnDomain(ApiModel):
    id: str
    domain: str = ""
