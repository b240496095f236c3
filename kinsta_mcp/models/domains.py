"""Site domains, Sevalla domains, Kinsta DNS zones and records, bot protection: the API's answers, typed;
and what the domain tools answer (one listing and one change outcome for environments and services alike)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from kinsta_mcp.jobs import ChangeOutcome
from kinsta_mcp.models.base import ApiModel, Output


class SiteDomain(ApiModel):
    """An item of `GET /sites/environments/{env_id}/domains` (`environment.site_domains`); also a Sevalla
    domain as list_domains shows it, with its `status` in words (Kinsta's items have none)."""

    id: str
    name: str
    status: str = ""


class PaasDomain(ApiModel):
    """A domain of a Sevalla application or static site (v3 `/applications|static-sites/{id}/domains`)."""

    id: str
    name: str
    status: str = ""  # VERIFICATION, POINTING, ACTIVE, TIMED_OUT
    type: str = ""  # SYSTEM (the platform's, cannot be deleted) or CUSTOM
    is_enabled: bool = True  # system domains only
    is_wildcard: bool = False
    is_primary: bool = False
    dns_records: Any = None  # the records to create; the spec leaves their shape open
    errors: Any = None

    @property
    def system(self) -> bool:
        return self.type.upper() == "SYSTEM"

    @property
    def active(self) -> bool:
        return self.status.upper() == "ACTIVE"


class PaasDomainPage(ApiModel):
    data: list[PaasDomain]
    total: int = 0


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

    @property
    def effect(self) -> str:
        return LEVEL_EFFECTS.get(self.level, "a level this server does not know")


# What each bot protection level does, from the changelog's own descriptions, mildest first.
LEVEL_EFFECTS: dict[str, str] = {
    "block-malicious-traffic": "blocks known malicious traffic only (Kinsta's baseline)",
    "block-automations": "blocks automated and malicious traffic; uptime monitors and integrations may be blocked",
    "challenge-bots": "also challenges likely bots and unclassified traffic; some real visitors may be challenged",
    "challenge-everyone": "challenges all unverified traffic, real visitors included",
}


class DomainList(Output):
    """list_domains: an environment's (environment_id) or a Sevalla service's (service_id) domains."""

    environment_id: str = ""
    service_id: str = ""
    environment: str = ""  # who has the domains, in words
    primary_domain: str = ""
    domains: list[SiteDomain] = Field(default_factory=list)
    records_for: str = ""
    dns_records: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{len(self.domains)} domains on {self.environment}:"]
        primary = self.primary_domain.lower()
        lines += [
            f"- {d.name}{' (primary)' if d.name.lower() == primary else ''}, id {d.id}{', ' if d.status else ''}"
            f"{d.status}"
            for d in self.domains
        ]
        if self.records_for:
            verb = "need" if "," in self.records_for else "needs"
            lines.append(f"DNS records {self.records_for} {verb} (create them where its DNS is hosted):")
            lines += [f"- {r}" for r in self.dns_records] or ["- none"]
        return "\n".join(lines)

    def next_step(self) -> str:
        if self.service_id and self.dns_records:
            return "Once the records exist: change_domains action=refresh re-checks a domain and shows its status."
        return ""


class DomainChange(ChangeOutcome):
    environment_id: str = ""
    domains: list[str] = Field(default_factory=list, description="The domain names changed")
    custom_ssl: bool = False
    search_and_replace: bool = False
    hint: str = Field("", description="What to do next")

    def next_step(self) -> str:
        return "\n".join(s for s in (super().next_step(), self.hint if self.state == "done" else "") if s)


class DomainAdded(DomainChange):
    """change_domains: a Sevalla domain added or refreshed carries the DNS records still to create."""

    dns_records: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        extra = ["DNS records to create (where the domain's DNS is hosted):", *(f"- {r}" for r in self.dns_records)]
        return "\n".join([super().summary(), *(extra if self.dns_records else [])])
