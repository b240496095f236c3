"""Pydantic models: parsed from Kinsta's answers, and returned by tools as structured output."""
