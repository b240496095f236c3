"""A value that never shows itself by accident: not in repr, str, logs or tracebacks."""

from __future__ import annotations


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('***')" if self._value else "Secret('')"

    __str__ = __repr__

    def redact(self, text: str) -> str:
        """`text` with every occurrence of the secret replaced (defence in depth for error texts)."""
        if self._value and self._value in text:
            return text.replace(self._value, "***")
        return text
