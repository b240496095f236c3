"""Kinsta's answers about long-running operations."""

from __future__ import annotations

from kinsta_mcp.models.base import ApiModel


class Accepted(ApiModel):
    """HTTP 202 (or 200 with body status 202): the job was accepted; poll `operation_id`."""

    operation_id: str
    message: str = ""


class OperationStatus(ApiModel):
    """`GET /operations/{id}`: `{status, message, data}`."""

    status: int = 0
    message: str = ""
