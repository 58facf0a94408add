"""The settlement letter for the contractor: one A4 PDF in Dutch or English with the date, the
parties, the figures, the consequence as agreed and the list of counted contributions.

Drawn with reportlab from the stored settlement (the figures it was settled on, not figures of
today), with amounts worded by the same money() as the pages, so the letter, the obligation page
and the council report agree to the cent. Every text from outside is escaped: reportlab's
paragraphs read markup.
"""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.core.reasons import block_name, money_from_cents, show_date
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.settlement.models import Settlement
from marketplace.sroi.settlement.services import kind_of, settled_contributions

LANGUAGES = ("nl", "en")
KIND_WORDS = {
    "purchase": _l("Inkoop bij sociale ondernemingen"),
    "hire": _l("Aanstellingen"),
    "learn_work": _l("Leerwerkplekken"),
    "placement": _l("Werkervaringsplekken en proefplaatsingen"),
    "activity": _l("Sociale activiteiten"),
}
CONSEQUENCE_WORDS = {
    "none": _l("Geen: de verplichting is ingevuld of er is niets afgesproken"),
    "extension": _l("Verlenging van de termijn"),
    "alternative": _l("Een vervangende inspanning"),
    "compensation": _l("Een compensatiebedrag"),
}


def describe(contribution: Contribution) -> str:
    """One counted contribution in words (a building block by its name, never its key)."""
    if contribution.kind == "purchase":
        supplier = contribution.organisation.name if contribution.organisation else "?"
        return _(
            "Factuur %(number)s van %(supplier)s", number=contribution.invoice_number or "", supplier=supplier
        )
    if contribution.kind == "hire":
        period = ""
        if contribution.starts_on and contribution.ends_on:
            period = f" ({show_date(contribution.starts_on)} – {show_date(contribution.ends_on)})"
        hours = Decimal(str(contribution.hours_per_week or 0)).normalize()
        return (
            _("%(block)s, %(hours)s uur per week", block=block_name(contribution.block), hours=hours) + period
        )
    hours = Decimal(str(contribution.hours or 0)).normalize()
    return _("%(hours)s uur sociale activiteit", hours=hours)


def render(row: Settlement, language: str = "nl") -> bytes:
    """The letter as PDF bytes, in Dutch or English."""
    obligation = db.session.get(Obligation, row.obligation_id)
    contractor = db.session.get(User, obligation.contractor_id)
    with force_locale(language if language in LANGUAGES else "nl"):
        return _render(row, obligation, contractor)


def _render(row: Settlement, obligation: Obligation, contractor: User | None) -> bytes:
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)

    def text(words: object, style: object = body) -> Paragraph:
        return Paragraph(escape(str(words)), style)  # type: ignore[arg-type]

    def table(rows: list[list[object]], widths: list[float], total: bool = False) -> Table:
        found = Table(
            [[text(cell, small) if isinstance(cell, str) else cell for cell in r] for r in rows],
            colWidths=widths,
            repeatRows=1,
        )
        style = [("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        if total:
            style.append(("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black))
        found.setStyle(TableStyle(style))
        return found

    contractor_name = (contractor.display_name or contractor.email) if contractor else "?"
    story: list[object] = [
        Paragraph(escape(_("Afrekening social return")), styles["Title"]),
        text(_("Datum: %(day)s", day=show_date(row.settled_on))),
        text(_("Opdrachtgever: %(who)s", who=obligation.contracting_authority)),
        text(_("Opdrachtnemer: %(who)s", who=contractor_name)),
        text(_("Arbeidsmarktregio: %(region)s", region=obligation.region.name if obligation.region else "?")),
        text(
            _("Opdracht: %(title)s", title=obligation.title)
            + (f" ({obligation.contract_reference})" if obligation.contract_reference else "")
        ),
        text(
            _(
                "Looptijd: %(start)s tot en met %(end)s",
                start=show_date(obligation.starts_on),
                end=show_date(obligation.ends_on),
            )
        ),
        Spacer(1, 4 * mm),
    ]
    if row.corrects_id:
        earlier = db.session.get(Settlement, row.corrects_id)
        story.append(
            text(
                _(
                    "Deze afrekening vervangt die van %(day)s. Reden: %(reason)s",
                    day=show_date(earlier.settled_on) if earlier else "?",
                    reason=row.reason,
                )
            )
        )
    story += [
        Paragraph(escape(_("De cijfers")), styles["Heading2"]),
        table(
            [
                [_("Verplicht"), money_from_cents(row.required_cents)],
                [_("Gerealiseerd (goedgekeurd)"), money_from_cents(row.realised_cents)],
                [_("Tekort"), money_from_cents(row.shortfall_cents)],
            ],
            [90 * mm, 50 * mm],
        ),
        Spacer(1, 3 * mm),
        table(
            [[_("Soort"), _("Aantal"), _("Telt mee")]]
            + [
                [str(KIND_WORDS[kind]), str(v["count"]), money_from_cents(v["cents"])]
                for kind, v in row.per_kind.items()
                if v["count"]
            ]
            + [
                [
                    _("Totaal"),
                    str(sum(v["count"] for v in row.per_kind.values())),
                    money_from_cents(row.realised_cents),
                ]
            ],
            [90 * mm, 25 * mm, 40 * mm],
            total=True,
        ),
        Paragraph(escape(_("Gevolg volgens het contract")), styles["Heading2"]),
        text(str(CONSEQUENCE_WORDS.get(row.consequence, row.consequence))),
    ]
    if row.consequence_text:
        story.append(text(_("Afgesproken: %(words)s", words=row.consequence_text)))
    if row.consequence_cents is not None:
        story.append(
            text(_("Afgesproken bedrag: %(amount)s", amount=money_from_cents(row.consequence_cents)))
        )
    counted = settled_contributions(row)
    parsed: dict[tuple[str, int], object] = {}
    story += [
        Paragraph(escape(_("Wat meetelde")), styles["Heading2"]),
        table(
            [[_("Nr."), _("Datum"), _("Soort"), _("Omschrijving"), _("Telt mee")]]
            + [
                [
                    str(c.id),
                    show_date(c.counts_on) if c.counts_on else "",
                    str(KIND_WORDS[kind_of(c, parsed)]),
                    describe(c),
                    money_from_cents(c.counted_cents),
                ]
                for c in counted
            ]
            + [[_("Totaal"), "", "", "", money_from_cents(sum(c.counted_cents for c in counted))]],
            [14 * mm, 24 * mm, 36 * mm, 70 * mm, 28 * mm],
            total=True,
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Afrekening social return"),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    document.build(story)  # type: ignore[arg-type]
    return buffer.getvalue()
