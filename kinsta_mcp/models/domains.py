"""Site domains, Kinsta DNS zones and records, bot protection: the API's answers, typed."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from kinsta_mcp.models.base import ApiModel


class SiteDomain(ApiModel):
    """An item of `GET /sites/environments/{env_id}/domains` (`environment.site_domains`)."""

    id: str
    name: str


class DnsHint(ApiModel):
    """A record a domain needs: verification (SSL) or pointing (traffic)."""

    type: str = ""
    name: str = ""
    value: str = ""


class DomainRecords(ApiModel):
    """`GET /sites/environments/domains/{site_domain_id}/verification-records` (`site_domain`)."""

    verification_records: list[DnsHint]
    pointing_records: list[DnsHint]


class Zone(ApiModel):
    """An item of `GET /domains` (`company.domains`): a Kinsta DNS zone."""

    id: str
    name: str
    site_id: str = ""
    is_active: bool = True


class DnsRecord(ApiModel):
    """A record set of `GET /domains/{domain_id}/dns-records`; `resource_records[].value` become `values`."""

    type: str
    name: str
    ttl: int = 0
    values: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _values(cls, data: Any) -> Any:
        if isinstance(data, dict) and "resource_records" in data and "values" not in data:
            items = data.get("resource_records") or []
            data = dict(data, values=[str(r.get("value", "")) for r in items if isinstance(r, dict)])
        return data

    def line(self) -> str:
        return f"{self.type} {self.name} (TTL {self.ttl}): {' | '.join(self.values)}"


class BotProtectionLevel(ApiModel):
    """`GET /sites/environments/{env_id}/bot-protection/level` (`bot_protection`)."""

    id: str = ""
    level: str = ""
