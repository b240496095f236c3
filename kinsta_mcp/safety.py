"""Kept for old imports while tools move to `kinsta_mcp.gate`, which decides every confirmation."""

from kinsta_mcp.gate import NeedsInput, NotConfirmed, Risk

__all__ = ["NeedsInput", "NotConfirmed", "Risk"]
