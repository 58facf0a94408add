"""The chain (issue 24): a main contractor invites subcontractors by e-mail; what a subcontractor
enters counts towards the obligation and is seen by the main contractor and the coordinator,
while a subcontractor sees only their own contributions; an ended invitation takes nothing new.
Through the Flask test client, the real mail outbox and the real database."""

from __future__ import annotations

import io
import re
from datetime import date

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.sroi.chain.models import ChainInvitation
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.obligations import services as obligations
from tests.factories import code, csrf_token, ingest, last_mail_to, login, pdf, post_form, user

MAIN, SUB, OTHER_SUB = "hoofd@bouw.example", "onder@installatie.example", "tweede@schilder.example"
OBLIGATION = {"title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede",
              "contract_value_excl_vat": "1000000", "starts_on": "2026-01-01", "ends_on": "2027-12-31",
              "region": "Twente"}  # fmt: skip


def _main_obligation() -> Obligation:
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12)))
    user(MAIN, "contractor")
    main = db.session.scalar(select(User).where(User.email == MAIN))
    return obligations.create_obligation(main, OBLIGATION)


def _invite(client, obligation: Obligation, email: str, company: str = "") -> str:  # type: ignore[no-untyped-def]
    """The main contractor invites through the page; the invitation link from the mail."""
    page = f"/opdrachtnemer/verplichtingen/{obligation.id}/keten"
    sent = post_form(client, page, {"email": email, "company": company})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    body = last_mail_to(client.application, email).get_content()
    link = re.search(r"https://impactmarkt\.test(/opdrachtnemer/keten/uitnodiging/\S+)", body)
    assert link, body
    return link.group(1)


def _accept(app, email: str, link: str):  # type: ignore[no-untyped-def]
    """A contractor signs in with the invited address and accepts; their client and page."""
    client = app.test_client()
    login(client, email)
    accepted = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert accepted.status_code == 302, accepted.get_data(as_text=True)
    return client, accepted.headers["Location"]


def test_a_subcontractor_is_invited_accepts_and_their_contributions_count_for_the_main_contractor(app, client) -> None:
    obligation = _main_obligation()
    user(SUB, "contractor")
    user("coordinator@twente.example", "coordinator", regions=("Twente",))
    login(client, MAIN)
    link = _invite(client, obligation, SUB, "Installatiebedrijf Onder")
    assert "Renovatie stadhuis" in last_mail_to(app, SUB)["Subject"]

    # Anyone with the link reads what it is for and how to accept; accepting needs a contractor.
    anonymous = app.test_client().get(link).get_data(as_text=True)
    assert "Renovatie stadhuis" in anonymous and "/registreren?next=" in anonymous and SUB in anonymous

    sub, page = _accept(app, SUB, link)
    # The main contractor's own forms: a work-experience place too, with the same hints.
    forms = sub.get(page).get_data(as_text=True)
    assert "Werkervaringsplek of leerwerkplek" in forms and f"{page}/bijdragen/placement" in forms
    assert "Bijvoorbeeld een personeelsnummer." in forms
    added = post_form(sub, f"{page}/bijdragen/purchase", {
        "supplier": "11111111", "invoice_number": "S-1", "invoice_date": "2026-05-02", "amount_excl_vat": "4000",
        "document_invoice": (io.BytesIO(pdf("Factuur S-1")), "factuur.pdf")}, page=page, content_type="multipart/form-data")  # fmt: skip
    assert added.status_code == 302, added.get_data(as_text=True)
    report = {"hours": "10", "document_report_or_photo": (io.BytesIO(pdf("Verslag")), "verslag.pdf")}
    assert post_form(sub, f"{page}/bijdragen/activity", report, page=page,
                     content_type="multipart/form-data").status_code == 302  # fmt: skip

    stored = db.session.scalars(select(Contribution).order_by(Contribution.id)).all()
    subcontractor = db.session.scalar(select(User).where(User.email == SUB))
    assert [(c.obligation_id, c.entered_by_id, c.status) for c in stored] == [
        (obligation.id, subcontractor.id, "pending"), (obligation.id, subcontractor.id, "pending")]  # fmt: skip
    # They count towards the obligation: the main contractor's figures include them.
    assert obligations.progress(obligation).pending == 4000  # the purchase (activities count 0 here)
    main_page = client.get(f"/opdrachtnemer/verplichtingen/{obligation.id}").get_data(as_text=True)
    assert "ingevoerd door onderaannemer" in main_page and SUB in main_page and "S-1" in main_page
    # The main contractor opens the subcontractor's evidence too.
    invoice = stored[0].documents[0]
    assert client.get(f"/opdrachtnemer/bijdragen/{stored[0].id}/documenten/{invoice.id}").status_code == 200

    coordinator = app.test_client()
    login(coordinator, "coordinator@twente.example")
    queue = coordinator.get("/coordinator/wachtrij").get_data(as_text=True)
    assert queue.count(f"ingevoerd door onderaannemer {SUB}") == 2
    english = coordinator.get("/coordinator/wachtrij?lang=en").get_data(as_text=True)
    assert f"entered by subcontractor {SUB}" in english

    # The subcontractor's own page: their contributions, not the obligation's figures.
    own = sub.get(page).get_data(as_text=True)
    assert "S-1" in own and "€\xa050.000,00" not in own and "Nog te gaan" not in own
    assert sub.get(f"/opdrachtnemer/keten/bijdragen/{stored[0].id}/documenten/{invoice.id}").status_code == 200
    entries = db.session.scalars(select(AuditLogEntry.action).where(AuditLogEntry.action.like("chain.%"))).all()
    assert sorted(entries) == ["chain.accept", "chain.invite"]


def test_a_subcontractor_sees_only_their_own_contributions_and_evidence(app, client) -> None:
    obligation = _main_obligation()
    user(SUB, "contractor")
    user(OTHER_SUB, "contractor")
    login(client, MAIN)
    first, second = _invite(client, obligation, SUB), _invite(client, obligation, OTHER_SUB)
    # The main contractor's own contribution, with evidence.
    main_page = f"/opdrachtnemer/verplichtingen/{obligation.id}"
    post_form(client, f"{main_page}/bijdragen/purchase", {
        "supplier": "11111111", "invoice_number": "H-1", "invoice_date": "2026-05-02", "amount_excl_vat": "9000",
        "document_invoice": (io.BytesIO(pdf("Factuur H-1")), "f.pdf")}, page=main_page, content_type="multipart/form-data")  # fmt: skip
    sub, sub_page = _accept(app, SUB, first)
    other, other_page = _accept(app, OTHER_SUB, second)
    post_form(other, f"{other_page}/bijdragen/purchase", {
        "supplier": "11111111", "invoice_number": "T-1", "invoice_date": "2026-06-02", "amount_excl_vat": "500",
        "document_invoice": (io.BytesIO(pdf("Factuur T-1")), "t.pdf")}, page=other_page, content_type="multipart/form-data")  # fmt: skip
    mine = db.session.scalar(select(Contribution).where(Contribution.invoice_number == "H-1"))
    theirs = db.session.scalar(select(Contribution).where(Contribution.invoice_number == "T-1"))
    other_invitation = db.session.scalar(select(ChainInvitation).where(ChainInvitation.email == OTHER_SUB))

    for path in (f"/opdrachtnemer/keten/bijdragen/{theirs.id}", f"/opdrachtnemer/keten/bijdragen/{theirs.id}/bewijsstuk",
                 f"/opdrachtnemer/keten/bijdragen/{mine.id}", f"/opdrachtnemer/keten/bijdragen/{mine.id}/bewijsstuk",
                 f"/opdrachtnemer/bijdragen/{theirs.id}", f"/opdrachtnemer/bijdragen/{theirs.id}/bewijsstuk",
                 f"/opdrachtnemer/bijdragen/{mine.id}/bewijsstuk", f"/opdrachtnemer/keten/{other_invitation.id}",
                 main_page, f"{main_page}/keten", f"/api/v1/obligations/{obligation.id}",
                 f"/opdrachtnemer/keten/{other_invitation.id}/bulk"):  # fmt: skip
        assert sub.get(path).status_code == 404, path
    shown = sub.get(sub_page).get_data(as_text=True)
    assert "T-1" not in shown and "H-1" not in shown and "Nog geen bijdragen" in shown
    # Nor can a subcontractor end an invitation or invite others on the main contractor's obligation.
    token = csrf_token(sub, sub_page)
    ended = sub.post(f"{main_page}/keten/{other_invitation.id}/beeindigen", data={"csrf_token": token})
    invited = sub.post(f"{main_page}/keten", data={"csrf_token": token, "email": "x@y.example"})
    assert (ended.status_code, invited.status_code) == (404, 404)
    assert db.session.get(ChainInvitation, other_invitation.id).status == "accepted"


def test_an_ended_invitation_takes_nothing_new_and_keeps_what_was_entered(app, client) -> None:
    obligation = _main_obligation()
    user(SUB, "contractor")
    login(client, MAIN)
    sub, page = _accept(app, SUB, _invite(client, obligation, SUB))
    purchase = {"supplier": "11111111", "invoice_number": "E-1", "invoice_date": "2026-05-02", "amount_excl_vat": "700",
                "document_invoice": (io.BytesIO(pdf("Factuur E-1")), "e.pdf")}  # fmt: skip
    assert post_form(sub, f"{page}/bijdragen/purchase", purchase, page=page,
                     content_type="multipart/form-data").status_code == 302  # fmt: skip
    invitation = db.session.scalar(select(ChainInvitation))
    chain_page = f"/opdrachtnemer/verplichtingen/{obligation.id}/keten"
    ended = post_form(client, f"{chain_page}/{invitation.id}/beeindigen", {}, page=chain_page)
    assert ended.status_code == 302
    again = post_form(client, f"{chain_page}/{invitation.id}/beeindigen", {}, page=chain_page, follow_redirects=True)
    assert "al beëindigd" in again.get_data(as_text=True)

    token = csrf_token(sub, "/opdrachtnemer/keten")
    refused = sub.post(f"{page}/bijdragen/activity", data={"csrf_token": token, "hours": "5"})
    assert refused.status_code == 400 and "beëindigd" in refused.get_data(as_text=True)
    english = sub.post(f"{page}/bijdragen/activity?lang=en", data={"csrf_token": token, "hours": "5"})
    assert english.status_code == 400 and "ended your invitation" in english.get_data(as_text=True)
    old = db.session.scalars(select(Contribution)).all()
    assert [(c.invoice_number, c.status) for c in old] == [("E-1", "pending")]
    assert obligations.progress(obligation).pending == 700  # what was entered still counts
    shown = sub.get(page).get_data(as_text=True)
    assert "factuur E-1" in shown and 'name="hours"' not in shown


def test_invitations_are_refused_with_a_message_and_change_nothing(app, client) -> None:
    obligation = _main_obligation()
    user(SUB, "contractor")
    user("iemand@anders.example", "contractor")
    user("inkoper@gemeente.example", "procurer")
    login(client, MAIN)
    chain_page = f"/opdrachtnemer/verplichtingen/{obligation.id}/keten"
    for email, words in ((MAIN, "uzelf"), ("geen-adres", "e-mailadres")):
        response = post_form(client, chain_page, {"email": email})
        assert response.status_code == 400 and words in response.get_data(as_text=True), email
    link = _invite(client, obligation, SUB)
    twice = post_form(client, chain_page, {"email": SUB.upper()})
    assert twice.status_code == 400 and "al uitgenodigd" in twice.get_data(as_text=True)

    # Another address, another role, a tampered link: refused, the invitation stays open.
    stranger = app.test_client()
    login(stranger, "iemand@anders.example")
    wrong = stranger.post(link, data={"csrf_token": csrf_token(stranger, link)}, follow_redirects=True)
    assert f"Deze uitnodiging is voor {SUB}" in wrong.get_data(as_text=True)
    procurer = app.test_client()
    login(procurer, "inkoper@gemeente.example")
    assert procurer.post(link, data={"csrf_token": csrf_token(procurer, "/inloggen")}).status_code == 403
    assert app.test_client().get(link[:-3] + "xyz").status_code == 404
    assert db.session.scalar(select(ChainInvitation.status)) == "invited"

    # Accepted once; the same link cannot bind a second account, and another contractor's
    # obligation chain is a 404.
    sub, _page = _accept(app, SUB, link)
    assert sub.post(link, data={"csrf_token": csrf_token(sub, link)}).status_code == 302  # harmless again
    assert stranger.get(chain_page).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(ChainInvitation)) == 1


def test_a_subcontractor_is_told_the_value_is_unknown_while_the_obligation_waits_for_a_rule_set(app, client) -> None:
    """The same words as the main contractor gets: never "telt voor € 0,00 mee" on an obligation in a
    region without a rule set (Rijnmond), where nobody knows the value yet."""
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Rotterdam", kvk=["11111111"], valid_from=date(2021, 3, 12)))
    user(MAIN, "contractor")
    user(SUB, "contractor")
    main = db.session.scalar(select(User).where(User.email == MAIN))
    obligation = obligations.create_obligation(main, {**OBLIGATION, "contracting_authority": "Gemeente Rotterdam",
                                                      "region": "Rijnmond"})  # fmt: skip
    login(client, MAIN)
    sub, page = _accept(app, SUB, _invite(client, obligation, SUB))
    added = post_form(sub, f"{page}/bijdragen/purchase", {
        "supplier": "11111111", "invoice_number": "S-1", "invoice_date": "2026-05-02", "amount_excl_vat": "4000",
        "document_invoice": (io.BytesIO(pdf("Factuur S-1")), "factuur.pdf")}, page=page, content_type="multipart/form-data")  # fmt: skip
    assert added.status_code == 302, added.get_data(as_text=True)
    told = sub.get(added.headers["Location"]).get_data(as_text=True)
    assert "De waarde is nog onbekend: deze verplichting wacht op regelset." in told
    assert "€ 0,00" not in told and "€\xa00,00" not in told
