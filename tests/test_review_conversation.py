"""Issue 23: review as a conversation. The coordinator asks for more information; the contractor
answers with text and a file and it is pending again; both see one thread; each message is mailed
in the reader's language naming the contribution; a pending or questioned contribution can be
withdrawn; the contractor's table says what counts."""

from __future__ import annotations

import io

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.sroi.models import Contribution, ContributionMessage
from marketplace.sroi.review import decisions
from tests.factories import code, ingest, login, outbox, pdf, post_form, user
from tests.test_coordinator_review import CONTRACTOR, contractor, obligation, purchase

COORDINATOR = "twente@regio.example"


def _world(app):  # type: ignore[no-untyped-def]
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"]))
    user(COORDINATOR, "coordinator", regions=("Twente",))
    coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
    coordinator.locale = "en"
    db.session.commit()
    target = obligation(contractor())
    return target, purchase(target, "11111111", "F-1", "4.250,50")


def test_question_answer_and_approval_in_one_thread(app, client) -> None:
    _target, item = _world(app)
    login(client, COORDINATOR)
    page = f"/coordinator/bijdragen/{item.id}"
    asked = post_form(client, f"/coordinator/wachtrij/bijdragen/{item.id}",
                      {"decision": "ask", "reason": "Kunt u de pakbon sturen?", "next": page}, page=page)  # fmt: skip
    assert asked.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, item.id).status == "questioned"
    mail = [m for m in outbox(app) if m["To"] == CONTRACTOR][-1]
    body = mail.get_content()
    assert "Kunt u de pakbon sturen?" in body and "factuur F-1" in body and "€\xa04.250,50" in body
    assert "Schoonmaakbedrijf De Uil" in mail["Subject"]
    client.delete_cookie("session")

    login(client, CONTRACTOR)
    mine = f"/opdrachtnemer/bijdragen/{item.id}"
    shown = client.get(mine).get_data(as_text=True)
    assert "Kunt u de pakbon sturen?" in shown and "meer informatie gevraagd" in shown
    answered = post_form(client, f"{mine}/antwoord", {"body": "Hierbij de pakbon.",
                         "evidence": (io.BytesIO(pdf("Pakbon")), "pakbon.pdf")},
                         page=mine, content_type="multipart/form-data")  # fmt: skip
    assert answered.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, item.id).status == "pending"
    messages = db.session.scalars(select(ContributionMessage).order_by(ContributionMessage.id)).all()
    assert [m.side for m in messages] == ["coordinator", "contractor"] and messages[1].evidence_filename
    english = [m for m in outbox(app) if m["To"] == COORDINATOR][-1]
    assert "Hierbij de pakbon." in english.get_content() and "invoice F-1" in english.get_content()
    assert client.get(f"{mine}/berichten/{messages[1].id}/bestand").status_code == 200
    # Answering again is refused: it is no longer questioned.
    again = post_form(client, f"{mine}/antwoord", {"body": "Nog iets"}, page=mine)
    assert again.status_code == 400
    client.delete_cookie("session")

    login(client, COORDINATOR)
    shown = client.get(page).get_data(as_text=True)
    assert "Kunt u de pakbon sturen?" in shown and "Hierbij de pakbon." in shown
    opened = client.get(f"{page}/berichten/{messages[1].id}/bestand")
    assert opened.status_code == 200 and opened.headers["Content-Disposition"].startswith("attachment;")
    post_form(client, f"/coordinator/wachtrij/bijdragen/{item.id}", {"decision": "approve", "next": page}, page=page)
    db.session.expire_all()
    assert db.session.get(Contribution, item.id).status == "approved"
    actions = db.session.scalars(
        select(AuditLogEntry.action).where(AuditLogEntry.subject_id == str(item.id)).order_by(AuditLogEntry.id)
    ).all()
    assert actions == ["review.contribution_questioned", "review.contribution_answered",
                       "review.contribution_approved"]  # fmt: skip


def test_withdraw_a_pending_contribution_and_the_table_says_what_counts(app, client) -> None:
    target, item = _world(app)
    other = purchase(target, "11111111", "F-2", "1.000,00")
    login(client, CONTRACTOR)
    table = client.get(f"/opdrachtnemer/verplichtingen/{target.id}").get_data(as_text=True)
    assert "telt mee na goedkeuring" in table
    mine = f"/opdrachtnemer/bijdragen/{item.id}"
    assert post_form(client, f"{mine}/intrekken", {}, page=mine).status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, item.id).status == "withdrawn"
    again = post_form(client, f"{mine}/intrekken", {}, page=f"/opdrachtnemer/bijdragen/{other.id}")
    assert again.status_code == 302
    assert "Dat kan niet meer" in client.get(mine).get_data(as_text=True)
    table = client.get(f"/opdrachtnemer/verplichtingen/{target.id}").get_data(as_text=True)
    assert "ingetrokken" in table and "telt niet mee" in table
    assert client.get(f"/opdrachtnemer/bijdragen/{item.id + 100}").status_code == 404


def test_a_rejected_contribution_is_replaced_by_a_new_one_that_links_to_it(app, client) -> None:
    target, item = _world(app)
    coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
    decisions.reject(coordinator, item.id, "Bedrag klopt niet met de factuur")
    login(client, CONTRACTOR)
    mine = f"/opdrachtnemer/bijdragen/{item.id}"
    shown = client.get(mine).get_data(as_text=True)
    assert "Vervangen door een nieuwe bijdrage" in shown
    page = f"/opdrachtnemer/verplichtingen/{target.id}?vervangt={item.id}"
    form = client.get(page).get_data(as_text=True)
    assert f'name="replaces" type="hidden" value="{item.id}"' in form
    sent = post_form(client, f"/opdrachtnemer/verplichtingen/{target.id}/bijdragen/purchase", {
        "replaces": str(item.id), "supplier": "11111111", "invoice_number": "F-1",
        "invoice_date": "2026-05-02", "amount_excl_vat": "4.000,00",
        "document_invoice": (io.BytesIO(pdf("Factuur F-1")), "factuur.pdf")},
        page=page, content_type="multipart/form-data")  # fmt: skip
    assert sent.status_code == 302, sent.get_data(as_text=True)
    new = db.session.scalar(select(Contribution).where(Contribution.replaces_id == item.id))
    assert new is not None and new.status == "pending" and new.invoice_number == "F-1"
    twice = post_form(client, f"/opdrachtnemer/verplichtingen/{target.id}/bijdragen/purchase", {
        "replaces": str(item.id), "supplier": "11111111", "invoice_number": "F-3",
        "invoice_date": "2026-05-02", "amount_excl_vat": "4.000,00"}, page=f"/opdrachtnemer/verplichtingen/{target.id}")  # fmt: skip
    assert twice.status_code == 400 and "maar één keer" in twice.get_data(as_text=True)
