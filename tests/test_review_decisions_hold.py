"""Issue 23: a decision applies only to the state it was made on. Two coordinators deciding the
same contribution at the same moment (threads behind a barrier, each with its own session on the
real database): exactly one decision takes effect, with one audit entry and at most one mail; the
other is refused with who decided and when. Bulk approval decides item by item."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import Contribution
from marketplace.sroi.review import decisions
from tests.factories import code, ingest, login, outbox, post_form, user
from tests.test_coordinator_review import CONTRACTOR, contractor, obligation, purchase

ANNE = "anne@regio.example"
BRAM = "bram@regio.example"
TRIALS = 20


@pytest.fixture
def world(app) -> dict:
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"]))
    user(ANNE, "coordinator", regions=("Twente",))
    user(BRAM, "coordinator", regions=("Twente",))
    for email, name in ((ANNE, "Anne de Vries"), (BRAM, "Bram Jansen")):
        db.session.scalar(select(User).where(User.email == email)).display_name = name
    db.session.commit()
    return {"obligation": obligation(contractor())}


def _race(app, contribution_id: int, deciders: list) -> list:
    """Run each decider (email, callable(user, id)) in its own thread and app context, all
    released at once; returns each one's outcome: 'won' or the refusal."""
    barrier = threading.Barrier(len(deciders))
    outcomes: list = [None] * len(deciders)

    def run(index: int, email: str, decide) -> None:  # type: ignore[no-untyped-def]
        with app.app_context():
            try:
                coordinator = db.session.scalar(select(User).where(User.email == email))
                db.session.commit()  # start the decision with a fresh transaction
                barrier.wait(timeout=10)
                decide(coordinator, contribution_id)
                outcomes[index] = "won"
            except ServiceError as error:
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=run, args=(index, email, decide))
        for index, (email, decide) in enumerate(deciders)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _entries(contribution_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditLogEntry).where(
            AuditLogEntry.subject_type == "contribution", AuditLogEntry.subject_id == str(contribution_id)
        )
    )


def test_of_two_coordinators_deciding_at_once_exactly_one_wins_every_time(app, world) -> None:
    reject = lambda who, cid: decisions.reject(who, cid, "Factuur onleesbaar")  # noqa: E731
    approve = decisions.approve
    for trial in range(TRIALS):
        target = purchase(world["obligation"], "11111111", f"R-{trial}", "1.000,00")
        mails_before = len([m for m in outbox(app) if m["To"] == CONTRACTOR])
        outcomes = _race(app, target.id, [(ANNE, reject), (BRAM, approve)])
        db.session.expire_all()
        won = [index for index, outcome in enumerate(outcomes) if outcome == "won"]
        assert len(won) == 1, (trial, outcomes)
        lost = outcomes[1 - won[0]]
        assert isinstance(lost, ServiceError), (trial, outcomes)
        winner_name = ("Anne de Vries", "Bram Jansen")[won[0]]
        assert lost.reason.code == "review.already_decided_by"
        assert winner_name in str(lost) and " op " in str(lost)
        stored = db.session.get(Contribution, target.id)
        assert stored.status == ("rejected", "approved")[won[0]]
        assert _entries(target.id) == 1
        mails = len([m for m in outbox(app) if m["To"] == CONTRACTOR]) - mails_before
        assert mails == (1 if won[0] == 0 else 0)  # a rejection is mailed, an approval is not


def test_two_corrections_at_once_leave_one_corrected_amount_and_one_entry(app, world) -> None:
    def correct_to(amount: str):  # type: ignore[no-untyped-def]
        from decimal import Decimal

        return lambda who, cid: decisions.correct(
            who, cid, decisions.Correction(amount=Decimal(amount)), "Deel van de factuur"
        )

    for trial in range(5):
        target = purchase(world["obligation"], "11111111", f"C-{trial}", "1.000,00")
        outcomes = _race(app, target.id, [(ANNE, correct_to("100")), (BRAM, correct_to("200"))])
        db.session.expire_all()
        assert sorted(str(o) == "won" for o in outcomes) == [False, True], outcomes
        stored = db.session.get(Contribution, target.id)
        assert stored.counted_cents == (10000 if outcomes[0] == "won" else 20000)
        assert _entries(target.id) == 1


def test_bulk_approval_and_a_rejection_at_once_decide_each_item_once(app, world) -> None:
    items = [purchase(world["obligation"], "11111111", f"B-{n}", "500,00").id for n in range(4)]
    contested = items[2]
    outcomes = _race(
        app,
        contested,
        [
            (ANNE, lambda who, _cid: decisions.approve_many(who, items)),
            (BRAM, lambda who, cid: decisions.reject(who, cid, "Dubbel ingediend")),
        ],
    )
    db.session.expire_all()
    assert outcomes[0] == "won"  # the bulk approval itself never fails: it skips what it lost
    statuses = {cid: db.session.get(Contribution, cid).status for cid in items}
    assert [statuses[cid] for cid in items if cid != contested] == ["approved"] * 3
    assert statuses[contested] == ("approved" if outcomes[1] != "won" else "rejected")
    for cid in items:
        assert _entries(cid) == 1


def test_a_second_decision_in_the_browser_says_who_decided_and_when(app, client, world) -> None:
    target = purchase(world["obligation"], "11111111", "W-1", "750,00")
    anne = db.session.scalar(select(User).where(User.email == ANNE))
    decisions.approve(anne, target.id)
    login(client, BRAM)
    answer = post_form(
        client, f"/coordinator/wachtrij/bijdragen/{target.id}",
        {"decision": "reject", "reason": "Toch niet"}, page="/coordinator/wachtrij",
    )  # fmt: skip
    assert answer.status_code == 302
    page = client.get("/coordinator/wachtrij").get_data(as_text=True)
    assert "Hierover is al beslist door Anne de Vries op " in page
    db.session.expire_all()
    assert db.session.get(Contribution, target.id).status == "approved"
    assert _entries(target.id) == 1
