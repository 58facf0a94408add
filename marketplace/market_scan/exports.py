"""A scan as a spreadsheet (CSV for Dutch Excel, Excel) through marketplace.core.tabular: the list
behind the counts as the table, the question, the counts, the judgement and the sources as the
described lines. Made from the scan's JSON, so a saved run exports as it was."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from marketplace.core import tabular
from marketplace.core.reasons import explain
from marketplace.core.web.links import public_url_for
from marketplace.market_scan import words


def headers() -> list[str]:
    return [
        _("Naam"), _("Gemeente"), _("Afstand (km)"), _("Binnen de straal"), _("Telt als"), _("Keurmerken"),
        _("Keurmerk eindigt binnen het contract"), _("Eigen woorden die passen"), _("Profiel"),
    ]  # fmt: skip


def rows(result: dict[str, Any]) -> list[list[Any]]:
    yes, no = _("ja"), _("nee")
    return [
        [
            item["name"],
            item["municipality"] or "",
            item["km"] if item["km"] is not None else "",
            yes if item["within_radius"] else no,
            ", ".join(words.bucket_name(key) for key in item["counted_as"]),
            "; ".join(words.label_text(label) for label in item["labels"]),
            yes if item["certificate_ends_within_contract"] else no,
            " | ".join(item["evidence"]),
            public_url_for("public.organisation", slug=item["organisation"]),
        ]
        for item in result["enterprises"]
    ]


def described(result: dict[str, Any]) -> list[tuple[str, str]]:
    """The date, the question, the counts, the judgement and the sources, as # lines / a sheet."""
    counts = result["counts"]
    lines: list[tuple[str, str]] = [(_("Marktverkenning"), result["scanned_at"].replace("T", " "))]
    lines += words.question_lines(result["question"])
    lines.append((_("Passen binnen de straal"), str(counts["within_radius"])))
    lines += [(words.bucket_name(key), str(count)) for key, count in counts["by_label"].items()]
    lines += [(words.band_name(key), str(count)) for key, count in counts["by_band"].items()]
    lines.append((_("Voorbehouden aanbesteden (art. 2.82)"), explain(counts["judgement"])))
    lines.append((_("Let op"), explain(result["caveat"])))
    for lot in result["lots"]:
        lines.append((_("Perceel: %(part)s", part=lot["part"]), explain(lot["counts"]["judgement"])))
    for source in result["sources"]:
        crawled = source["crawled_at"].replace("T", " ") if source["crawled_at"] else _("nog niet gecrawld")
        lines.append((_("Bron: %(register)s", register=source["name"]), crawled))
    return lines


def to_csv(result: dict[str, Any]) -> str:
    return tabular.table_csv(headers(), rows(result), described(result))


def to_xlsx(result: dict[str, Any]) -> bytes:
    return tabular.table_xlsx(_("Marktverkenning"), headers(), rows(result), described(result))
