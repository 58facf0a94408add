"""How facet values read on screen and in exports, in the visitor's language."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.core.geography import CpvCategory
from marketplace.core.i18n import current_language
from marketplace.search.facet_matrix import natural_order
from marketplace.search.query import PSO_LADDER

FACET_TITLES = {
    "register": _l("Register"),
    "label": _l("Keurmerk en niveau"),
    "impact": _l("Impactgebied"),
    "cpv": _l("Categorie (CPV)"),
    "province": _l("Provincie"),
    "region": _l("Arbeidsmarktregio"),
    "municipality": _l("Gemeente"),
}
REGISTER_LABELS = {"pso": "PSO", "code": "Code Sociale Ondernemingen", "senl": "Social Enterprise NL"}
FACET_LIMITS = {"municipality": 15, "cpv": 20, "region": 35}
PLACE_KINDS = {"municipality": _l("gemeente"), "province": _l("provincie"), "region": _l("arbeidsmarktregio")}


def facet_choices(facet: str, counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The values a facet offers as check boxes: the most frequent (counts come by count), in
    natural order; PSO levels are one "Trede N of hoger" choice instead (SearchQuery.pso_from)."""
    if facet == "label":
        counts = [(value, count) for value, count in counts if value.removeprefix("pso:") not in PSO_LADDER]
    return natural_order(facet, counts[: FACET_LIMITS.get(facet, 50)])


def place_names(places: tuple[tuple[str, str], ...]) -> str:
    """("municipality", "Zwolle") -> "gemeente Zwolle", for the note above the results."""
    return ", ".join(f"{PLACE_KINDS[facet]} {value}" for facet, value in places)


@lru_cache(maxsize=2)
def _cpv_names(language: str) -> dict[str, str]:
    rows = db.session.execute(select(CpvCategory.code, CpvCategory.name_nl, CpvCategory.name_en)).all()
    return {code: (name_en if language == "en" else name_nl) for code, name_nl, name_en in rows}


def facet_value_label(facet: str, value: str) -> str:
    if facet == "register":
        return REGISTER_LABELS.get(value, value)
    if facet == "label":
        register, _, level = value.partition(":")
        return f"{REGISTER_LABELS.get(register, register)}: {level}" if register != "pso" else f"PSO {level}"
    if facet == "cpv":
        language = current_language()
        return f"{value} {_cpv_names(language).get(value, '')}".strip()
    return value


def facet_panels(query: Any, result: Any) -> list[tuple[str, str, list[tuple[str, str, str, int, bool]]]]:
    """The check boxes of the filter panel, worded once in Python (cheaper than in the template):
    per facet its title and (box id, value, label, count, ticked) in the order people look for them,
    followed by ticked values that have no results left (count 0) so they can be unticked."""
    panels = []
    for facet, title in FACET_TITLES.items():
        counts = facet_choices(facet, result.facets.get(facet, []))
        selected = query.filters.get(facet, ())
        if not counts and not selected:
            continue
        shown = {value for value, _ in counts}
        boxes = [
            (f"{facet}-{n}", value, facet_value_label(facet, value), count, value in selected)
            for n, (value, count) in enumerate(counts, start=1)
        ]
        boxes += [
            (f"{facet}-kept-{n}", value, facet_value_label(facet, value), 0, True)
            for n, value in enumerate((v for v in selected if v not in shown), start=1)
        ]
        panels.append((facet, str(title), boxes))
    return panels


def hit_label_names(hits: list[Any]) -> dict[str, str]:
    """Each label value shown on this page of results, worded once ("pso:Trede 2" -> "PSO Trede 2")."""
    return {value: facet_value_label("label", value) for hit in hits for value in hit.labels}
