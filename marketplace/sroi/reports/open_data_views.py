"""The public open-data page on social return (totals per region and year) and its CSV.
Registered on the public blueprint; the same figures are at /api/v1/open-data."""

from __future__ import annotations

from decimal import Decimal

from flask import Response as FlaskResponse
from flask import render_template
from flask_babel import gettext as _

from marketplace.core import clock, tabular
from marketplace.core.reasons import money_from_cents
from marketplace.core.web import input_schema
from marketplace.core.web.areas import public as bp
from marketplace.sroi.reports import open_data
from marketplace.sroi.reports.charts import Bar, bar_chart


def _year() -> tuple[int | None, str | None]:
    value = input_schema.query().get("jaar", "").strip()
    if not value:
        return None, None
    year = input_schema.whole_or_none(value, 2000, 2100)
    if year is None:
        return None, _("Kies een jaar van vier cijfers, bijvoorbeeld 2026.")
    return year, None


@bp.get("/open-data")
def open_data_page() -> tuple[str, int]:
    year, problem = _year()
    cells = open_data.totals(year)
    shown = sorted((c for c in cells if not c.withheld), key=lambda cell: -(cell.approved_cents or 0))[:15]
    chart = (
        bar_chart(
            "grafiek-open-data",
            _("Goedgekeurde social return per arbeidsmarktregio"),
            _(
                "Staafdiagram met %(count)s staven; de tabel hieronder geeft dezelfde cijfers.",
                count=len(shown),
            ),
            [
                Bar(
                    f"{cell.region} {cell.year}",
                    float(cell.approved_cents),
                    money_from_cents(cell.approved_cents),
                )
                for cell in shown
            ],
        )
        if cells
        else None
    )
    return render_template(
        "sroi/reports/open_data.html",
        cells=cells,
        years=open_data.years(),
        year=year,
        problem=problem,
        chart=chart,
        minimum=open_data.MIN_CONTRACTORS,
    ), (400 if problem else 200)


@bp.get("/open-data.csv")
def open_data_csv() -> FlaskResponse:
    year, _problem = _year()
    headers = [
        _("Arbeidsmarktregio"),
        _("Jaar"),
        _("Verplichtingen"),
        _("Verplicht (euro)"),
        _("Goedgekeurd (euro)"),
        _("Inkoop bij sociale ondernemingen (euro)"),
        _("Ondernemingen bereikt"),
        _("Aanstellingen"),
        _("Aanstellingen, telt mee (euro)"),
        _("Mensen aan het werk geholpen"),
        _("Voltijdbanen (36 uur)"),
    ]

    def euros(cents: int | None) -> Decimal | str:
        return "" if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))

    rows = [
        [
            cell.region,
            cell.year,
            "" if cell.obligations is None else cell.obligations,
            euros(cell.required_cents),
            euros(cell.approved_cents),
            euros(cell.purchases_cents),
            "" if cell.enterprises is None else cell.enterprises,
            "" if cell.hires is None else cell.hires,
            euros(cell.hires_approved_cents),
            "" if cell.people is None else cell.people,
            "" if cell.fte is None else cell.fte,
        ]
        for cell in open_data.totals(year)
    ]
    described = [
        (_("Bron"), _("Impactmarkt, open data social return")),
        (_("Jaar"), str(year or _("alle"))),
        (_("Gemaakt op"), clock.now().strftime("%Y-%m-%d %H:%M")),
    ]
    name = f"impactmarkt-open-data-{year or 'alle'}.csv"
    return FlaskResponse(
        tabular.table_csv(headers, rows, described),
        mimetype=tabular.CSV_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
