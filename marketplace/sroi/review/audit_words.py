"""The audit log in words, in the reader's language: "Anne de Vries keurde de inkoop bij De Uil
goed: factuur F-1, € 12.000,00", with times in Dutch time and changes as "field: before →
after". The stored entries stay codes with data; this only words them when shown or exported."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from marketplace.core.extensions import db
from marketplace.core.reasons import money_from_cents, show_date, show_moment
from marketplace.sroi.models import Contribution

SENTENCES = {
    "review.contribution_approved": _l("%(who)s keurde %(what)s goed"),
    "review.contribution_rejected": _l("%(who)s wees %(what)s af"),
    "review.contribution_corrected": _l("%(who)s corrigeerde %(what)s en keurde die goed"),
    "review.contribution_questioned": _l("%(who)s vroeg meer informatie over %(what)s"),
    "review.contribution_answered": _l("%(who)s beantwoordde de vraag over %(what)s"),
    "review.contribution_withdrawn": _l("%(who)s trok %(what)s in"),
    "evidence.opened": _l("%(who)s opende het bewijsstuk van %(what)s"),
    "evidence.deleted": _l("Het bewijsstuk van %(what)s is gewist: de bewaartermijn is voorbij"),
    "sroi.revalue": _l("%(who)s waardeerde %(what)s opnieuw"),
    "review.match_approved": _l("%(who)s bevestigde de uitkomst van een match"),
    "review.match_rejected": _l("%(who)s wees de uitkomst van een match af"),
    "review.ruleset_approved": _l("%(who)s keurde een versie van een regelset goed"),
    "review.ruleset_rejected": _l("%(who)s wees een versie van een regelset af"),
    "plan.proposed": _l("%(who)s stelde een plan voor bij %(what)s"),
    "plan.approved": _l("%(who)s keurde het plan goed bij %(what)s"),
    "plan.changes_asked": _l("%(who)s vroeg om wijzigingen in het plan bij %(what)s"),
    "plan.deadlines_set": _l("%(who)s stelde de rapportagedata vast bij %(what)s"),
    "plan.report_confirmed": _l("%(who)s bevestigde een voortgangsrapportage bij %(what)s"),
    "obligation.changed": _l("%(who)s legde een contractwijziging vast bij %(what)s"),
    "sroi.obligation_ruleset": _l("%(who)s koos de regelset van een verplichting die wachtte (%(what)s)"),
    "sroi.company_listed": _l("%(who)s zette een bedrijf op de lijst van de regio (%(what)s)"),
    "sroi.company_unlisted": _l("%(who)s haalde een bedrijf van de lijst van de regio (%(what)s)"),
    "settlement.settled": _l("%(who)s rekende een verplichting af (%(what)s)"),
    "settlement.corrected": _l("%(who)s corrigeerde de afrekening van een verplichting (%(what)s)"),
    "impact.still_employed": _l("%(who)s meldde dat iemand nog in dienst is (%(what)s)"),
}
FIELDS = {
    "status": _l("status"),
    "counted_cents": _l("telt mee"),
    "block": _l("bouwblok"),
    "ruleset_version": _l("versie van de regelset"),
    "review_status": _l("beoordeling"),
}
STATUSES = {
    "pending": _l("wacht op beoordeling"),
    "approved": _l("goedgekeurd"),
    "rejected": _l("afgewezen"),
    "questioned": _l("meer informatie gevraagd"),
    "withdrawn": _l("ingetrokken"),
}
NOTES = {"reason": _l("reden"), "question": _l("vraag"), "why": _l("waarom")}


def contributions_of(entries: list[Any]) -> dict[str, Contribution]:
    ids = {int(e.subject_id) for e in entries if e.subject_type == "contribution" and e.subject_id.isdigit()}
    if not ids:
        return {}
    found = db.session.scalars(
        select(Contribution).where(Contribution.id.in_(ids)).options(selectinload(Contribution.organisation))
    )
    return {str(c.id): c for c in found}


def contribution_words(c: Contribution) -> tuple[str, str]:
    """What the contribution is, and the detail that tells it apart (for the end of a sentence)."""
    if c.kind == "purchase":
        supplier = c.organisation.name if c.organisation else ""
        detail = _("factuur %(number)s, %(amount)s", number=c.invoice_number,
                   amount=money_from_cents(c.amount_cents or 0))  # fmt: skip
        return _("de inkoop bij %(supplier)s", supplier=supplier), detail
    if c.kind == "hire":
        block = (c.block or "").replace("_", " ")
        detail = _("%(start)s tot en met %(end)s", start=show_date(c.starts_on), end=show_date(c.ends_on))
        return _("de aanstelling %(block)s", block=block), detail
    return _("de sociale activiteit"), _("%(hours)s uur", hours=str(c.hours).replace(".00", ""))


def value(field: str, value: Any) -> str:
    if value is None:
        return "—"
    if field == "counted_cents":
        return money_from_cents(int(value))
    if field in ("status", "review_status") and value in STATUSES:
        return str(STATUSES[value])
    if field == "block":
        return str(value).replace("_", " ")
    return str(value)


def changes(details: dict[str, Any]) -> list[str]:
    """Each changed field as "field: before → after"."""
    before, after = details.get("before"), details.get("after")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    return [
        f"{FIELDS[field]}: {value(field, before.get(field))} → {value(field, after.get(field))}"
        for field in after
        if field in FIELDS and before.get(field) != after.get(field)
    ]


def notes(details: dict[str, Any]) -> list[str]:
    return [f"{NOTES[key]}: {details[key]}" for key in NOTES if details.get(key)]


def sentence(entry: Any, actor: str, contributions: dict[str, Contribution]) -> str:
    who = actor or _("het systeem")
    subject = contributions.get(entry.subject_id) if entry.subject_type == "contribution" else None
    what, detail = contribution_words(subject) if subject else (_("item %(id)s", id=entry.subject_id), "")
    template = SENTENCES.get(entry.action)
    if template is None:
        said = _("%(who)s wijzigde %(what)s", who=who, what=what)
    else:
        said = str(template) % {"who": who, "what": what}
    return f"{said}: {detail}" if detail else said


def moment(entry: Any) -> str:
    return show_moment(entry.at)
