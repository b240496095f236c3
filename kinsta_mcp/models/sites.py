"""Sites, environments and domains, as `GET /sites` and `GET /sites/{id}/environments` describe them."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, Field, field_validator

from kinsta_mcp.models.base import ApiModel


class Domain(ApiModel):
    id: str = ""
    name: str
    type: str = Field("", description="live or staging")
    is_active: bool = True


class Environment(ApiModel):
    id: str
    name: str = Field(description="Machine name: live, staging, or a premium staging name")
    display_name: str = ""
    is_premium: bool = False
    is_blocked: bool = False
    primary_domain: str = Field(
        "", validation_alias=AliasChoices("primary_domain", "primaryDomain"), description="Primary domain name"
    )
    domains: list[str] = Field(default_factory=list, description="All domain names of the environment")
    php_version: str = Field("", validation_alias=AliasChoices("php_version", "container_info"))
    wordpress_version: str = ""
    web_root: str = ""
    # Ids the cache tools send; never shown (the model has no use for them, and each costs every schema with sites).
    cdn_cache_id: str = Field("", exclude=True)
    id_edge_cache: str = Field("", exclude=True)

    @field_validator("primary_domain", mode="before")
    @classmethod
    def _domain_name(cls, value: Any) -> Any:
        return value.get("name", "") if isinstance(value, dict) else value

    @field_validator("domains", mode="before")
    @classmethod
    def _domain_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [d.get("name", "") if isinstance(d, dict) else d for d in value]
        return value

    @field_validator("php_version", mode="before")
    @classmethod
    def _php(cls, value: Any) -> Any:
        # container_info.php_engine_version is "php8.3"; the model wants "8.3".
        if isinstance(value, dict):
            value = value.get("php_engine_version") or ""
        return value.removeprefix("php") if isinstance(value, str) else value

    @property
    def is_live(self) -> bool:
        return self.name == "live"


class Site(ApiModel):
    id: str
    name: str = Field(description="Machine name (slug)")
    display_name: str = ""
    status: str = ""
    company_id: str = Field("", exclude=True)  # the server's one company: said once, in list_sites
    labels: list[str] = Field(default_factory=list, validation_alias=AliasChoices("labels", "siteLabels"))
    environments: list[Environment] = Field(default_factory=list)

    @field_validator("labels", mode="before")
    @classmethod
    def _label_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [v.get("name", "") if isinstance(v, dict) else v for v in value]
        return value

    @property
    def label(self) -> str:
        return f"{self.display_name or self.name} ({self.name})" if self.display_name != self.name else self.name

    def environment_named(self, name: str) -> Environment | None:
        wanted = name.strip().lower()
        for env in self.environments:
            if wanted in (env.id.lower(), env.name.lower(), env.display_name.lower()):
                return env
        return None


def sites_from(body: Any) -> list[Site]:
    """`{"company": {"sites": [...]}}` → sites."""
    items = ((body or {}).get("company") or {}).get("sites") or []
    return [Site.model_validate(item) for item in items]


def environments_from(body: Any) -> list[Environment]:
    """`{"site": {"environments": [...]}}` → environments."""
    items = ((body or {}).get("site") or {}).get("environments") or []
    return [Environment.model_validate(item) for item in items]
