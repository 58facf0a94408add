"""Search tables for the PostgreSQL backend (created on SQLite too, where they stay empty)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.core.database import JsonColumn, utcnow
from marketplace.core.extensions import db

TsVector = Text().with_variant(TSVECTOR(), "postgresql")


class SearchDocumentRow(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (Index("ix_search_documents_terms", "terms", postgresql_using="gin"),)

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    terms: Mapped[str] = mapped_column(TsVector)
    document: Mapped[dict[str, Any]] = mapped_column(JsonColumn)
    indexed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class SearchVocabulary(db.Model):
    """Every indexed term once, with a trigram index: typo expansion and 'did you mean'."""

    __tablename__ = "search_vocabulary"
    __table_args__ = (
        Index(
            "ix_search_vocabulary_trigram",
            "term",
            postgresql_using="gin",
            postgresql_ops={"term": "gin_trgm_ops"},
        ),
    )

    term: Mapped[str] = mapped_column(String(120), primary_key=True)
