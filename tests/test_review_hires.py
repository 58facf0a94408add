"""Issue 23: hires carry a person reference of the contractor's choosing (never a BSN), the same
hire entered twice is refused, and only the part of a hire within the contract period counts,
with a reason that says so."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import Contribution
from marketplace.sroi.obligations import evidence, retention
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.review import decisions
from marketplace.sroi.settlement import services as settlement
from tests.factories import code, ingest, login, pdf, post_form, user
from tests.test_coordinator_review import contractor, obligation, purchase


def _hire(target, start: str = "2026-01-01", end: str = "2026-12-31", reference: str | None = "P-7"):  # type: ignore[no-untyped-def]
    return obligations.add_contribution(target, {
        "kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": "18",
        "start": start, "end": end, "person_reference": reference}).contribution  # fmt: skip


def test_the_same_hire_entered_twice_is_refused_and_the_reference_links_the_person(app) -> None:
    target = obligation(contractor())
    first = _hire(target)
    assert first.person_reference == "P-7"
    with pytest.raises(ServiceError) as refused:
        _hire(target)
    assert "kenmerk P-7" in str(refused.value) and f"bijdrage {first.id}" in str(refused.value)
    _hire(target, start="2027-01-01", end="2027-06-30")  # the same person, a later period
    _hire(target, reference="P-8")  # another person
    linked = db.session.scalar(
        select(func.count()).select_from(Contribution).where(Contribution.person_reference == "P-7")
    )
    assert linked == 2


@pytest.mark.parametrize("reference", ["111222333", "111.222.333", "11122 2333"])
def test_a_bsn_is_refused_as_a_reference(app, reference: str) -> None:
    target = obligation(contractor())
    with pytest.raises(ServiceError) as refused:
        _hire(target, reference=reference)
    assert "lijkt op een BSN" in str(refused.value)
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0


def test_a_hire_is_clipped_to_the_contract_period_and_the_reason_says_so(app) -> None:
    target = obligation(contractor(), starts_on="2026-01-01", ends_on="2027-12-31")
    inside = _hire(target, reference="A")
    clipped = _hire(target, start="2025-01-01", end="2026-12-31", reference="B")
    assert clipped.counted_cents == inside.counted_cents  # only 2026 counts
    assert clipped.reasons[-1]["code"] == "sroi.hire_clipped"
    assert clipped.reasons[-1]["params"] == {"start": "2026-01-01", "end": "2026-12-31"}
    with pytest.raises(ServiceError) as refused:
        _hire(target, start="2010-01-01", end="2010-12-31", reference="C")
    assert "buiten de looptijd" in str(refused.value)


def test_the_hire_form_takes_a_reference_and_a_document(app, client) -> None:
    owner = contractor()
    target = obligation(owner)
    login(client, owner.email)
    page = f"/opdrachtnemer/verplichtingen/{target.id}"
    shown = client.get(page).get_data(as_text=True)
    assert 'name="person_reference"' in shown
    sent = post_form(client, f"{page}/bijdragen/hire", {
        "block": "participatiewet_over_2y", "hours_per_week": "18", "start": "2026-01-01",
        "end": "2026-12-31", "person_reference": "Medewerker 12",
        "document_target_group_statement": (io.BytesIO(pdf("Doelgroepverklaring")), "verklaring.pdf"),
        "document_employment_contract": (io.BytesIO(pdf("Arbeidscontract")), "contract.pdf")},
        page=page, content_type="multipart/form-data")  # fmt: skip
    assert sent.status_code == 302
    stored = db.session.scalar(select(Contribution))
    assert stored.person_reference == "Medewerker 12"
    assert [d.document for d in stored.documents] == ["target_group_statement", "employment_contract"]
    assert "kenmerk Medewerker 12" in client.get(page).get_data(as_text=True)


def test_hire_documents_are_deleted_months_after_the_obligation_is_settled_and_the_privacy_page_says_so(
    app, client
) -> None:
    user("twente@regio.example", "coordinator", regions=("Twente",))
    target = obligation(contractor(), starts_on="2026-01-01", ends_on="2026-06-30")
    name = evidence.store(pdf("Doelgroepverklaring"))
    hire = obligations.add_contribution(target, {
        "kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": "18",
        "start": "2026-01-01", "end": "2026-06-30", "person_reference": "X"}, name).contribution  # fmt: skip
    kept = app.config["HIRE_DOCUMENT_MONTHS"]
    assert f"{kept} maanden nadat de opdracht is afgerekend" in client.get("/privacy").get_data(as_text=True)
    with clock.frozen(date(2030, 1, 1)):  # long after the end, but not settled: a coordinator may still need it
        assert retention.purge_hire_documents() == 0
    coordinator = db.session.scalar(select(User).where(User.email == "twente@regio.example"))
    settlement.settle(coordinator, target.id, {"consequence": "none", "consequence_text": "Niets afgesproken."})
    db.session.commit()  # settled on 1 November 2026 (the tests' today)
    with clock.frozen(date(2027, 11, 1)):  # twelve months after the settlement: not yet
        assert retention.purge_hire_documents() == 0
    assert (Path(app.instance_path) / "evidence" / name).exists()
    with clock.frozen(date(2027, 11, 2)):
        assert retention.purge_hire_documents() == 1
    assert not (Path(app.instance_path) / "evidence" / name).exists()
    db.session.expire_all()
    assert db.session.get(Contribution, hire.id).evidence_filename is None


def test_an_invoice_dated_after_today_is_planned_and_counts_once_its_date_has_passed(app) -> None:
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"]))
    user("twente@regio.example", "coordinator", regions=("Twente",))
    target = obligation(contractor())
    later = purchase(target, "11111111", "F-9", "2.000,00", day="2026-12-15")  # today is 1 November
    assert later.reasons[-1]["code"] == "sroi.planned"
    coordinator = db.session.scalar(select(User).where(User.email == "twente@regio.example"))
    decisions.approve(coordinator, later.id)
    now = obligations.progress(target)
    assert (now.counted, now.planned) == (0, 2000)
    with clock.frozen(date(2026, 12, 15)):
        then = obligations.progress(target)
    assert (then.counted, then.planned) == (2000, 0)
