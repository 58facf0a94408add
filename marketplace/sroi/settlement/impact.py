"""Impact beyond euros, per obligation, contractor or region: people placed (distinct person
references on approved hires), full-time equivalents, target groups (by their names), how long
people were employed, and whether they still are (the contractor's "still employed on <date>").

Definitions, so every page and file says the same:
- people placed: distinct person references per obligation; a hire without a reference is counted
  apart (`unreferenced`), never guessed to be a person of its own or the same as another;
- full-time equivalents: per person, their largest hours a week over 36 (an unreferenced hire by its
  own hours), rounded once to one decimal;
- months employed: the days covered by a person's hires (overlaps once, up to today) as months of
  365.25/12 days, to one decimal;
- still employed: people whose latest "still employed on" report is on or after the end of their
  last hire (they stayed on after what counted); the others are unknown, not "left".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core import audit, clock
from marketplace.core.extensions import db
from marketplace.core.reasons import block_name
from marketplace.core.refusals import ServiceError
from marketplace.core.web import values as values_rules
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.settlement.models import EmploymentCheck

HOURS_PER_FULL_TIME = Decimal(36)
DAYS_PER_MONTH = Decimal("365.25") / 12
TENTH = Decimal("0.1")
SCOPES = ("obligation", "contractor", "region")


class ImpactRefused(ServiceError):
    """A "still employed" report that cannot be stored, with why."""


@dataclass
class Person:
    """One person (or one unreferenced hire) within an obligation."""

    reference: str | None
    blocks: set[str] = field(default_factory=set)
    hours: Decimal = Decimal(0)
    spans: list[tuple[date, date]] = field(default_factory=list)
    still_employed_on: date | None = None

    @property
    def last_end(self) -> date | None:
        return max((end for _, end in self.spans), default=None)

    def days(self, today: date) -> int:
        """Days covered by the hires up to today, overlaps counted once."""
        covered = 0
        reach: date | None = None
        for start, end in sorted(self.spans):
            end = min(end, today)
            if reach is not None:
                start = max(start, reach + timedelta(days=1))
            if end >= start:
                covered += (end - start).days + 1
                reach = end if reach is None else max(reach, end)
        return covered

    @property
    def still_employed(self) -> bool:
        last = self.last_end
        return self.still_employed_on is not None and last is not None and self.still_employed_on >= last


@dataclass(frozen=True)
class Impact:
    people: int
    unreferenced: int  # approved hires without a person reference
    fte: Decimal
    months: Decimal  # months employed, all people together
    months_each: Decimal | None  # on average per person (None without people)
    still_employed: int
    target_groups: list[tuple[str, int]]  # (name, people) by name

    def as_json(self) -> dict[str, Any]:
        return {
            "people_placed": self.people,
            "hires_without_reference": self.unreferenced,
            "full_time_equivalents": f"{self.fte}",
            "months_employed": f"{self.months}",
            "months_employed_each": None if self.months_each is None else f"{self.months_each}",
            "still_employed": self.still_employed,
            "target_groups": [{"name": name, "people": count} for name, count in self.target_groups],
        }


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(TENTH, ROUND_HALF_UP)


def summarise(people: Iterable[Person], today: date) -> Impact:
    everyone = list(people)
    named = [p for p in everyone if p.reference is not None]
    fte = _tenth(sum((p.hours for p in everyone), Decimal(0)) / HOURS_PER_FULL_TIME)
    days = sum(p.days(today) for p in everyone)
    named_days = sum(p.days(today) for p in named)
    groups: dict[str, int] = defaultdict(int)
    for person in everyone:
        for block in person.blocks:
            groups[block_name(block)] += 1
    return Impact(
        people=len(named),
        unreferenced=len(everyone) - len(named),
        fte=fte,
        months=_tenth(Decimal(days) / DAYS_PER_MONTH),
        months_each=_tenth(Decimal(named_days) / DAYS_PER_MONTH / len(named)) if named else None,
        still_employed=sum(1 for p in named if p.still_employed),
        target_groups=sorted(groups.items(), key=lambda item: (-item[1], item[0])),
    )


def people_of(
    obligation_ids: Iterable[int] | None = None, region_ids: Iterable[int] | None = None
) -> dict[tuple[int, int, int], list[Person]]:
    """People per (obligation, contractor, region) from approved hires, with their latest report."""
    statement = (
        select(
            Contribution.obligation_id,
            Obligation.contractor_id,
            Obligation.region_id,
            Contribution.person_reference,
            Contribution.id,
            Contribution.block,
            Contribution.hours_per_week,
            Contribution.starts_on,
            Contribution.ends_on,
        )
        .join(Obligation, Contribution.obligation_id == Obligation.id)
        .where(Contribution.status == "approved", Contribution.kind == "hire")
    )
    if obligation_ids is not None:
        statement = statement.where(Contribution.obligation_id.in_(list(obligation_ids)))
    if region_ids is not None:
        statement = statement.where(Obligation.region_id.in_(list(region_ids)))
    found: dict[tuple[int, int, int], dict[Any, Person]] = defaultdict(dict)
    for (
        obligation_id,
        contractor_id,
        region_id,
        reference,
        hire_id,
        block,
        hours,
        start,
        end,
    ) in db.session.execute(statement):
        key = (obligation_id, contractor_id, region_id)
        person_key = reference if reference else ("hire", hire_id)
        person = found[key].setdefault(person_key, Person(reference or None))
        person.blocks.add(block or "")
        person.hours = max(person.hours, Decimal(str(hours or 0)))
        if start is not None and end is not None:
            person.spans.append((start, end))
    if found:
        checks = select(
            EmploymentCheck.obligation_id,
            EmploymentCheck.person_reference,
            func.max(EmploymentCheck.employed_on),
        )
        checks = checks.where(EmploymentCheck.obligation_id.in_({key[0] for key in found}))
        latest = {
            (obligation_id, reference): day
            for obligation_id, reference, day in db.session.execute(
                checks.group_by(EmploymentCheck.obligation_id, EmploymentCheck.person_reference)
            )
        }
        for key, people in found.items():
            for person in people.values():
                if person.reference is not None:
                    person.still_employed_on = latest.get((key[0], person.reference))
    return {key: list(people.values()) for key, people in found.items()}


def impact_by(
    scope: str, obligation_ids: Iterable[int] | None = None, region_ids: Iterable[int] | None = None
) -> dict[int, Impact]:
    """Impact per obligation, contractor or region (by its id). A person is counted once per
    obligation: the same reference under two obligations is two placements."""
    position = SCOPES.index(scope)
    grouped: dict[int, list[Person]] = defaultdict(list)
    for key, people in people_of(obligation_ids, region_ids).items():
        grouped[key[position]].extend(people)
    today = clock.today()
    return {key: summarise(people, today) for key, people in grouped.items()}


def of_obligation(obligation: Obligation) -> Impact:
    return impact_by("obligation", [obligation.id]).get(obligation.id) or summarise([], clock.today())


def people_table(obligation: Obligation) -> list[Person]:
    """The obligation's people, by reference (unreferenced hires last): for its pages."""
    people = people_of([obligation.id]).get(
        (obligation.id, obligation.contractor_id, obligation.region_id), []
    )
    return sorted(people, key=lambda p: (p.reference is None, p.reference or ""))


def references(obligation: Obligation) -> list[str]:
    """The person references of the obligation's hires (approved or waiting), for the form's choice."""
    return sorted(
        set(
            db.session.scalars(
                select(Contribution.person_reference).where(
                    Contribution.obligation_id == obligation.id,
                    Contribution.kind == "hire",
                    Contribution.person_reference.is_not(None),
                    Contribution.status.in_(("approved", "pending", "questioned")),
                )
            )
        )
    )


def report_still_employed(
    contractor: User, obligation: Obligation, values: dict[str, Any]
) -> EmploymentCheck:
    """The contractor reports that a person they hired (by their reference) is still employed on a
    day (not in the future). Allowed after settlement too: it changes
    no euro, it tells whether the placement lasted."""
    if obligation.contractor_id != contractor.id:
        raise LookupError(obligation.id)
    reference = values_rules.clean_text(
        values.get("person_reference"), "person_reference", 60, one_line=True
    ).strip()
    if reference not in references(obligation):
        raise ImpactRefused("impact.unknown_person")
    day = values_rules.day(values.get("employed_on"), "employed_on")
    if day > clock.today():
        raise ImpactRefused("impact.future_day")
    check = EmploymentCheck(
        obligation_id=obligation.id,
        person_reference=reference,
        employed_on=day,
        reported_by_id=contractor.id,
        created_at=clock.now(),
    )
    db.session.add(check)
    db.session.flush()
    audit.record(
        contractor,
        "impact.still_employed",
        "obligation",
        obligation.id,
        region_id=obligation.region_id,
        check=check.id,
        employed_on=day.isoformat(),
    )
    db.session.commit()
    return check
