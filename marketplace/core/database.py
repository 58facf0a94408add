"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.dialects.postgresql import JSONB

from marketplace.core import clock

# JSONB on PostgreSQL (indexable, compact), plain JSON text on SQLite.
JsonColumn = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    """Naive UTC now from the one clock: SQLite keeps no time zone, so timestamps are naive UTC."""
    return clock.now()


JsonDict = dict[str, Any]
