"""Exports of organisation lists: CSV, Excel and JSON, every row, with the filters recorded."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy import select

from marketplace import clock
from marketplace.extensions import db
from marketplace.links import public_url_for
from marketplace.models import Organisation
from marketplace.search.query import SearchQuery
from marketplace.services.directory import WITH_LABELS_AND_PLACE
from marketplace.services.labels import effective_state
from matching.labels import LISTING_STATES

# OWASP's CSV-injection advice: a cell that starts with one of these is read as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> Any:
    """A cell value a spreadsheet shows as text: characters Excel refuses are dropped, and a value
    that would start a formula gets a leading apostrophe (crawled names included)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = [
    ("name", "Naam"),
    ("kvk", "KvK-nummer"),
    ("city", "Plaats"),
    ("municipality", "Gemeente"),
    ("province", "Provincie"),
    ("region", "Arbeidsmarktregio"),
    ("website", "Website"),
    ("pso", "PSO"),
    ("pso30plus", "PSO 30+"),
    ("pso_valid_until", "PSO geldig tot"),
    ("code", "Code Sociale Ondernemingen"),
    ("senl", "Social Enterprise NL"),
    ("states", "Stand keurmerken"),
    ("last_confirmed", "Laatst bevestigd"),
    ("profile", "Profiel op Impactmarkt"),
]


def _label_columns(organisation: Organisation, today: date) -> dict[str, Any]:
    row: dict[str, Any] = {"pso": "", "pso30plus": "", "pso_valid_until": "", "code": "", "senl": ""}
    states = []
    for label in organisation.labels:
        state = effective_state(label, today)
        states.append(f"{label.register}: {state}")
        if label.register == "pso":
            row["pso"] = label.level or ""
            row["pso30plus"] = "ja" if label.pso30plus else "nee"
            row["pso_valid_until"] = label.valid_until.isoformat() if label.valid_until else ""
        else:
            row[label.register] = label.level or ""
    row["states"] = "; ".join(states)
    last = max((label.last_seen for label in organisation.labels), default=None)
    row["last_confirmed"] = last.date().isoformat() if last else ""
    return row


def rows_for(ids: list[int] | None = None) -> list[dict[str, Any]]:
    """One row per organisation, in the given order (all listed organisations by name when None)."""
    statement = (
        select(Organisation).where(Organisation.merged_into_id.is_(None)).options(*WITH_LABELS_AND_PLACE)
    )
    today = clock.today()
    found: dict[int, Organisation] = {}
    if ids is None:
        found = {
            org.id: org
            for org in db.session.scalars(statement.order_by(Organisation.name))
            if any(effective_state(label, today) in LISTING_STATES for label in org.labels)
        }
        ids = list(found)
    else:
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            found.update(
                {org.id: org for org in db.session.scalars(statement.where(Organisation.id.in_(chunk)))}
            )
    rows = []
    for organisation_id in ids:
        organisation = found.get(organisation_id)
        if organisation is None:
            continue
        municipality = organisation.municipality
        rows.append(
            {
                "name": organisation.name,
                "kvk": organisation.kvk or "",
                "city": organisation.city or "",
                "municipality": municipality.name if municipality else "",
                "province": municipality.province.name if municipality else "",
                "region": municipality.region.name if municipality else "",
                "website": organisation.website or "",
                **_label_columns(organisation, today),
                "profile": public_url_for("public.organisation", slug=organisation.slug),
            }
        )
    return rows


def describe_query(query: SearchQuery | None) -> list[tuple[str, str]]:
    """The filters of an export, as lines a reader of the file understands."""
    lines = [("Export", clock.now().strftime("%Y-%m-%d %H:%M")), ("Bron", "Impactmarkt")]
    if query is None:
        return [*lines, ("Filters", "geen: alle vermelde organisaties")]
    lines.append(("Zoekwoorden", query.text or "(geen)"))
    for facet, values in sorted(query.filters.items()):
        lines.append((f"Filter {facet}", ", ".join(values)))
    lines.append(("Verlopen keurmerken", "meegenomen" if query.include_expired else "niet meegenomen"))
    lines.append(("Sortering", query.sort))
    return lines


def to_csv(rows: list[dict[str, Any]], described: list[tuple[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for key, value in described:
        writer.writerow([f"# {key}", spreadsheet_text(value)])
    writer.writerow([title for _, title in COLUMNS])
    for row in rows:
        writer.writerow([spreadsheet_text(row[key]) for key, _ in COLUMNS])
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8 (diacritics in names)


def to_xlsx(rows: list[dict[str, Any]], described: list[tuple[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Organisaties"
    sheet.append([title for _, title in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([spreadsheet_text(row[key]) for key, _ in COLUMNS])
    sheet.freeze_panes = "A2"
    filters = workbook.create_sheet("Filters")
    for key, value in described:
        filters.append([key, spreadsheet_text(value)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_json(rows: list[dict[str, Any]], described: list[tuple[str, str]]) -> str:
    return json.dumps({"filters": dict(described), "organisations": rows}, ensure_ascii=False, indent=1)
