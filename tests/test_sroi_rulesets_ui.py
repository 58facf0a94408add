"""Coordinators keep rule sets current: a saved edit is a new version with who, when and why, only
for rule sets their regions use; they choose their region's default; unconfirmed figures show."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.sroi.models import RegionRuleSet, RuleSetVersion
from tests.factories import csrf_token, login, user

OOST = "oost-nederland-bouwblokken-v05"
UTRECHT = "utrecht-bouwblokkenmodel"


def coordinator(app, region: str = "Twente"):  # type: ignore[no-untyped-def]
    user(f"coordinator@{region.lower()}.example", "coordinator", regions=(region,))
    client = app.test_client()
    login(client, f"coordinator@{region.lower()}.example")
    return client


def test_a_coordinator_saves_a_new_version_with_who_when_and_why(app) -> None:
    client = coordinator(app)
    page = client.get(f"/coordinator/regelsets/{OOST}").get_data(as_text=True)
    assert "onbevestigd" in page and "Participatiewet, langer dan 2 jaar uitkering: per voltijdjaar" in page
    assert "participatiewet_over_2y" not in page and "onbekend: uw coördinator stelt dit vast" in page
    assert "Participatiewet &gt; 2 jaar € 40.000 per jaar 2 jaar; naar rato, omvang én arbeidsduur" in page
    token = csrf_token(client, f"/coordinator/regelsets/{OOST}")
    refused = client.post(f"/coordinator/regelsets/{OOST}", data={"csrf_token": token, "f:hires:1:per_year": "45000", "why": ""})
    assert refused.status_code == 302 and db.session.scalar(select(db.func.max(RuleSetVersion.version)).where(RuleSetVersion.ruleset_id == OOST)) == 1
    saved = client.post(f"/coordinator/regelsets/{OOST}",
                        data={"csrf_token": token, "f:hires:1:per_year": "45000", "why": "tabel 2027"})  # fmt: skip
    # Regio Zwolle, Stedendriehoek and Midden-Gelderland use V05 too: Twente gets its own copy (issue 28).
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/coordinator/regelsets/{OOST}-twente")
    db.session.remove()
    newest = db.session.scalar(select(RuleSetVersion).where(RuleSetVersion.ruleset_id == f"{OOST}-twente").order_by(RuleSetVersion.version.desc()))
    author = db.session.scalar(select(User).where(User.email == "coordinator@twente.example"))
    assert (newest.version, newest.why, newest.created_by_id, newest.review_status) == (2, "tabel 2027", author.id, "pending")
    assert newest.data["hires"][1]["per_year"] == 45000
    first = db.session.scalar(select(RuleSetVersion).where(RuleSetVersion.ruleset_id == OOST, RuleSetVersion.version == 1))
    assert first.data["hires"][1]["per_year"] == 40000  # nothing overwritten
    assert db.session.scalar(select(db.func.max(RuleSetVersion.version)).where(RuleSetVersion.ruleset_id == OOST)) == 1
    regions = {row.region.name: row.ruleset_id for row in db.session.scalars(select(RegionRuleSet))}
    assert regions["Twente"] == f"{OOST}-twente" and regions["Regio Zwolle"] == OOST
    assert db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "sroi.ruleset_version")) is not None
    bad = client.post(f"/coordinator/regelsets/{OOST}-twente", data={"csrf_token": token, "f:hires:1:per_year": "-5", "why": "x"})
    assert bad.status_code == 302
    assert "klopt niet" in client.get(f"/coordinator/regelsets/{OOST}-twente").get_data(as_text=True)


def test_a_coordinator_cannot_edit_a_rule_set_no_region_of_theirs_uses(app) -> None:
    client = coordinator(app, "Twente")
    token = csrf_token(client, "/coordinator/regelsets/rijnvicus-bouwblokken")
    response = client.post("/coordinator/regelsets/rijnvicus-bouwblokken",
                           data={"csrf_token": token, "f:percentage": "4", "why": "x"})  # fmt: skip
    assert response.status_code == 403
    assert len(db.session.scalars(select(RuleSetVersion).where(RuleSetVersion.ruleset_id == "rijnvicus-bouwblokken")).all()) == 1


def test_a_coordinator_copies_a_rule_set_and_makes_it_the_default_of_their_region(app) -> None:
    client = coordinator(app, "Rijnmond")
    token = csrf_token(client, "/coordinator/regelsets")
    copied = client.post(f"/coordinator/regelsets/{OOST}/kopie",
                         data={"csrf_token": token, "new_id": "rijnmond-2027", "name": "Rijnmond 2027", "why": "eigen tabel"})  # fmt: skip
    assert copied.status_code == 302 and copied.headers["Location"].endswith("/coordinator/regelsets/rijnmond-2027")
    region_id = db.session.scalar(select(RegionRuleSet.region_id).join(RegionRuleSet.region).where(
        RegionRuleSet.region.has(name="Rijnmond")))  # fmt: skip
    assert db.session.get(RegionRuleSet, region_id).ruleset_id == ""  # no rule set known (issue 28)
    assert "geen regelset bekend: kies de regelset van uw regio" in client.get("/coordinator/regelsets").get_data(as_text=True)
    chosen = client.post(f"/coordinator/regelsets/regio/{region_id}", data={"csrf_token": token, "ruleset": "rijnmond-2027"})
    assert chosen.status_code == 302
    db.session.remove()
    choice = db.session.get(RegionRuleSet, region_id)
    assert choice.ruleset_id == "rijnmond-2027"
    twente = db.session.scalar(select(RegionRuleSet.region_id).where(RegionRuleSet.region.has(name="Twente")))
    assert client.post(f"/coordinator/regelsets/regio/{twente}", data={"csrf_token": token, "ruleset": "rijnmond-2027"}).status_code == 403


def test_a_coordinator_revalues_a_contribution_of_their_region_under_the_current_version(app) -> None:
    from marketplace.sroi.models import Contribution
    from marketplace.sroi.obligations import services as obligations
    from marketplace.sroi.rulesets import services as sroi_rulesets

    user("bouw@aannemer.example", "contractor")
    contractor = db.session.scalar(select(User).where(User.email == "bouw@aannemer.example"))
    obligation = obligations.create_obligation(contractor, {
        "title": "Opdracht", "contracting_authority": "Gemeente", "contract_value_excl_vat": "100000",
        "starts_on": "2026-01-01", "ends_on": "2026-12-31", "region": "Twente"})  # fmt: skip
    hire = {"kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": "36", "start": "2026-01-01", "end": "2026-12-31"}
    contribution_id = obligations.add_contribution(obligation, hire).contribution.id
    entry = {**sroi_rulesets.version_row(OOST).data}
    entry["hires"] = [dict(block, per_year=45000) if block["block"] == "participatiewet_over_2y" else block for block in entry["hires"]]
    entry["fulltime_hours_per_week"] = 36  # V05 names none: the region's coordinator sets it (issue 28)
    sroi_rulesets.save_version(entry, None, "tabel 2027")
    db.session.commit()
    other = coordinator(app, "Rijnmond")
    token = csrf_token(other, "/coordinator/bijdragen")
    assert "Opdracht" not in other.get("/coordinator/bijdragen").get_data(as_text=True)
    assert other.post(f"/coordinator/bijdragen/{contribution_id}/herwaarderen", data={"csrf_token": token, "why": "x"}).status_code == 404
    mine = coordinator(app, "Twente")
    token = csrf_token(mine, "/coordinator/bijdragen")
    assert "Opdracht" in mine.get("/coordinator/bijdragen").get_data(as_text=True)
    done = mine.post(f"/coordinator/bijdragen/{contribution_id}/herwaarderen", data={"csrf_token": token, "why": "tabel 2027 geldt"})
    assert done.status_code == 302
    db.session.remove()
    stored = db.session.get(Contribution, contribution_id)
    assert (stored.counted_cents, stored.ruleset_version) == (4_500_000, 2)
    assert db.session.scalar(select(AuditLogEntry).where(AuditLogEntry.action == "sroi.revalue")).details["why"] == "tabel 2027 geldt"


def test_a_figure_out_of_bounds_is_refused_at_once_and_a_pending_version_is_never_in_force(app) -> None:
    import time

    from marketplace.sroi.rulesets import services as sroi_rulesets

    client = coordinator(app, "Midden-Utrecht")  # the only region on the Utrecht table
    token = csrf_token(client, f"/coordinator/regelsets/{UTRECHT}")
    for figure in ("1e40", "1e999999", "1000001"):
        started = time.monotonic()
        refused = client.post(f"/coordinator/regelsets/{UTRECHT}", data={"csrf_token": token, "f:hires:0:per_year": figure, "why": "x"})
        assert refused.status_code == 302 and time.monotonic() - started < 5
        assert "klopt niet" in client.get(f"/coordinator/regelsets/{UTRECHT}").get_data(as_text=True)
    assert db.session.scalar(select(db.func.max(RuleSetVersion.version)).where(RuleSetVersion.ruleset_id == UTRECHT)) == 2
    saved = client.post(f"/coordinator/regelsets/{UTRECHT}", data={"csrf_token": token, "f:hires:0:per_year": "45000", "why": "tabel 2027"})
    assert saved.status_code == 302
    db.session.remove()
    newest = sroi_rulesets.version_row(UTRECHT)
    assert (newest.version, newest.review_status) == (3, "pending")
    in_force = sroi_rulesets.rules(UTRECHT)  # waiting for a colleague’s review: version 2 stays in force
    assert in_force.version == 2 and in_force.hires["participatiewet"].value == 40000


def test_a_database_with_the_old_shipped_table_gets_the_sourced_one_as_a_new_version(app) -> None:
    from marketplace.sroi.rulesets import services as sroi_rulesets

    old = sroi_rulesets.version_row("rijnvicus-bouwblokken")
    old.data = {"id": "rijnvicus-bouwblokken", "name": "SROI bouwblokkenmethode, Rijnvicus (regio Rivierenland)",
                "hires": [{"block": "participatiewet", "per_year_range": [25000, 30000]}]}  # the table before issue 28
    db.session.commit()
    assert sroi_rulesets.load_published() == 1
    newest = sroi_rulesets.version_row("rijnvicus-bouwblokken")
    assert newest.version == 2 and "participatiewet_over_2y" in {b["block"] for b in newest.data["hires"]}
    assert sroi_rulesets.version_row("rijnvicus-bouwblokken", 1).data["hires"][0]["block"] == "participatiewet"
    assert sroi_rulesets.load_published() == 0  # once
