"""How a label's state is shown: the crawler's conclusion, decided on the day of the request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.core import clock
from marketplace.organisations.models import Label
from matching import labels as label_rules

REGISTER_NAMES = {
    "pso": "Prestatieladder Socialer Ondernemen (PSO)",
    "code": "Register Code Sociale Ondernemingen",
    "senl": "Social Enterprise NL",
}
REGISTER_SHORT_NAMES = {"pso": "PSO", "code": "Code Sociale Ondernemingen", "senl": "Social Enterprise NL"}

STATE_TEXT = {
    "active": _l("geldig"),
    "applied": _l("aangevraagd"),
    "grace": _l("herbevestiging loopt"),
    "expired": _l("verlopen"),
}


def grace_days() -> int:
    return int(current_app.config["GRACE_DAYS"])


def facts(label: Label) -> label_rules.LabelFacts:
    """The stored facts the state rule needs (see matching.labels)."""
    return facts_of(*(getattr(label, column.key) for column in FACT_COLUMNS))


# The columns facts_of reads, in its order: select them to make facts without loading Label rows.
FACT_COLUMNS = (
    Label.register,
    Label.level,
    Label.pso30plus,
    Label.state,
    Label.valid_from,
    Label.valid_until,
    Label.grace_since,
    Label.first_seen,
)


def facts_of(
    register: str,
    level: str | None,
    pso30plus: bool,
    state: str,
    valid_from: date | None,
    valid_until: date | None,
    grace_since: datetime | None,
    first_seen: datetime | None,
) -> label_rules.LabelFacts:
    """The facts from the stored columns (FACT_COLUMNS), e.g. for the whole listing at once."""
    return label_rules.LabelFacts(
        register=register,
        level=level,
        pso30plus=pso30plus,
        state=state,
        valid_from=valid_from,
        valid_until=valid_until,
        grace_since=grace_since.date() if grace_since else None,
        first_seen=first_seen.date() if first_seen else None,
    )


def effective_state(label: Label, today: date | None = None) -> str:
    """The state on `today` (the clock's day by default): a past date expires a label at once."""
    return label_rules.state_on(facts(label), today or clock.today(), grace_days())


def grace_ends(label: Label, days: int) -> date | None:
    """The day a label in grace expires, for the profile text."""
    if label.state != "grace" or label.grace_since is None:
        return None
    return label_rules.grace_ends(label.grace_since.date(), days)


@dataclass(frozen=True)
class LabelView:
    """What a page needs to show one label."""

    register: str
    register_name: str
    level: str | None
    pso30plus: bool
    state: str
    state_text: str
    valid_from: date | None
    valid_until: date | None
    next_review: date | None
    last_seen: date
    grace_ends: date | None
    source_url: str
    stored_state: str  # what the crawler concluded; `state` is that decided on the day asked
    grace_since: date | None


def label_view(label: Label, days: int, today: date | None = None) -> LabelView:
    state = effective_state(label, today)
    return LabelView(
        register=label.register,
        register_name=REGISTER_NAMES[label.register],
        level=label.level,
        pso30plus=label.pso30plus,
        state=state,
        state_text=str(STATE_TEXT[state]),
        # An application has no "valid from": the register's date is when it was filed.
        valid_from=None if label.state == "applied" else label.valid_from,
        valid_until=label.valid_until,
        next_review=label.next_review,
        last_seen=label.last_seen.date(),
        grace_ends=grace_ends(label, days),
        source_url=label.source_url,
        stored_state=label.state,
        grace_since=label.grace_since.date() if label.grace_since else None,
    )
