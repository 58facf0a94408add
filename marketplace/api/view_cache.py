"""Organisation views as the API dumps them, kept for one index state, day and language.

Building a view reads an organisation, its labels, place, offerings and owners (several queries
and an ORM load per page of results); a search result page asks for the same few hundred
enterprises again and again. Every change to an organisation, its labels, offerings or owners is
re-indexed, which gives the index a new generation (marketplace.search.generation), and that
generation is part of the key: a changed enterprise is never served from here. The day is part
of the key too, so a label's state is decided on the day asked.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

from marketplace.core.i18n import current_language
from marketplace.organisations import view as organisation_view

MAX_ITEMS = 20_000


class ViewCache:
    def __init__(self, schema: Any) -> None:
        self.schema = schema
        self.key: Hashable = None
        self.items: dict[int, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def dumps(self, ids: list[int], generation: Hashable) -> list[dict[str, Any]]:
        """The dumped views of these organisations, in this order (unknown ids left out);
        `generation` is the index state and day of the search result they come from."""
        key = (generation, current_language())
        with self.lock:
            if key != self.key or len(self.items) > MAX_ITEMS:
                self.key, self.items = key, {}
            items = self.items
        missing = [organisation_id for organisation_id in ids if organisation_id not in items]
        if missing:
            views = organisation_view.views_by_id(missing)
            for view, dumped in zip(views, self.schema.dump(views, many=True), strict=True):
                items[view.id] = dumped
        return [items[organisation_id] for organisation_id in ids if organisation_id in items]
