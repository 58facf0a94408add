"""Text filters typed by people, as SQL LIKE patterns: one place that escapes %, _ and the backslash."""

from __future__ import annotations

ESCAPE = "\\"


def contains(text: str) -> str:
    """A case-folded LIKE pattern matching `text` anywhere (use with lower() and escape=ESCAPE)."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
