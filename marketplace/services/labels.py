"""How a label's state is shown: the crawler's conclusion, corrected by the validity date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from marketplace.models import Label

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


def effective_state(label: Label, today: date | None = None) -> str:
    """The state to show: a past valid-until date means expired, whatever the register says."""
    today = today or date.today()
    if label.state != "expired" and label.valid_until is not None and label.valid_until < today:
        return "expired"
    return label.state


def grace_ends(label: Label, grace_days: int) -> date | None:
    """The day a label in grace expires, for the profile text."""
    if label.state != "grace" or label.grace_since is None:
        return None
    return (label.grace_since + timedelta(days=grace_days)).date()


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


def label_view(label: Label, grace_days: int, today: date | None = None) -> LabelView:
    state = effective_state(label, today)
    return LabelView(
        register=label.register,
        register_name=REGISTER_NAMES[label.register],
        level=label.level,
        pso30plus=label.pso30plus,
        state=state,
        state_text=str(STATE_TEXT[state]),
        valid_from=label.valid_from,
        valid_until=label.valid_until,
        next_review=label.next_review,
        last_seen=label.last_seen.date(),
        grace_ends=grace_ends(label, grace_days),
        source_url=label.source_url,
    )
