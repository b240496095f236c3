"""SSH/SFTP settings of an environment and its additional SFTP accounts."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import AliasChoices, Field, model_validator

from kinsta_mcp.models.base import ApiModel


class SshConfig(ApiModel):
    """`GET /sites/{site_id}/environments/{env_id}/ssh/config`: the flat fields, else the nested ones
    (docs/api-notes.md#ssh-config-shape)."""

    OTHER_KEYS: ClassVar[tuple[str, ...]] = ("site",)  # the nested shape (api/endpoint.py: known keys)
    host: str = ""
    port: str = ""
    user: str = ""

    @model_validator(mode="before")
    @classmethod
    def _nested_fallback(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        site = data.get("site") if isinstance(data.get("site"), dict) else {}
        box = ((site.get("environment") or {}).get("activeContainer") or {}) if site else {}
        return {
            "host": str(data.get("host") or (box.get("loadBalancer") or {}).get("extIP") or ""),
            "port": str(data.get("port") or box.get("lxdSshPort") or ""),
            "user": str(data.get("user") or (site or {}).get("usr") or ""),
        }


class AllowedIps(ApiModel):
    # The spec spells the key "stfp_…" (docs/api-notes.md#the-stfp-typo); the corrected spelling is read too.
    ips: list[str] = Field(
        default_factory=list, validation_alias=AliasChoices("stfp_ip_allowlist", "sftp_ip_allowlist")
    )


class SftpAccount(ApiModel):
    id: str = ""
    username: str
    root_directory: str = "/"
    permission: str = ""
    is_active: bool = False


class SftpAccounts(ApiModel):
    """`GET …/additional-sftp-accounts` under `environment`."""

    OTHER_KEYS: ClassVar[tuple[str, ...]] = ("container_info",)
    accounts: list[SftpAccount] = Field(default_factory=list, validation_alias="additional_sftp_accounts")
    port: str = ""

    @model_validator(mode="before")
    @classmethod
    def _port(cls, data: Any) -> Any:
        if isinstance(data, dict):
            port = (data.get("container_info") or {}).get("additional_sftp_accounts_port")
            data = {**data, "port": str(port or "")}
        return data
