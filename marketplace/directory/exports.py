"""Exports of organisation lists: CSV, Excel and JSON, every row, with the filters recorded."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.core.tabular import XLSX_MIMETYPE, table_csv, table_xlsx  # noqa: F401  (XLSX_MIMETYPE: for callers)
from marketplace.directory import services as directory
from marketplace.organisations import view as organisation_view
from marketplace.organisations.labels import REGISTER_SHORT_NAMES, STATE_TEXT
from marketplace.organisations.models import Organisation
from marketplace.organisations.schema import OrganisationSchema
from marketplace.search.presentation import FACET_TITLES, facet_value_label
from marketplace.search.query import SearchQuery

SORT_TITLES = {"relevance": _l("Beste match"), "name": _l("Naam"), "confirmed": _l("Laatst bevestigd")}

ORGANISATIONS = OrganisationSchema(many=True)
COLUMNS = [  # headers in the reader's language (lazy: worded when the file is made)
    ("name", _l("Naam")),
    ("kvk", _l("KvK-nummer")),
    ("city", _l("Plaats")),
    ("municipality", _l("Gemeente")),
    ("province", _l("Provincie")),
    ("region", _l("Arbeidsmarktregio")),
    ("website", "Website"),
    ("pso", "PSO"),
    ("pso30plus", "PSO 30+"),
    ("pso_valid_until", _l("PSO geldig tot")),
    ("code", "Code Sociale Ondernemingen"),
    ("senl", "Social Enterprise NL"),
    ("states", _l("Stand keurmerken")),
    ("last_confirmed", _l("Laatst bevestigd")),
    ("profile", _l("Profiel op Impactmarkt")),
]


def _label_columns(labels: list[dict[str, Any]]) -> dict[str, Any]:
    row: dict[str, Any] = {"pso": "", "pso30plus": "", "pso_valid_until": "", "code": "", "senl": ""}
    for label in labels:
        if label["register"] == "pso":
            row["pso"] = label["level"] or ""
            row["pso30plus"] = gettext("ja") if label["pso30plus"] else gettext("nee")
            row["pso_valid_until"] = label["valid_until"] or ""
        else:
            row[label["register"]] = label["level"] or ""
    row["states"] = "; ".join(
        f"{REGISTER_SHORT_NAMES.get(label['register'], label['register'])}: {STATE_TEXT[label['state']]}"
        for label in labels
    )
    return row


def row_of(organisation: dict[str, Any]) -> dict[str, Any]:
    """One spreadsheet row from the API's dump of the organisation view: the same facts, flat."""
    return {
        "name": organisation["name"],
        "kvk": organisation["kvk"] or "",
        "city": organisation["city"] or "",
        "municipality": organisation["municipality"] or "",
        "province": organisation["province"] or "",
        "region": organisation["labour_market_region"] or "",
        "website": organisation["website"] or "",
        **_label_columns(organisation["labels"]),
        "last_confirmed": max((label["last_confirmed"] for label in organisation["labels"]), default=""),
        "profile": organisation["url"],
    }


def listed_ids(today: date) -> list[int]:
    """Every organisation with a label that lists it today, by name: one id query (the SQL form of
    the listing rule); the views load each organisation once, afterwards."""
    statement = (
        directory.listed_organisations(today=today)
        .where(Organisation.merged_into_id.is_(None))
        .with_only_columns(Organisation.id)
        .order_by(Organisation.name)
    )
    return list(db.session.scalars(statement))


def rows_for(
    ids: list[int] | None = None, extra: dict[int, dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """One row per organisation, in the given order (all listed organisations by name when None);
    `extra` adds cells per organisation id (a shortlist's notes)."""
    today = clock.today()
    views = organisation_view.views_by_id(listed_ids(today) if ids is None else ids, today)
    return [
        {**row_of(organisation), **(extra or {}).get(organisation["id"], {})}
        for organisation in ORGANISATIONS.dump(views)
    ]


def describe_query(query: SearchQuery | None) -> list[tuple[str, str]]:
    """The filters of an export, as lines a reader of the file understands."""
    lines = [(gettext("Export"), clock.now().strftime("%Y-%m-%d %H:%M")), (gettext("Bron"), "Impactmarkt")]
    if query is None:
        return [*lines, (gettext("Filters"), gettext("geen: alle vermelde organisaties"))]
    lines.append((gettext("Zoekwoorden"), query.text or gettext("(geen)")))
    for facet, values in sorted(query.filters.items()):
        shown = ", ".join(facet_value_label(facet, value) for value in values)
        lines.append((gettext("Filter: %(facet)s", facet=FACET_TITLES[facet]), shown))
    if query.pso_from:
        lines.append((gettext("PSO-trede"), gettext("PSO %(level)s of hoger", level=query.pso_from)))
    included = gettext("meegenomen") if query.include_expired else gettext("niet meegenomen")
    lines.append((gettext("Verlopen keurmerken"), included))
    lines.append((gettext("Sortering"), str(SORT_TITLES.get(query.sort, query.sort))))
    return lines


def to_csv(
    rows: list[dict[str, Any]], described: list[tuple[str, str]], columns: list[tuple[str, Any]] = COLUMNS
) -> str:
    return table_csv(
        [str(title) for _, title in columns], [[row[key] for key, _ in columns] for row in rows], described
    )


def to_xlsx(
    rows: list[dict[str, Any]], described: list[tuple[str, str]], columns: list[tuple[str, Any]] = COLUMNS
) -> bytes:
    return table_xlsx(
        gettext("Organisaties"),
        [str(title) for _, title in columns],
        [[row[key] for key, _ in columns] for row in rows],
        described,
    )


def to_json(rows: list[dict[str, Any]], described: list[tuple[str, str]]) -> str:
    return json.dumps({"filters": dict(described), "organisations": rows}, ensure_ascii=False, indent=1)
