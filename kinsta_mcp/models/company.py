"""Company-level data: the API key's identity, users, regions."""

from __future__ import annotations

from typing import Any, ClassVar

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
    OTHER_KEYS: ClassVar[tuple[str, ...]] = ("user",)  # items come wrapped (api/endpoint.py: known keys)
    id: str = ""
    email: str = ""
    full_name: str = ""
    two_factor: str = Field("", description="2FA type; none: off")
    capabilities: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _unwrap(cls, data: Any) -> Any:
        # Items come as {"user": {...}, "capabilities": [...]} since October 2026; neither new field's shape is
        # published, so both are read loosely (docs/api-notes.md#users-list-fields).
        if not isinstance(data, dict) or not isinstance(data.get("user"), dict):
            return data
        user = data["user"]
        kind = user.get("type_2fa")
        unknown = "type_2fa" not in user  # an older answer: say nothing rather than "none"
        return {
            **user,
            "two_factor": "" if unknown else "none" if kind in (None, "", False) else str(kind),
            "capabilities": [_capability(c) for c in data.get("capabilities") or [] if _capability(c)],
        }


def _capability(raw: Any) -> str:
    """A capability as words: a string as it is, an object by its name-like key."""
    if isinstance(raw, dict):
        raw = next((raw[k] for k in ("name", "key", "capability", "id") if isinstance(raw.get(k), str)), "")
    return raw if isinstance(raw, str) else ""


class Region(ApiModel):
    region: str = Field(description="Region code for site creation, e.g. us-central1")
    name: str = Field("", description="Human name, e.g. 'Iowa (us-central1)'")


class ApiKey(ApiModel):
    """One of `GET /company/{id}/api-keys`: only these four fields are read, so nothing credential-like
    Kinsta might add can pass through."""

    id: str = ""
    name: str = ""
    status: str = ""
    expires_at: str = ""


class Person(ApiModel):
    id: str = ""
    full_name: str = ""
    first_name: str = ""
    role: str = ""


class KeyRef(ApiModel):
    id: str = ""
    name: str = ""


class ActivityItem(ApiModel):
    """One entry of `GET /company/{id}/activity-logs` (text written by people and plugins: untrusted)."""

    id: float = 0
    created_at: float = 0  # epoch ms
    type: str = ""
    site_id: str = ""
    is_done: bool = True
    has_failed: bool = False
    has_warning: bool = False
    public_error: str = ""
    ip_address: str = ""
    initiated_by: Person = Field(default_factory=Person)
    api_key_info: KeyRef | None = None
    descriptions: list[Any] = Field(default_factory=list)


class ActivityLogs(ApiModel):
    items: list[ActivityItem] = Field(default_factory=list)
    total: float = 0
