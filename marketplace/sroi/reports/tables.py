"""A report as the reader sees it and as a file: each cell worded in the reader's language on the
page, and as a plain value in CSV and Excel (euros with two decimals, shares as percentages with
one), from the same rows, so a file always matches the screen. Also its chart and the lines that
record its filters."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.core.reasons import money_from_cents, show_date
from marketplace.sroi.reports.charts import Bar, bar_chart
from marketplace.sroi.reports.services import TITLES, Report, ReportFilter


def plain(value: Any, kind: str) -> Any:
    """The value a spreadsheet gets."""
    if value is None:
        return ""
    if kind == "cents":
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))
    if kind == "share":
        return (Decimal(value) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if kind in ("count", "number", "date"):
        return value
    return str(value)


def shown(value: Any, kind: str) -> str:
    """The value a reader sees: € 12.000,00, 45,2%, 1.234."""
    if value is None:
        return "–"
    if kind == "cents":
        return money_from_cents(int(value))
    if kind == "share":
        return format_decimal(plain(value, kind), "#,##0.0") + "%"
    if kind == "count":
        return format_decimal(int(value), "#,##0")
    if kind == "number":
        return format_decimal(Decimal(value), "#,##0.#")
    if kind == "date":
        return show_date(value)
    return str(value)


def table(report: Report) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows for a file: the facts first (as label/value rows), then the table and its total."""
    headers = [str(column.header) for column in report.columns]
    rows: list[list[Any]] = [[str(label), plain(value, kind)] for label, value, kind in report.facts]
    if rows:
        rows.append([])
        rows.append(headers)
    body = report.rows + ([report.totals] if report.totals else [])
    rows.extend([plain(row.get(column.key), column.kind) for column in report.columns] for row in body)
    return (headers if not report.facts else [_("Cijfer"), _("Waarde")]), rows


def chart(report: Report) -> Markup | None:
    if report.chart is None or not report.rows:
        return None
    label_key, value_key = report.chart
    column = next(c for c in report.columns if c.key == value_key)
    rows = report.rows[:15]
    bars = [
        Bar(str(row[label_key]), float(row[value_key] or 0), shown(row[value_key], column.kind))
        for row in rows
    ]
    title = f"{TITLES[report.view]}: {column.header}"
    description = _(
        "Staafdiagram met %(count)s staven; de tabel hieronder geeft dezelfde cijfers.", count=len(bars)
    )
    if len(report.rows) > len(rows):
        description += " " + _("Alleen de eerste %(count)s rijen staan in de grafiek.", count=len(rows))
    return bar_chart(f"grafiek-{report.view}", title, description, bars)


def describe(view: str, wanted: ReportFilter) -> list[tuple[str, str]]:
    names = db.session.scalars(
        select(LabourMarketRegion.name)
        .where(LabourMarketRegion.id.in_(wanted.region_ids))
        .order_by(LabourMarketRegion.name)
    ).all()
    return [
        (_("Gemaakt op"), clock.now().strftime("%Y-%m-%d %H:%M")),
        (_("Bron"), _("Impactmarkt, goedgekeurde bijdragen aan social return")),
        (_("Rapportage"), str(TITLES[view])),
        (_("Regio’s"), ", ".join(names)),
        (_("Van"), wanted.start.isoformat() if wanted.start else _("begin")),
        (_("Tot en met"), wanted.end.isoformat() if wanted.end else _("nu")),
        (_("Opdrachtgever"), wanted.authority or _("alle")),
    ]
