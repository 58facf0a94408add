"""How facet values read on screen and in exports, in the visitor's language."""

from __future__ import annotations

from functools import lru_cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.models import CpvCategory

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
        language = str(get_locale() or "nl")
        return f"{value} {_cpv_names(language).get(value, '')}".strip()
    return value
