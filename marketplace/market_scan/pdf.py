"""A scan as an A4 PDF for the tender file (reportlab): the date, the question, the counts, the
judgement with its caveat, the lots, the sources (which registers, crawled when) and the list.
Made from the scan's JSON, like the spreadsheets, so it says what the page says."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from marketplace.core.reasons import explain
from marketplace.market_scan import words

GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
    ]
)


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(GRID)
    return table


def _list_rows(result: dict[str, Any], small: Any) -> list[list[Any]]:
    yes = _("ja")
    header = [_("Naam"), _("Gemeente"), _("km"), _("Binnen de straal"), _("Keurmerken"), _("Eigen woorden")]
    found: list[list[Any]] = [header]
    for item in result["enterprises"]:
        labels = "; ".join(words.label_text(label) for label in item["labels"])
        found.append([
            Paragraph(escape(item["name"]), small),
            Paragraph(escape(item["municipality"] or ""), small),
            "" if item["km"] is None else str(item["km"]),
            yes if item["within_radius"] else "",
            Paragraph(escape(labels), small),
            Paragraph(escape(" | ".join(item["evidence"])), small),
        ])  # fmt: skip
    return found


def _lot_rows(result: dict[str, Any], small: Any) -> list[list[Any]]:
    found: list[list[Any]] = [[_("Perceel"), _("Binnen de straal"), _("PSO 30+"), _("Oordeel")]]
    for lot in result["lots"]:
        counts = lot["counts"]
        found.append([
            Paragraph(escape(lot["part"]), small),
            str(counts["within_radius"]),
            str(counts["pso30_within_radius"]),
            Paragraph(escape(explain(counts["judgement"])), small),
        ])  # fmt: skip
    return found


def to_pdf(result: dict[str, Any], title: str | None = None) -> bytes:
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)

    def text(value: str) -> Paragraph:
        return Paragraph(escape(value), body)

    def heading(value: str) -> Paragraph:
        return Paragraph(escape(value), styles["Heading2"])

    counts = result["counts"]
    question = [[_("Vraag"), _("Antwoord")]]
    lines = words.question_lines(result["question"])
    question += [[what, Paragraph(escape(answer), small)] for what, answer in lines]
    by_label = [[_("Keurmerk en niveau"), _("Aantal binnen de straal")]]
    by_label += [[words.bucket_name(key), str(count)] for key, count in counts["by_label"].items()]
    by_band = [[_("Afstand"), _("Aantal in heel Nederland")]]
    by_band += [[words.band_name(key), str(count)] for key, count in counts["by_band"].items()]
    story: list[Any] = [
        Paragraph(escape(title or _("Marktverkenning")), styles["Title"]),
        text(_("Gemaakt op %(moment)s met Impactmarkt.", moment=result["scanned_at"].replace("T", " "))),
        heading(_("De vraag")),
        _table(question, [50 * mm, 120 * mm]),
        heading(_("Voorbehouden aanbesteden (art. 2.82 Aanbestedingswet)")),
        text(explain(counts["judgement"])),
        text(explain(result["caveat"])),
        heading(_("Aantallen")),
        text(_("Passen binnen de straal: %(count)s.", count=counts["within_radius"])),
        _table(by_label, [90 * mm, 50 * mm]),
        Spacer(1, 4 * mm),
        _table(by_band, [90 * mm, 50 * mm]),
        text(_("De registers noemen niet hoe groot een onderneming is: een telling naar omvang is er niet.")),
    ]
    if result["lots"]:
        widths = [40 * mm, 25 * mm, 20 * mm, 85 * mm]
        story += [heading(_("Per perceel")), _table(_lot_rows(result, small), widths)]
    story.append(heading(_("Bronnen")))
    for source in result["sources"]:
        crawled = source["crawled_at"].replace("T", " ") if source["crawled_at"] else _("nog niet gecrawld")
        story.append(text(_("%(register)s, laatst volledig gecrawld: %(moment)s", register=source["name"],
                            moment=crawled)))  # fmt: skip
    story.append(heading(_("De ondernemingen achter de aantallen")))
    story.append(_table(_list_rows(result, small), [35 * mm, 25 * mm, 10 * mm, 15 * mm, 45 * mm, 45 * mm]))
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, title=title or _("Marktverkenning"), leftMargin=15 * mm,
                                 rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm)  # fmt: skip
    document.build(story)
    return out.getvalue()
