"""A register label's state on a given day, decided from its stored dates.

In: what the crawler concluded (active, applied, grace, expired) and the label's dates.
Out: the state on the day asked about. Pages, search, exports, SROI valuation and ranking
all ask here, so a certificate whose valid-until date passes is expired everywhere at once,
without a re-crawl or a reindex.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_GRACE_DAYS = 90
# States in which a label lists its organisation. "applied" (Code: Aangevraagd) is an
# application, not a label.
LISTING_STATES = ("active", "grace")


@dataclass(frozen=True)
class LabelFacts:
    register: str
    level: str | None
    pso30plus: bool
    state: str  # the crawler's conclusion
    valid_from: date | None = None
    valid_until: date | None = None
    grace_since: date | None = None
    first_seen: date | None = None  # the first crawl that saw it (SENL shows no dates)


def listed_period(label: LabelFacts, grace_days: int = DEFAULT_GRACE_DAYS) -> tuple[date | None, date | None]:
    """First and last day the label held: PSO from valid-from to valid-until; Code from its
    "in het register sinds" date; SENL from the first crawl that saw it; in every register up
    to the end of a grace period that ran out. (None, None) for an application."""
    if label.state == "applied":
        return None, None
    start = label.valid_from if label.register in ("pso", "code") and label.valid_from else label.first_seen
    end = label.valid_until
    ends = grace_ends(label.grace_since, grace_days) if label.state in ("grace", "expired") else None
    if ends is not None:
        last = ends - timedelta(days=1)
        end = min(end, last) if end else last
    return start, end


def grace_ends(grace_since: date | None, grace_days: int) -> date | None:
    """The first day on which a label in grace counts as expired."""
    return grace_since + timedelta(days=grace_days) if grace_since else None


def state_on(label: LabelFacts, day: date, grace_days: int = DEFAULT_GRACE_DAYS) -> str:
    """active, applied, grace or expired on `day`."""
    if label.state == "expired":
        return "expired"
    if label.valid_until is not None and label.valid_until < day:
        return "expired"
    if label.state == "grace":
        ends = grace_ends(label.grace_since, grace_days)
        if ends is not None and ends <= day:
            return "expired"
    return label.state


def lists_on(label: LabelFacts, day: date, grace_days: int = DEFAULT_GRACE_DAYS) -> bool:
    """Whether the label lists its organisation on `day` (valid, possibly in grace)."""
    return state_on(label, day, grace_days) in LISTING_STATES


REGISTER_ORDER = ("pso", "code", "senl")
LEVEL_ORDER = {
    "pso": ("Aspirant", "Basistrede", "Trede 1", "Trede 2", "Trede 3", "30+"),
    "code": ("Toegelaten", "Aspirant", "Aangevraagd"),
    "senl": ("Lid", "BOOST"),
}


def label_order(value: str) -> tuple[int, int, str]:
    """Registers in a fixed order, levels in ladder order: how people read "PSO Trede 2"."""
    register, _, level = value.partition(":")
    registers = REGISTER_ORDER.index(register) if register in REGISTER_ORDER else len(REGISTER_ORDER)
    ladder = LEVEL_ORDER.get(register, ())
    return registers, ladder.index(level) if level in ladder else len(ladder), value
