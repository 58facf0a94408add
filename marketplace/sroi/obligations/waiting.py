"""Obligations that wait for a rule set ("wacht op regelset"): registered in a region for which no
rule set is known, with contributions recorded and their value unknown. The region's coordinator sees
them in the queue and on the monitor and chooses a rule set (audit-logged); then every contribution
is valued under it. The choice is made once: a second one is refused, never applied twice."""

from __future__ import annotations

from sqlalchemy import select, update

from marketplace.accounts.models import User
from marketplace.core import audit
from marketplace.core.extensions import db
from marketplace.sroi.models import Contribution, Obligation, RegionRuleSet
from marketplace.sroi.obligations.services import (
    ObligationRefused,
    contribution_values,
    value_contribution,
)
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.reasons import Reason

WAITING = sroi_rulesets.NO_RULESET
SETTLED_STATUSES = ("rejected", "withdrawn")


def is_waiting(obligation: Obligation) -> bool:
    return obligation.ruleset_id == WAITING


def waiting_in_regions(user: User) -> list[Obligation]:
    """The obligations waiting for a rule set in the coordinator's regions (all for an admin)."""
    statement = select(Obligation).where(Obligation.ruleset_id == WAITING).order_by(Obligation.created_at)
    if not user.has_role("admin"):
        statement = statement.where(Obligation.region_id.in_(user.coordinator_region_ids()))
    return list(db.session.scalars(statement))


def choose_ruleset(user: User, obligation_id: int, ruleset_id: str) -> Obligation:
    """Give a waiting obligation its rule set (the version in force) and value every contribution
    under it; the percentage follows the rule set unless the contract gave one. Audit-logged."""
    obligation = db.session.get(Obligation, obligation_id)
    if obligation is None or not (
        user.has_role("admin") or obligation.region_id in user.coordinator_region_ids()
    ):
        raise LookupError(obligation_id)
    if not is_waiting(obligation):
        raise ObligationRefused("sroi.ruleset_already_chosen")
    rules = sroi_rulesets.rules(ruleset_id)  # refuses an unknown rule set and one never approved
    percentage = rules.percentage if obligation.percentage_from_ruleset else obligation.percentage
    # The state it was chosen on: still waiting. A colleague's choice a moment ago wins; this one is refused.
    done = db.session.execute(
        update(Obligation)
        .where(Obligation.id == obligation.id, Obligation.ruleset_id == WAITING)
        .values(ruleset_id=rules.id, percentage=percentage)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        db.session.rollback()
        raise ObligationRefused("sroi.ruleset_already_chosen")
    db.session.refresh(obligation)
    valued = []
    contributions = db.session.scalars(
        select(Contribution).where(Contribution.obligation_id == obligation.id).order_by(Contribution.id)
    )
    for contribution in contributions:
        if contribution.ruleset_id != WAITING or contribution.status in SETTLED_STATUSES:
            continue
        _value(contribution, obligation, rules.id, rules.name)
        db.session.flush()  # the same person's next hire reads this one's months
        valued.append([contribution.id, contribution.counted_cents])
    audit.record(user, "sroi.obligation_ruleset", "obligation", obligation.id, region_id=obligation.region_id,
                 before="", after=rules.id, version=rules.version, valued=valued)  # fmt: skip
    db.session.commit()
    return obligation


def _value(contribution: Contribution, obligation: Obligation, ruleset_id: str, name: str) -> None:
    chosen = Reason("sroi.ruleset_chosen", {"ruleset": name})
    try:
        prepared = value_contribution(contribution_values(contribution), ruleset_id, obligation=obligation,
                                      before_id=contribution.id)  # fmt: skip
    except ObligationRefused as error:  # e.g. a building block the chosen rule set does not have
        version = sroi_rulesets.in_force_row(ruleset_id).version
        contribution.ruleset_id, contribution.ruleset_version = ruleset_id, version
        contribution.counted_cents, contribution.counted_label = 0, None
        contribution.reasons = [error.reason.to_json(), chosen.to_json()]
        return
    contribution.ruleset_id = prepared.contribution.ruleset_id
    contribution.ruleset_version = prepared.contribution.ruleset_version
    contribution.counted_cents = prepared.contribution.counted_cents
    contribution.counted_label = prepared.contribution.counted_label
    contribution.reasons = [*prepared.contribution.reasons, chosen.to_json()]


def settle_region(user: User, region_id: int) -> int:
    """After a coordinator chose their region's rule set: every obligation there that waited gets it.
    Returns how many were valued."""
    choice = db.session.get(RegionRuleSet, region_id)
    if choice is None or choice.ruleset_id == WAITING:
        return 0
    count = 0
    statement = select(Obligation.id).where(
        Obligation.region_id == region_id, Obligation.ruleset_id == WAITING
    )
    for obligation_id in list(db.session.scalars(statement)):
        try:
            choose_ruleset(user, obligation_id, choice.ruleset_id)
        except ObligationRefused:  # chosen by a colleague meanwhile
            continue
        count += 1
    return count
