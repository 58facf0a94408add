"""How organisations are loaded for a view: with their labels and their place, in a few queries."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from marketplace.core.geography import Municipality
from marketplace.organisations.models import Organisation

WITH_LABELS_AND_PLACE = (
    selectinload(Organisation.labels),
    selectinload(Organisation.municipality).selectinload(Municipality.region),
    selectinload(Organisation.municipality).selectinload(Municipality.province),
)
