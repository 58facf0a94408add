"""Issue 23, what was left: the evidence each kind of contribution needs is rule-set data; the forms
ask for exactly those documents (two for a hire), each supplement for its own proof where the rule
set says so; the service refuses a submission without one; the queue names each document; the part
of a started hire that lies ahead is planned, not realised; hire documents are purged nightly; and
on a 390-pixel screen each contribution is a card."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.operations import jobs
from marketplace.operations.jobs.runner import scheduled_jobs
from marketplace.sroi.models import Contribution, ContributionDocument
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.review import decisions
from marketplace.sroi.settlement import services as settlement
from matching.sroi import Hire, parse, published
from matching.sroi.evidence import block_kind, required
from matching.sroi.rulesets import name_of
from matching.sroi.timing import split_hire
from tests.browser import axe_violations, chromium, live_server, require_chromium
from tests.conftest import make_test_app
from tests.factories import code, csrf_token, ingest, login, pdf, post_form, user
from tests.test_browser_review import LAPTOP, PHONE, sign_in
from tests.test_coordinator_review import contractor, obligation

COORDINATOR = "twente@regio.example"
STATEMENT = "doelgroepverklaring (van UWV of de gemeente, of een uitkeringsbewijs)"
CONTRACT = "arbeidscontract of plaatsingsovereenkomst"


def _file(text: str, name: str = "bewijs.pdf") -> tuple[io.BytesIO, str]:
    return io.BytesIO(pdf(text)), name


def _evidence_files(app) -> list[Path]:  # type: ignore[no-untyped-def]
    folder = Path(app.instance_path) / "evidence"
    return sorted(folder.iterdir()) if folder.exists() else []


# --- the data ---------------------------------------------------------------------------------


def test_every_shipped_rule_set_states_its_evidence_and_every_document_has_two_names() -> None:
    for ruleset_id, entries in published().items():
        for version, entry in enumerate(entries, start=1):
            assert "evidence" in entry, ruleset_id
            rules = parse(entry, version)
            assert set(rules.evidence.blocks) <= set(rules.hires), ruleset_id  # no block it does not have
            assert set(rules.evidence.supplements) <= set(rules.supplements), ruleset_id
            keys = {key for docs in rules.evidence.kinds.values() for key in docs}
            keys |= {key for docs in rules.evidence.supplements.values() for key in docs}
            for key in keys:
                assert name_of("document", key, "nl") != key.replace("_", " "), key
                assert name_of("document", key, "en") != name_of("document", key, "nl"), key


def test_each_kind_asks_for_its_own_documents_and_a_hire_for_two() -> None:
    oost = parse(published()["oost-nederland-bouwblokken-v05"][0])
    evidence = oost.evidence
    assert required(evidence, "purchase") == ("invoice",)
    assert required(evidence, "activity") == ("report_or_photo",)
    hired = block_kind(evidence, "participatiewet_over_2y", "year")
    assert required(evidence, "hire", hired) == ("target_group_statement", "employment_contract")
    place = block_kind(evidence, "werkervaringsplek_proefplaatsing", "month")
    assert place == "placement" and required(evidence, "hire", place) == ("placement_agreement",)
    assert block_kind(evidence, "bbl_level_1_2", "learn_work_year") == "placement"
    utrecht = parse(published()["utrecht-bouwblokkenmodel"][-1]).evidence
    asked = required(utrecht, "hire", "hire", ("permanent_contract", "age_50_plus"))
    assert asked == ("target_group_statement", "employment_contract", "permanent_contract_proof", "age_statement")
    rijnvicus = parse(published()["rijnvicus-bouwblokken"][0]).evidence
    assert required(rijnvicus, "hire", block_kind(rijnvicus, "social_activity", "each")) == ("report_or_photo",)


def test_a_version_stored_before_evidence_was_data_asks_the_same_by_default() -> None:
    entry = {key: value for key, value in published()["oost-nederland-bouwblokken-v05"][0].items() if key != "evidence"}
    evidence = parse(entry).evidence
    assert required(evidence, "purchase") == ("invoice",)
    assert required(evidence, "hire", block_kind(evidence, "werkervaringsplek_proefplaatsing", "month")) == (
        "placement_agreement",
    )
    assert required(evidence, "hire", block_kind(evidence, "ww_under_1y", "year")) == (
        "target_group_statement", "employment_contract",
    )  # fmt: skip


# --- the forms and the service --------------------------------------------------------------


@pytest.fixture
def twente(app, client):  # type: ignore[no-untyped-def]
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"]))
    user(COORDINATOR, "coordinator", regions=("Twente",))
    owner = contractor()
    target = obligation(owner)
    login(client, owner.email)
    return target, f"/opdrachtnemer/verplichtingen/{target.id}"


def test_the_forms_ask_for_exactly_the_documents_of_the_rule_set(app, client, twente) -> None:
    _target, page = twente
    shown = client.get(page).get_data(as_text=True)
    for field in ('name="document_invoice"', 'name="document_target_group_statement"',
                  'name="document_employment_contract"', 'name="placement-document_placement_agreement"',
                  'name="document_report_or_photo"'):  # fmt: skip
        assert shown.count(field) == 1, field
    assert shown.count('type="file"') == 5  # nothing else: the hire asks two, every other form one
    assert "Doelgroepverklaring (van UWV of de gemeente, of een uitkeringsbewijs) (PDF of afbeelding" in shown
    assert "Arbeidscontract of plaatsingsovereenkomst (PDF of afbeelding" in shown
    assert "Overeenkomst van de werkervaringsplek of leerwerkplek" in shown
    # The work-experience place and the learn-work place are on their own form, by their names.
    assert 'value="werkervaringsplek_proefplaatsing"' in shown.split('id="placement-block"')[1].split("</select>")[0]
    english = client.get(page + "?lang=en").get_data(as_text=True)
    assert "Target-group statement (from UWV or the municipality, or a benefit statement) (PDF or image" in english
    assert "Employment contract or placement agreement (PDF or image" in english
    assert "target_group_statement" not in english.replace('name="document_target_group_statement"', "")


def test_a_hire_without_its_contract_is_refused_and_leaves_nothing(app, client, twente) -> None:
    _target, page = twente
    before = _evidence_files(app)
    hire = {"block": "participatiewet_over_2y", "hours_per_week": "18", "start": "2026-01-01", "end": "2026-06-30"}
    refused = post_form(client, f"{page}/bijdragen/hire", {
        **hire, "document_target_group_statement": _file("Verklaring")},
        page=page, content_type="multipart/form-data")  # fmt: skip
    assert refused.status_code == 400
    assert f"Voeg ook toe: {CONTRACT}." in refused.get_data(as_text=True)
    english = post_form(client, f"{page}/bijdragen/hire?lang=en", {
        **hire, "document_employment_contract": _file("Contract")},
        page=page + "?lang=en", content_type="multipart/form-data")  # fmt: skip
    assert english.status_code == 400
    assert "Please also add: target-group statement (from UWV" in english.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0
    assert _evidence_files(app) == before
    sent = post_form(client, f"{page}/bijdragen/hire", {
        **hire, "document_target_group_statement": _file("Verklaring"),
        "document_employment_contract": _file("Contract")}, page=page, content_type="multipart/form-data")  # fmt: skip
    assert sent.status_code == 302
    stored = db.session.scalar(select(Contribution))
    assert [d.document for d in stored.documents] == ["target_group_statement", "employment_contract"]
    assert len(_evidence_files(app)) == len(before) + 2


def test_a_purchase_without_its_invoice_and_a_place_without_its_agreement_are_refused(app, client, twente) -> None:
    _target, page = twente
    bought = post_form(client, f"{page}/bijdragen/purchase", {
        "supplier": "11111111", "invoice_number": "F-1", "invoice_date": "2026-05-02", "amount_excl_vat": "100"},
        page=page, content_type="multipart/form-data")  # fmt: skip
    assert bought.status_code == 400 and "Voeg ook toe: factuur." in bought.get_data(as_text=True)
    placed = post_form(client, f"{page}/bijdragen/placement", {
        "placement-block": "werkervaringsplek_proefplaatsing", "placement-hours_per_week": "20",
        "placement-start": "2026-01-01", "placement-end": "2026-03-31",
        "placement-csrf_token": csrf_token(client, page)}, page=page, content_type="multipart/form-data")  # fmt: skip
    assert placed.status_code == 400
    assert "Voeg ook toe: overeenkomst van de werkervaringsplek of leerwerkplek." in placed.get_data(as_text=True)
    # A hire block is not accepted on the place's form (it asks for other documents).
    wrong = post_form(client, f"{page}/bijdragen/placement", {
        "placement-block": "participatiewet_over_2y", "placement-hours_per_week": "20",
        "placement-start": "2026-01-01", "placement-end": "2026-03-31",
        "placement-document_placement_agreement": _file("Overeenkomst"),
        "placement-csrf_token": csrf_token(client, page)}, page=page, content_type="multipart/form-data")  # fmt: skip
    assert wrong.status_code == 400
    done = post_form(client, f"{page}/bijdragen/activity", {
        "hours": "4", "document_report_or_photo": _file("Verslag")}, page=page, content_type="multipart/form-data")  # fmt: skip
    assert done.status_code == 302
    assert [d.document for d in db.session.scalar(select(Contribution)).documents] == ["report_or_photo"]


def test_a_supplement_asks_for_its_own_proof_where_the_rule_set_says_so(app, client) -> None:
    owner = contractor()
    target = obligation(owner, region="Midden-Utrecht", authority="Gemeente Utrecht")
    login(client, owner.email)
    page = f"/opdrachtnemer/verplichtingen/{target.id}"
    shown = client.get(page).get_data(as_text=True)
    assert 'name="supplements" type="checkbox" value="permanent_contract"' in shown
    assert 'name="document_permanent_contract_proof"' in shown and 'name="document_age_statement"' in shown
    assert "Alleen nodig als u de toeslag ‘vast dienstverband’ kiest." in shown
    hire = {"block": "participatiewet", "hours_per_week": "36", "start": "2026-01-01", "end": "2026-06-30",
            "document_target_group_statement": _file("Verklaring"), "document_employment_contract": _file("Contract")}
    without = post_form(client, f"{page}/bijdragen/hire", {**hire, "supplements": "permanent_contract"},
                        page=page, content_type="multipart/form-data")  # fmt: skip
    assert without.status_code == 400
    assert "Voeg ook toe: bewijs van het vaste dienstverband" in without.get_data(as_text=True)
    unasked = post_form(client, f"{page}/bijdragen/hire", {
        **hire, "document_target_group_statement": _file("Verklaring"), "document_employment_contract": _file("Contract"),
        "document_age_statement": _file("Leeftijd")}, page=page, content_type="multipart/form-data")  # fmt: skip
    assert unasked.status_code == 400
    assert "Voor deze bijdrage is geen bewijs van de leeftijd" in unasked.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0
    sent = post_form(client, f"{page}/bijdragen/hire", {
        **hire, "document_target_group_statement": _file("Verklaring"), "document_employment_contract": _file("Contract"),
        "supplements": "permanent_contract", "document_permanent_contract_proof": _file("Vast contract")},
        page=page, content_type="multipart/form-data")  # fmt: skip
    assert sent.status_code == 302, sent.get_data(as_text=True)
    stored = db.session.scalar(select(Contribution))
    assert stored.supplements == ["permanent_contract"]
    assert [d.document for d in stored.documents] == [
        "target_group_statement", "employment_contract", "permanent_contract_proof"]  # fmt: skip


def test_the_queue_shows_each_document_by_its_name_and_what_is_missing(app, client, twente) -> None:
    target, page = twente
    sent = post_form(client, f"{page}/bijdragen/hire", {
        "block": "participatiewet_over_2y", "hours_per_week": "18", "start": "2026-01-01", "end": "2026-06-30",
        "document_target_group_statement": _file("Verklaring"), "document_employment_contract": _file("Contract")},
        page=page, content_type="multipart/form-data")  # fmt: skip
    assert sent.status_code == 302
    # Recorded through the JSON API or the command line: no files, so the queue says what is missing.
    bare = obligations.add_contribution(target, {"kind": "purchase", "supplier": "11111111", "invoice_number": "F-7",
                                                 "invoice_date": "2026-05-02", "amount_excl_vat": "500"}).contribution  # fmt: skip
    client.delete_cookie("session")
    login(client, COORDINATOR)
    queue = client.get("/coordinator/wachtrij").get_data(as_text=True)
    hire = db.session.scalar(select(Contribution).where(Contribution.kind == "hire"))
    for document in hire.documents:
        assert f"/coordinator/bijdragen/{hire.id}/documenten/{document.id}" in queue
    assert ">Doelgroepverklaring (van UWV of de gemeente, of een uitkeringsbewijs)<" in queue
    assert ">Arbeidscontract of plaatsingsovereenkomst<" in queue
    assert "Factuur: <strong>ontbreekt</strong>" in queue
    english = client.get("/coordinator/wachtrij?lang=en").get_data(as_text=True)
    assert ">Employment contract or placement agreement<" in english and "Invoice: <strong>missing</strong>" in english
    for key in ("target_group_statement", "employment_contract", ">invoice<"):
        assert key not in queue.replace("document_", "") and key not in english
    detail = client.get(f"/coordinator/bijdragen/{bare.id}").get_data(as_text=True)
    assert "Factuur: <strong>ontbreekt</strong>" in detail
    statement = hire.documents[0]
    opened = client.get(f"/coordinator/bijdragen/{hire.id}/documenten/{statement.id}")
    assert opened.status_code == 200 and opened.headers["X-Content-Type-Options"] == "nosniff"
    # Named by the document in the reader's language, never by its key.
    assert f"bewijsstuk-{hire.id}-doelgroepverklaring-van-uwv-of-de.pdf" in opened.headers["Content-Disposition"]
    english = client.get(f"/coordinator/bijdragen/{hire.id}/documenten/{statement.id}?lang=en")
    assert f"bewijsstuk-{hire.id}-target-group-statement-from-uwv-or-the.pdf" in english.headers["Content-Disposition"]
    # Another contribution's document id under this contribution: as if it did not exist.
    assert client.get(f"/coordinator/bijdragen/{bare.id}/documenten/{statement.id}").status_code == 404


# --- realised and planned -------------------------------------------------------------------


def test_the_part_of_a_started_hire_after_today_is_planned_not_realised(app) -> None:
    user(COORDINATOR, "coordinator", regions=("Twente",))
    target = obligation(contractor(), starts_on="2026-01-01", ends_on="2027-12-31")
    # impactoost.nl V05: "Werkervaringsplek/proefplaatsing € 750 per maand". 1 July 2026 to 30 June 2027
    # is 12 months, € 9.000,00; today is 1 November 2026: 4 + 1/30 months have passed.
    place = obligations.add_contribution(target, {
        "kind": "hire", "block": "werkervaringsplek_proefplaatsing", "hours_per_week": "20",
        "start": "2026-07-01", "end": "2027-06-30"}).contribution  # fmt: skip
    assert place.counted_cents == 900000
    planned = place.reasons[-1]
    assert planned["code"] == "sroi.hire_planned_part"
    assert planned["params"] == {"start": "2026-11-02", "end": "2027-06-30", "amount": "5975.00"}
    pending = obligations.progress(target)
    assert (pending.pending, pending.planned) == (Decimal("3025.00"), Decimal("5975.00"))
    coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
    decisions.approve(coordinator, place.id)
    now = obligations.progress(target)
    assert (now.counted, now.pending, now.planned) == (Decimal("3025.00"), 0, Decimal("5975.00"))
    with clock.frozen(date(2027, 1, 31)):  # 7 months
        assert obligations.progress(target).counted == Decimal("5250.00")
    with clock.frozen(date(2027, 6, 30)):
        then = obligations.progress(target)
    assert (then.counted, then.planned) == (Decimal("9000.00"), 0)
    later = obligations.add_contribution(target, {
        "kind": "hire", "block": "werkervaringsplek_proefplaatsing", "hours_per_week": "20",
        "start": "2027-01-01", "end": "2027-03-31"}).contribution  # fmt: skip
    assert obligations.progress(target).planned == Decimal("5975.00") + Decimal(later.counted_cents) / 100


def test_a_counting_cap_falls_in_the_realised_part_first() -> None:
    entry = {"id": "proef", "fulltime_hours_per_week": 36,
             "hires": [{"block": "ww", "per_year": 12000, "counts_years": 1}]}  # fmt: skip
    rules = parse(entry)
    hire = Hire("ww", Decimal(36), date(2026, 1, 1), date(2027, 12, 31))  # two years, the first counts
    assert split_hire(hire, rules, date(2026, 6, 30)) == (Decimal("6000.00"), Decimal("6000.00"))
    assert split_hire(hire, rules, date(2027, 3, 31)) == (Decimal("12000.00"), Decimal("0.00"))
    assert split_hire(hire, rules, date(2025, 12, 31)) == (Decimal("0.00"), Decimal("12000.00"))


# --- the nightly purge ----------------------------------------------------------------------


def test_the_purge_of_hire_documents_runs_on_the_nightly_schedule(app, tmp_path) -> None:
    assert ("purge-documents", (4, 0), "purge_documents", {}) in scheduled_jobs(app.config)
    scheduled = make_test_app(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path, SCHEDULE=True)
    with scheduled.app_context():
        names = [task.name for task in jobs.queue().read_periodic(datetime(2026, 11, 2, 3, 0))]  # 04:00 CET
        assert names == ["impactmarkt.schedule.purge-documents"]


def test_the_purge_job_deletes_the_named_documents_and_the_page_says_so(app, client) -> None:
    user(COORDINATOR, "coordinator", regions=("Twente",))
    owner = contractor()
    target = obligation(owner, starts_on="2026-01-01", ends_on="2026-06-30")
    login(client, owner.email)
    page = f"/opdrachtnemer/verplichtingen/{target.id}"
    sent = post_form(client, f"{page}/bijdragen/hire", {
        "block": "participatiewet_over_2y", "hours_per_week": "18", "start": "2026-01-01", "end": "2026-06-30",
        "document_target_group_statement": _file("Verklaring"), "document_employment_contract": _file("Contract")},
        page=page, content_type="multipart/form-data")  # fmt: skip
    assert sent.status_code == 302
    names = list(db.session.scalars(select(ContributionDocument.filename)))
    folder = Path(app.instance_path) / "evidence"
    assert all((folder / name).exists() for name in names) and len(names) == 2
    coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
    settlement.settle(coordinator, target.id, {"consequence": "none", "consequence_text": "Niets afgesproken."})
    db.session.commit()  # settled on the tests' today, 1 November 2026
    with clock.frozen(date(2027, 11, 2)):  # twelve months after the settlement
        job = jobs.submit("purge_documents", scheduled=True)
    assert job.status == "done" and job.result == {"deleted": 2}
    assert not any((folder / name).exists() for name in names)
    db.session.expire_all()
    hire = db.session.scalar(select(Contribution))
    assert [d.filename for d in hire.documents] == [None, None]
    shown = client.get(f"/opdrachtnemer/bijdragen/{hire.id}").get_data(as_text=True)
    assert "Doelgroepverklaring (van UWV of de gemeente, of een uitkeringsbewijs): gewist, de bewaartermijn is voorbij" in shown


# --- the contractor's table on a phone -------------------------------------------------------


@pytest.mark.browser
def test_on_a_390_pixel_screen_each_contribution_is_a_card(app) -> None:
    require_chromium()
    ingest(code("uil", "Schoonmaakbedrijf De Uil met een lange naam voor een smal scherm", "Enschede", kvk=["11111111"]))
    user(COORDINATOR, "coordinator", regions=("Twente",))
    owner = contractor()
    target = obligation(owner)
    for number in ("F-2026-000000000001", "F-2026-000000000002"):
        obligations.add_contribution(target, {"kind": "purchase", "supplier": "11111111", "invoice_number": number,
                                              "invoice_date": "2026-05-02", "amount_excl_vat": "4250,50"})  # fmt: skip
    obligations.add_contribution(target, {"kind": "hire", "block": "werkervaringsplek_proefplaatsing",
                                          "hours_per_week": "20", "start": "2026-07-01", "end": "2027-06-30",
                                          "person_reference": "Medewerker-0000000012"})  # fmt: skip
    url_path = f"/opdrachtnemer/verplichtingen/{target.id}"
    with live_server(app) as base, chromium(viewport=PHONE) as browser:
        page = browser.new_page()
        sign_in(page, base, owner.email)
        for language in ("nl", "en"):
            page.set_viewport_size(PHONE)
            page.goto(f"{base}{url_path}?lang={language}")
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], language
            shapes = page.evaluate(
                "[...document.querySelectorAll('table.cards tbody tr')].map(r => getComputedStyle(r).display)"
            )
            assert shapes == ["block"] * 3, shapes
            labels = page.evaluate(
                "getComputedStyle(document.querySelector('table.cards td'), '::before').content"
            )
            assert labels == ('"Wat"' if language == "nl" else '"What"'), labels
            assert axe_violations(page) == [], language
            page.set_viewport_size(LAPTOP)
            page.goto(f"{base}{url_path}?lang={language}")
            shapes = page.evaluate(
                "[...document.querySelectorAll('table.cards tbody tr')].map(r => getComputedStyle(r).display)"
            )
            assert shapes == ["table-row"] * 3, shapes  # a table again where there is room
