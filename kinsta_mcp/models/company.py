"""Company-level data: the API key's identity, users, regions."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from kinsta_mcp.models.base import ApiModel


class KeyInfo(ApiModel):
    """`GET /validate`."""

    name: str = ""
    company: str = ""
    status: str = ""
    expires_at: str = ""

    @model_validator(mode="before")
    @classmethod
    def _expiry_as_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("expires_at"), (int, float)):
            data = {**data, "expires_at": str(data["expires_at"])}
        return data


class User(ApiModel):
    id: str = ""
    email: str = ""
    full_name: str = ""

    @model_validator(mode="before")
    @classmethod
    def _unwrap(cls, data: Any) -> Any:
        # Items come as {"user": {...}} (plus, since Oct 2026, siblings such as capabilities).
        if isinstance(data, dict) and isinstance(data.get("user"), dict):
            return data["user"]
        return data


class Region(ApiModel):
    region: str = Field(description="Region code for site creation, e.g. us-central1")
    name: str = Field("", description="Human name, e.g. 'Iowa (us-central1)'")
