"""Issue 13: the coordinator's review queue, decisions, audit log, monitor, reminders, reports
and open data, through the real services and the Flask test client on the real database."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from babel.numbers import parse_decimal
from openpyxl import load_workbook
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.core.audit_model import AuditLogEntry, AuditLogIsAppendOnly
from marketplace.core.extensions import db
from marketplace.sroi.models import Contribution, Obligation, RuleSetVersion
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.reports import reminders
from marketplace.sroi.reports import services as sroi_reports
from marketplace.sroi.review.queue import QueueFilter, queue
from marketplace.sroi.rulesets import services as sroi_rulesets
from matching.sroi.monitoring import Thresholds, at_risk
from tests.factories import code, csrf_token, ingest, last_mail_to, login, outbox, post_form, pso, senl, user

TWENTE_COORDINATOR = "twente@regio.example"
UTRECHT_COORDINATOR = "utrecht@regio.example"
CONTRACTOR = "bouw@aannemer.example"


def contractor(email: str = CONTRACTOR, locale: str = "nl") -> User:
    user(email, "contractor")
    found = db.session.scalar(select(User).where(User.email == email))
    found.locale = locale
    db.session.commit()
    return found


def obligation(
    owner: User, region: str = "Twente", authority: str = "Gemeente Enschede", **values
) -> Obligation:
    return obligations.create_obligation(owner, {
        "title": values.pop("title", f"Opdracht {authority}"), "contracting_authority": authority,
        "contract_value_excl_vat": values.pop("value", "1000000"), "starts_on": values.pop("starts_on", "2026-01-01"),
        "ends_on": values.pop("ends_on", "2027-12-31"), "region": region, **values})  # fmt: skip


def purchase(
    target: Obligation, supplier: str, number: str, amount: str, day: str = "2026-05-02"
) -> Contribution:
    return obligations.add_contribution(target, {"kind": "purchase", "supplier": supplier, "invoice_number": number,
                                                 "invoice_date": day, "amount_excl_vat": amount}).contribution  # fmt: skip


def hire(target: Obligation, hours: str = "18", block: str = "participatiewet_over_2y") -> Contribution:
    return obligations.add_contribution(target, {"kind": "hire", "block": block, "hours_per_week": hours,
                                                 "start": "2026-01-01", "end": "2026-12-31"}).contribution  # fmt: skip


@pytest.fixture
def region_world(app) -> dict:
    ingest(
        code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12)),
        senl("glans", "Glans Utrecht", "Utrecht", kvk=["22222222"]),
        pso("1-groen", "Groen Hengelo", "Hengelo", kvk=("33333333",)),
    )
    user(TWENTE_COORDINATOR, "coordinator", regions=("Twente",))
    user(UTRECHT_COORDINATOR, "coordinator", regions=("Midden-Utrecht",))
    # V05 names no full-time week: Twente's coordinator has set it at 36 hours (issue 28), else a
    # per-year hire would count as "unknown".
    oost = {**sroi_rulesets.version_row("oost-nederland-bouwblokken-v05").data, "fulltime_hours_per_week": 36}
    sroi_rulesets.save_version(oost, None, "voltijd 36 uur, vastgesteld door de coördinator")
    db.session.commit()
    owner = contractor()
    twente = obligation(owner)
    utrecht = obligation(owner, "Midden-Utrecht", "Gemeente Utrecht")
    return {
        "twente": twente, "utrecht": utrecht, "owner": owner,
        "small": purchase(twente, "11111111", "F-1", "1.234,56"),
        "large": purchase(twente, "11111111", "F-2", "12.000,00"),
        "hire": hire(twente),
        "elsewhere": purchase(utrecht, "22222222", "U-1", "999,99"),
    }  # fmt: skip


def test_a_coordinator_never_sees_or_decides_another_regions_items(app, client, region_world) -> None:
    login(client, TWENTE_COORDINATOR)
    page = client.get("/coordinator/wachtrij").get_data(as_text=True)
    assert (
        "Schoonmaakbedrijf De Uil" in page and "Glans Utrecht" not in page and "Gemeente Utrecht" not in page
    )
    token = csrf_token(client, "/coordinator/wachtrij")
    elsewhere = region_world["elsewhere"].id
    for path, data in ((f"/coordinator/wachtrij/bijdragen/{elsewhere}", {"decision": "approve"}),
                       (f"/coordinator/wachtrij/bijdragen/{elsewhere}", {"decision": "reject", "reason": "nee"}),
                       (f"/coordinator/bijdragen/{elsewhere}/herwaarderen", {"why": "x"})):  # fmt: skip
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404
    bulk = client.post(
        "/coordinator/wachtrij/bijdragen", data={"csrf_token": token, "selected": [str(elsewhere)]}
    )
    assert bulk.status_code == 302
    assert db.session.get(Contribution, elsewhere).status == "pending"
    utrecht_region = region_world["utrecht"].region_id
    assert client.get(f"/coordinator/rapportages?regio={utrecht_region}").status_code == 400
    assert client.get(f"/coordinator/rapportages.csv?regio={utrecht_region}").status_code == 302
    assert client.get(f"/coordinator/monitor?regio={utrecht_region}").status_code == 400
    assert "Gemeente Utrecht" not in client.get("/coordinator/monitor").get_data(as_text=True)
    assert "Gemeente Utrecht" not in client.get("/coordinator/rapportages").get_data(as_text=True)
    threshold = client.post(f"/coordinator/monitor/{utrecht_region}/drempels",
                            data={"csrf_token": token, "fulfilled_below": "90", "time_left_below": "90"})  # fmt: skip
    assert threshold.status_code == 404


def test_a_rejection_needs_a_reason_which_the_contractor_sees_and_gets_by_mail(
    app, client, region_world
) -> None:
    login(client, TWENTE_COORDINATOR)
    target = region_world["large"]
    path = f"/coordinator/wachtrij/bijdragen/{target.id}"
    without = post_form(client, path, {"decision": "reject", "reason": "  "}, page="/coordinator/wachtrij")
    assert without.status_code == 302
    assert "Geef een reden" in client.get("/coordinator/wachtrij").get_data(as_text=True)
    assert db.session.get(Contribution, target.id).status == "pending"
    rejected = post_form(client, path, {"decision": "reject", "reason": "Factuur is van vóór de opdracht"},
                         page="/coordinator/wachtrij")  # fmt: skip
    assert rejected.status_code == 302
    db.session.expire_all()
    assert db.session.get(Contribution, target.id).status == "rejected"
    mail = last_mail_to(app, CONTRACTOR)
    assert "Factuur is van vóór de opdracht" in mail.get_content() and "afgewezen" in mail["Subject"]
    assert (
        f"https://impactmarkt.test/opdrachtnemer/verplichtingen/{target.obligation_id}" in mail.get_content()
    )
    again = post_form(client, path, {"decision": "approve"}, page="/coordinator/wachtrij")
    assert again.status_code == 302
    assert db.session.get(Contribution, target.id).status == "rejected"
    contractor_client = app.test_client()
    login(contractor_client, CONTRACTOR)
    page = contractor_client.get(f"/opdrachtnemer/verplichtingen/{target.obligation_id}").get_data(
        as_text=True
    )
    assert "afgewezen door de SROI-coördinator: Factuur is van vóór de opdracht" in page
    entry = db.session.scalar(
        select(AuditLogEntry).where(AuditLogEntry.action == "review.contribution_rejected")
    )
    assert entry.details["before"]["status"] == "pending" and entry.details["after"]["status"] == "rejected"
    assert entry.details["reason"] == "Factuur is van vóór de opdracht"


def test_a_contractor_reading_english_gets_the_rejection_in_english(app, client, region_world) -> None:
    owner = region_world["owner"]
    owner.locale = "en"
    db.session.commit()
    login(client, TWENTE_COORDINATOR)
    post_form(client, f"/coordinator/wachtrij/bijdragen/{region_world['small'].id}",
              {"decision": "reject", "reason": "no invoice"}, page="/coordinator/wachtrij")  # fmt: skip
    mail = last_mail_to(app, CONTRACTOR)
    assert mail["Subject"].startswith(
        "Contribution rejected"
    ) and "rejected by the SROI coordinator: no invoice" in (mail.get_content())


def test_a_coordinator_corrects_a_valuation_with_a_reason(app, client, region_world) -> None:
    login(client, TWENTE_COORDINATOR)
    target = region_world["large"]
    path = f"/coordinator/wachtrij/bijdragen/{target.id}"
    too_high = post_form(client, path, {"decision": "correct", "amount": "100.000.000,01", "reason": "deel"},
                         page="/coordinator/wachtrij")  # fmt: skip
    assert too_high.status_code == 302
    assert "kan niet hoger zijn dan" in client.get("/coordinator/wachtrij").get_data(as_text=True)
    assert db.session.get(Contribution, target.id).status == "pending"
    # Issue 23: upward too (a valuation can be read wrongly either way), with a reason that states it.
    small = region_world["small"]
    post_form(client, f"/coordinator/wachtrij/bijdragen/{small.id}",
              {"decision": "correct", "amount": "1.500,00", "reason": "factuur verkeerd gelezen"},
              page="/coordinator/wachtrij")  # fmt: skip
    db.session.expire_all()
    upward = db.session.get(Contribution, small.id)
    assert (upward.status, upward.counted_cents) == ("approved", 150000)
    assert upward.review_reasons[-1]["params"]["now"] == "1500.00"
    post_form(client, path, {"decision": "correct", "amount": "6.000,50", "reason": "de helft is schoonmaak"},
              page="/coordinator/wachtrij")  # fmt: skip
    db.session.expire_all()
    corrected = db.session.get(Contribution, target.id)
    assert (corrected.status, corrected.counted_cents) == ("approved", 600050)
    assert corrected.review_reasons[0]["code"] == "review.corrected"
    hired = region_world["hire"]
    # Read the old value now: after the decision `hired` is the same (identity-mapped) object as
    # the corrected one, and comparing it with itself could never fail (issue 22).
    before_cents, before_block = hired.counted_cents, hired.block
    assert (before_block, before_cents) == ("participatiewet_over_2y", 2000000)  # 18 of 36 h a week, € 40,000 a year
    post_form(client, f"/coordinator/wachtrij/bijdragen/{hired.id}",
              {"decision": "correct", "block": "participatiewet_under_2y", "reason": "korter dan twee jaar"},
              page="/coordinator/wachtrij")  # fmt: skip
    db.session.expire_all()
    rehired = db.session.get(Contribution, hired.id)
    assert rehired.block == "participatiewet_under_2y" and rehired.status == "approved"
    # The same 18 hours a week for a year, valued at the block's € 30,000 a year instead of € 40,000.
    assert rehired.counted_cents == 1500000 == before_cents * 3 // 4
    actions = db.session.scalars(
        select(AuditLogEntry.action).where(AuditLogEntry.subject_type == "contribution")
    ).all()
    assert actions.count("review.contribution_corrected") == 3


def test_routine_items_are_approved_in_bulk_each_logged_on_its_own(app, client, region_world) -> None:
    login(client, TWENTE_COORDINATOR)
    routine = client.get("/coordinator/wachtrij?soort=contribution&register=code&onder=5000").get_data(
        as_text=True
    )
    assert "F-1" in routine and "F-2" not in routine and "participatiewet" not in routine
    ids = [str(region_world["small"].id), str(region_world["large"].id)]
    done = post_form(
        client, "/coordinator/wachtrij/bijdragen", {"selected": ids}, page="/coordinator/wachtrij"
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert {db.session.get(Contribution, int(i)).status for i in ids} == {"approved"}
    entries = db.session.scalars(
        select(AuditLogEntry).where(AuditLogEntry.action == "review.contribution_approved")
    ).all()
    assert sorted(entry.subject_id for entry in entries) == sorted(ids)
    assert all(entry.details["bulk"] is True for entry in entries)


def test_bad_queue_filters_get_a_clear_message(app, client, region_world) -> None:
    login(client, TWENTE_COORDINATOR)
    for query in ("soort=alles", "ouder_dan=-1", "onder=veel", "register=kvk", "ouder_dan=99999999999"):
        response = client.get(f"/coordinator/wachtrij?{query}")
        assert response.status_code == 400, query
        assert "Dit filter klopt niet" in response.get_data(as_text=True)


def test_the_queue_holds_every_kind_oldest_first_and_filters_by_age_contractor_and_authority(
    app, region_world
) -> None:
    coordinator = db.session.scalar(select(User).where(User.email == TWENTE_COORDINATOR))
    other = db.session.scalar(select(User).where(User.email == UTRECHT_COORDINATOR))
    base = sroi_rulesets.version_row("oost-nederland-bouwblokken-v05")
    sroi_rulesets.save_version({**base.data, "name": "Oost-Nederland (aangepast)"}, other, "test")
    db.session.commit()
    everything = queue(coordinator, QueueFilter())
    assert set(everything.counts) == {"contribution", "claim", "pair", "match", "ruleset"}
    assert everything.counts["contribution"] == 3 and everything.counts["ruleset"] == 1
    assert [item.since for item in everything.items] == sorted(item.since for item in everything.items)
    assert queue(other, QueueFilter()).counts["ruleset"] == 0  # not their own change
    assert queue(coordinator, QueueFilter(contractor="nobody")).total == 0
    assert queue(coordinator, QueueFilter(contractor="aannemer")).counts == {"contribution": 3}
    assert queue(coordinator, QueueFilter(authority="utrecht")).total == 0
    with clock.frozen(clock.today() + timedelta(days=20)):
        assert queue(coordinator, QueueFilter(older_than_days=14)).counts["contribution"] == 3
    assert queue(coordinator, QueueFilter(older_than_days=14)).counts["contribution"] == 0


def test_rejecting_a_colleagues_rule_set_version_restores_the_one_before(app, client, region_world) -> None:
    other = db.session.scalar(select(User).where(User.email == UTRECHT_COORDINATOR))
    base = sroi_rulesets.version_row("oost-nederland-bouwblokken-v05")
    changed = sroi_rulesets.save_version({**base.data, "name": "Oost-Nederland (fout)"}, other, "test")
    db.session.commit()
    login(client, TWENTE_COORDINATOR)
    assert "Oost-Nederland (fout)" in client.get("/coordinator/wachtrij?soort=ruleset").get_data(as_text=True)
    post_form(client, f"/coordinator/wachtrij/regelsets/{changed.id}", {"decision": "reject", "reason": "klopt niet"},
              page="/coordinator/wachtrij")  # fmt: skip
    db.session.expire_all()
    newest = sroi_rulesets.version_row("oost-nederland-bouwblokken-v05")
    assert newest.version == changed.version + 1 and newest.data == base.data
    assert db.session.get(RuleSetVersion, changed.id).review_status == "rejected"


def test_the_audit_log_is_searchable_exported_and_cannot_be_changed(app, client, region_world) -> None:
    login(client, TWENTE_COORDINATOR)
    post_form(client, f"/coordinator/wachtrij/bijdragen/{region_world['small'].id}", {"decision": "approve"},
              page="/coordinator/wachtrij")  # fmt: skip
    utrecht = app.test_client()
    login(utrecht, UTRECHT_COORDINATOR)
    post_form(utrecht, f"/coordinator/wachtrij/bijdragen/{region_world['elsewhere'].id}", {"decision": "approve"},
              page="/coordinator/wachtrij")  # fmt: skip
    page = client.get("/coordinator/logboek").get_data(as_text=True)
    assert "keurde de inkoop bij Schoonmaakbedrijf De Uil goed: factuur F-1, €\xa01.234,56" in page
    assert "status: wacht op beoordeling → goedgekeurd" in page
    assert "review.contribution_approved" not in page and UTRECHT_COORDINATOR not in page
    item = client.get(f"/coordinator/logboek?soort=contribution&item={region_world['small'].id}").get_data(
        as_text=True
    )
    assert item.count("keurde de inkoop bij") == 1
    assert "Niets gevonden" in client.get("/coordinator/logboek?persoon=utrecht@").get_data(as_text=True)
    today = clock.today().isoformat()
    assert "Niets gevonden" in client.get("/coordinator/logboek?van=2020-01-01&tot=2020-12-31").get_data(
        as_text=True
    )
    exported = client.get(f"/coordinator/logboek.csv?van={today}&tot={today}")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    body = [row for row in rows if row and not row[0].startswith("#")]
    assert body[0][:6] == ["Nummer", "Wanneer (Nederlandse tijd)", "Wie", "Wat", "Status ervoor", "Status erna"]
    assert [row[4:6] for row in body[1:]] == [["wacht op beoordeling", "goedgekeurd"]]
    assert "keurde de inkoop bij Schoonmaakbedrijf De Uil goed" in body[1][3]
    assert client.get("/coordinator/logboek?van=gisteren").status_code == 400
    entry = db.session.scalar(
        select(AuditLogEntry).where(AuditLogEntry.action == "review.contribution_approved")
    )
    entry.action = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditLogEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    for rule in app.url_map.iter_rules():
        assert not ("logboek" in rule.rule and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}), rule.rule


# The at-risk rule at its edges ------------------------------------------------------------------

START, END = date(2026, 1, 1), date(2026, 12, 31)  # 364 days
RULE = Thresholds(Decimal("0.50"), Decimal("0.25"))


@pytest.mark.parametrize(
    ("approved", "today", "risky"),
    [
        ("4999.99", date(2026, 12, 1), True),  # under half, 30 of 364 days left
        ("5000.00", date(2026, 12, 1), False),  # exactly half is not under half
        ("0", END - timedelta(days=91), False),  # exactly a quarter left (91/364) is not under a quarter
        ("0", END - timedelta(days=90), True),
        ("0", END, True),  # the last day still counts
        ("0", END + timedelta(days=1), False),  # ended: met or not, no longer "at risk"
        ("0", START, False),
    ],
)
def test_at_risk_at_its_edges(approved: str, today: date, risky: bool) -> None:
    found = at_risk(Decimal("10000.00"), Decimal(approved), START, END, today, RULE)
    assert (found is not None) == risky
    if found is not None:
        assert found.code == "monitor.at_risk" and found.params["ends"] == "2026-12-31"


def test_the_monitor_shows_obligations_at_risk_with_the_regions_own_thresholds(
    app, client, region_world
) -> None:
    owner = region_world["owner"]
    ending = obligation(owner, authority="Gemeente Hengelo", title="Bijna klaar", starts_on="2025-01-01",
                        ends_on="2026-11-30")  # fmt: skip
    login(client, TWENTE_COORDINATOR)
    page = client.get("/coordinator/monitor").get_data(as_text=True)
    at_risk_part = page.split('id="achter"')[1].split('id="eindigt"')[0]
    assert "Bijna klaar" in at_risk_part and CONTRACTOR in at_risk_part
    assert "Opdracht Gemeente Enschede" not in at_risk_part
    ending_part = page.split('id="eindigt"')[1].split('id="wacht"')[0]
    assert "Bijna klaar" in ending_part
    region = ending.region_id
    refused = post_form(client, f"/coordinator/monitor/{region}/drempels",
                        {"fulfilled_below": "abc", "time_left_below": "25"}, page="/coordinator/monitor")  # fmt: skip
    assert refused.status_code == 302
    assert "heel getal van 1 tot en met 100" in client.get(refused.headers["Location"]).get_data(as_text=True)
    post_form(client, f"/coordinator/monitor/{region}/drempels", {"fulfilled_below": "50", "time_left_below": "1"},
              page="/coordinator/monitor")  # fmt: skip
    page = client.get("/coordinator/monitor").get_data(as_text=True)
    assert "Geen verplichting loopt achter" in page


def test_reminders_go_once_a_fortnight_and_digests_once_a_week(app, region_world) -> None:
    obligation(region_world["owner"], title="Bijna klaar", starts_on="2025-01-01", ends_on="2026-11-30")
    sent = reminders.send_due()
    assert (sent.reminders, sent.digests) == (1, 2)  # both coordinators have something waiting
    assert reminders.send_due() == reminders.Sent(0, 0)
    reminder = last_mail_to(app, CONTRACTOR)
    assert "Bijna klaar" in reminder["Subject"] and "loopt achter" in reminder.get_content()
    digest = last_mail_to(app, TWENTE_COORDINATOR)
    assert "wachten op uw beoordeling" in digest.get_content()
    assert "1 item wacht op uw beoordeling" in last_mail_to(app, UTRECHT_COORDINATOR).get_content()
    assert len([m for m in outbox(app) if m["To"] == TWENTE_COORDINATOR]) == 1
    with clock.frozen(clock.today() + timedelta(days=7)):
        assert reminders.send_due().reminders == 0
    with clock.frozen(clock.today() + timedelta(days=14)):
        assert reminders.send_due().reminders == 1


# Reports ----------------------------------------------------------------------------------------


def approve_all() -> None:
    for contribution in db.session.scalars(select(Contribution)):
        contribution.status = "approved"
    db.session.commit()


def test_report_totals_reconcile_to_the_cent_with_the_contributions(app, region_world) -> None:
    twente = region_world["twente"]
    ingest(code("kers", "Kers Hengelo", "Hengelo", kvk=["44444444"], valid_from=date(2021, 3, 12)))
    for number, amount in enumerate(("0,01", "333,33", "1.000,07", "77,77")):
        purchase(twente, "44444444", f"P-{number}", amount, day=f"2026-0{number + 2}-15")
    approve_all()
    region_world["large"].status = "pending"
    db.session.commit()
    wanted = sroi_reports.ReportFilter(frozenset({twente.region_id}))
    approved = db.session.scalar(
        select(func.sum(Contribution.counted_cents))
        .join(Obligation)
        .where(Contribution.status == "approved", Obligation.region_id == twente.region_id)
    )
    for view in ("authority", "region", "period", "kind"):
        report = sroi_reports.build(view, wanted)
        assert report.totals["approved"] == approved, view
        assert sum(row["approved"] for row in report.rows) == approved, view
    purchases = db.session.scalar(
        select(func.sum(Contribution.counted_cents)).join(Obligation)
        .where(Contribution.status == "approved", Contribution.kind == "purchase", Obligation.region_id == twente.region_id)
    )  # fmt: skip
    assert sroi_reports.build("label", wanted).totals["approved"] == purchases
    hires = sroi_reports.build("hires", wanted)
    assert hires.totals["approved"] == region_world["hire"].counted_cents
    spend = sroi_reports.build("spend", wanted)
    invoiced = dict((str(label), value) for label, value, _kind in spend.facts)
    assert invoiced["Uitgegeven bij sociale ondernemingen"] == 123456 + 1 + 33333 + 100007 + 7777
    assert invoiced["Ondernemingen die iets ontvingen"] == 2
    assert sroi_reports.build("authority", wanted).totals["pending"] == region_world["large"].counted_cents
    in_march = sroi_reports.ReportFilter(frozenset({twente.region_id}), date(2026, 3, 1), date(2026, 3, 31))
    march = db.session.scalar(select(Contribution).where(Contribution.invoice_number == "P-1"))
    assert march.counted_cents > 0
    assert sroi_reports.build("period", in_march).totals["approved"] == march.counted_cents


def screen_table(page: str) -> list[list[str]]:
    table = page.split('<table id="rapport">')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in rows]  # fmt: skip


def euros_on_screen(text: str) -> Decimal:
    return Decimal(text.replace("€", "").replace("\xa0", "").replace(".", "").replace(",", ".").strip())


@pytest.mark.parametrize("view", ["authority", "kind", "label", "period", "hires"])
def test_exports_match_the_screen(app, client, region_world, view: str) -> None:
    approve_all()
    login(client, TWENTE_COORDINATOR)
    page = client.get(f"/coordinator/rapportages?weergave={view}")
    assert page.status_code == 200
    shown = screen_table(page.get_data(as_text=True))
    exported = (
        client.get(f"/coordinator/rapportages.csv?weergave={view}").get_data(as_text=True).lstrip("\ufeff")
    )
    lines = list(csv.reader(io.StringIO(exported), delimiter=";"))
    assert any(line[:2] == ["# Rapportage", str(sroi_reports.TITLES[view])] for line in lines)
    body = [line for line in lines if line and not line[0].startswith("#")][1:]
    assert len(body) == len(shown)
    for screen_row, file_row in zip(shown, body, strict=True):
        assert screen_row[0] == file_row[0]
        for screen_cell, file_cell in zip(screen_row[1:], file_row[1:], strict=True):
            if screen_cell.startswith("€"):
                assert euros_on_screen(screen_cell) == parse_decimal(file_cell, locale="nl_NL")
            elif screen_cell.endswith("%"):
                assert Decimal(screen_cell[:-1].replace(",", ".")) == parse_decimal(file_cell, locale="nl_NL")
            else:
                assert screen_cell.replace(".", "").replace(",", ".") == file_cell.replace(",", ".")
    workbook = load_workbook(io.BytesIO(client.get(f"/coordinator/rapportages.xlsx?weergave={view}").data))
    sheet_rows = list(workbook.worksheets[0].iter_rows(values_only=True))[1:]
    assert len(sheet_rows) == len(shown) and sheet_rows[0][0] == shown[0][0]
    assert "Filters" in workbook.sheetnames


def test_reports_in_english_and_with_a_chart_that_has_a_title_and_a_table(app, client, region_world) -> None:
    approve_all()
    login(client, TWENTE_COORDINATOR)
    english = client.get("/coordinator/rapportages?weergave=authority&lang=en").get_data(as_text=True)
    assert "Per contracting authority" in english and "€1" in english
    assert re.search(r'<svg class="chart" [^>]*role="img" aria-labelledby="grafiek-authority-t grafiek-authority-d"',
                     english)  # fmt: skip
    exported = client.get("/coordinator/rapportages.csv?weergave=kind&lang=en").get_data(as_text=True)
    assert "Approved (number)" in exported and "purchase" in exported
    for bad in ("van=2026-13-01", "van=2026-05-01&tot=2026-04-01", "weergave=alles", "regio=abc"):
        assert client.get(f"/coordinator/rapportages?{bad}").status_code == 400, bad


def test_open_data_has_totals_but_no_personal_data_and_no_single_contractors_hires(
    app, client, region_world
) -> None:
    approve_all()
    page = client.get("/open-data")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert CONTRACTOR not in text and "aannemer" not in text
    api = client.get("/api/v1/open-data?year=2026").get_json()
    twente = next(cell for cell in api["cells"] if cell["region"] == "Twente")
    # One contractor: no figure at all (the total minus the purchases would be its hire value).
    assert twente["withheld"] and twente["hires"] is None and twente["hires_approved"] is None
    assert twente["approved"] is None and twente["purchases_with_social_enterprises"] is None
    for number in range(3):
        other = contractor(f"ander{number}@bouw.example")
        work = obligation(other, title=f"Werk {number}")
        hire(work)
        purchase(work, "11111111", f"A-{number}", "100")
    approve_all()
    api = client.get("/api/v1/open-data?year=2026").get_json()
    twente = next(cell for cell in api["cells"] if cell["region"] == "Twente")
    assert twente["hires"] == 4 and not twente["withheld"]
    assert Decimal(twente["purchases_with_social_enterprises"]) == Decimal("13534.56")
    assert client.get("/api/v1/open-data?year=twintig").status_code == 400
    assert client.get("/open-data?jaar=1").status_code == 400
    exported = client.get("/open-data.csv").get_data(as_text=True)
    assert "Twente" in exported and CONTRACTOR not in exported


def test_reminder_command_prints_what_it_sent(app, region_world) -> None:
    obligation(region_world["owner"], title="Bijna klaar", starts_on="2025-01-01", ends_on="2026-11-30")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["sroi", "reminders"])
    assert first.exit_code == 0 and '"reminders": 1' in first.output
    second = runner.invoke(args=["sroi", "reminders"])
    assert '"reminders": 0' in second.output and '"digests": 0' in second.output


def test_deciding_a_match_outcome(app, client, region_world) -> None:
    from marketplace.sroi.models import SupplierMatch

    match = SupplierMatch(obligation_id=region_world["twente"].id, organisation_id=region_world["large"].organisation_id,
                          score=1.0, status="accepted", outcome_at=datetime(2026, 10, 1))  # fmt: skip
    db.session.add(match)
    db.session.commit()
    login(client, TWENTE_COORDINATOR)
    assert "Schoonmaakbedrijf De Uil" in client.get("/coordinator/wachtrij?soort=match").get_data(
        as_text=True
    )
    post_form(client, f"/coordinator/wachtrij/matches/{match.id}", {"decision": "reject", "reason": ""},
              page="/coordinator/wachtrij")  # fmt: skip
    db.session.expire_all()
    assert db.session.get(SupplierMatch, match.id).review_status is None
    post_form(
        client,
        f"/coordinator/wachtrij/matches/{match.id}",
        {"decision": "approve"},
        page="/coordinator/wachtrij",
    )
    db.session.expire_all()
    assert db.session.get(SupplierMatch, match.id).review_status == "approved"
    other = app.test_client()
    login(other, UTRECHT_COORDINATOR)
    token = csrf_token(other, "/coordinator/wachtrij")
    assert other.post(f"/coordinator/wachtrij/matches/{match.id}", data={"csrf_token": token, "decision": "approve"}
                      ).status_code == 404  # fmt: skip


def test_csv_files_read_right_in_dutch_excel_and_a_hire_spreads_over_its_months(app, client, region_world) -> None:
    approve_all()
    login(client, TWENTE_COORDINATOR)
    response = client.get("/coordinator/rapportages.csv?weergave=period")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # the charset once
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    body = [line for line in lines if line and not line[0].startswith("#")][1:]
    months = {line[0]: parse_decimal(line[2], locale="nl_NL") for line in body}  # as Dutch Excel reads them
    hire = region_world["hire"].counted_cents
    purchases = region_world["small"].counted_cents + region_world["large"].counted_cents
    assert [month for month in months if month.startswith("2026-")] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert months["Totaal"] * 100 == hire + purchases
    # 365 days, January has 31 of them: not the whole year's value in January.
    assert abs(months["2026-01"] * 100 - Decimal(hire) * 31 / 365) < 1  # the purchases are in May
    assert sum(v for k, v in months.items() if k != "Totaal") == months["Totaal"]
    assert all("." not in line[2] for line in body)  # a decimal comma, no point Excel reads as thousands
    audit = client.get("/coordinator/logboek.csv")
    assert audit.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get("/open-data.csv").headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_per_label_chart_shows_whole_labels(app, client, region_world) -> None:
    approve_all()
    login(client, TWENTE_COORDINATOR)
    page = client.get("/coordinator/rapportages?weergave=label").get_data(as_text=True)
    chart = page[page.index('<svg class="chart"') : page.index("</svg>")]
    assert "Code Sociale Ondernemingen · Toegelaten" in chart and "…" not in chart
