"""Rules as published (issue 28): worked examples per table, each citing its source, and the figures
no source gives staying "unknown" instead of falling back silently."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale

from marketplace.core.reasons import explain
from matching.labels import LabelFacts
from matching.sroi import Hire, Purchase, RuleSetError, parse, published, value_hire, value_purchase
from matching.sroi.valuation import months_between, months_expression

UTRECHT_1 = parse(published()["utrecht-bouwblokkenmodel"][0], 1)
UTRECHT_2 = parse(published()["utrecht-bouwblokkenmodel"][1], 2)
OOST_ENTRY = published()["oost-nederland-bouwblokken-v05"][0]
RIJNVICUS_ENTRY = published()["rijnvicus-bouwblokken"][0]


def test_every_figure_names_its_document_and_quotes_it() -> None:
    for entries in published().values():
        for entry in entries:
            documents = {doc["id"]: doc for doc in entry["documents"]}
            assert all(
                doc["url"].startswith("http") and "version" in doc and "date" in doc
                for doc in documents.values()
            )
            for item in [
                *entry["hires"],
                *(entry.get("supplements") or []),
                *(entry.get("activities") or []),
            ]:
                assert item["source"] in documents and item["quote"], item
                assert item["nl"] and item["en"], item


def test_a_part_month_counts_its_days_in_that_calendar_month() -> None:
    # Issue 28: 15 March to 30 September is 17/31 + 6 = 6.548 months.
    assert months_expression(date(2026, 3, 15), date(2026, 9, 30)) == "17/31 + 6"
    assert months_between(date(2026, 3, 15), date(2026, 9, 30)).quantize(Decimal("0.001")) == Decimal("6.548")
    assert months_expression(date(2026, 1, 1), date(2026, 12, 31)) == "12"
    assert months_expression(date(2026, 2, 1), date(2026, 2, 14)) == "14/28"


def test_utrecht_worked_example_shows_the_real_arithmetic(app) -> None:
    # utrecht.nl bouwblokkenmodel-social-return (first table): "2Participatiewet > 2 jaar€ 40.000",
    # "op basis van een jaarcontract fulltime (36 uur per week)".
    valuation = value_hire(
        Hire("participatiewet_over_2y", Decimal(32), date(2026, 3, 15), date(2026, 9, 30)), UTRECHT_1
    )
    assert valuation.amount == Decimal("19402.63")
    with app.test_request_context(), force_locale("nl"):
        assert explain(valuation.reasons[0]).replace("\xa0", " ") == (
            "Participatiewet, langer dan 2 jaar: € 40.000,00 per jaar × 32/36 uur × (17/31 + 6)/12 jaar = € 19.402,63"
        )
    with app.test_request_context(), force_locale("en"):
        assert explain(valuation.reasons[0]).startswith(
            "Social assistance (Participatiewet), more than 2 years: €40,000.00 a year"
        )


def test_hours_above_full_time_are_capped_and_the_reason_says_so() -> None:
    valuation = value_hire(Hire("ww_under_1y", Decimal(40), date(2026, 1, 1), date(2026, 12, 31)), UTRECHT_1)
    assert valuation.amount == Decimal("15000.00")  # "3WW < 1 jaar€ 15.000", 36 hours is full time
    assert [r.code for r in valuation.reasons] == ["sroi.hire_year", "sroi.hours_capped"]
    assert valuation.reasons[1].params == {"hours": "40", "fulltime": "36"}


def test_supplements_are_valued_like_their_block() -> None:
    # Utrecht first table: "8vast dienstverband€ 10.000 extra op bovenstaande bedragen": a one-week 8-hour hire
    # no longer gets € 10.000 in full: 10.000 × 8/36 × (7/31)/12.
    hire = Hire(
        "participatiewet_over_2y", Decimal(8), date(2026, 3, 2), date(2026, 3, 8), ("permanent_contract",)
    )
    valuation = value_hire(hire, UTRECHT_1)
    block = Decimal(40000) * Decimal(8) / 36 * Decimal(7) / 31 / 12
    extra = Decimal(10000) * Decimal(8) / 36 * Decimal(7) / 31 / 12
    assert valuation.amount == (block + extra).quantize(Decimal("0.01"))
    assert "sroi.supplement_pro_rata" in [r.code for r in valuation.reasons]
    once = parse(
        {
            **published()["utrecht-bouwblokkenmodel"][0],
            "supplements": [
                {
                    "when": "permanent_contract",
                    "add": 10000,
                    "once_per_hire": True,
                    "nl": "vast",
                    "en": "permanent",
                }
            ],
        }
    )
    assert value_hire(hire, once).amount == (block + 10000).quantize(Decimal("0.01"))


def test_the_counting_cap_applies_to_the_supplement_too() -> None:
    # impactoost.nl/bouwblokken V05: "Participatiewet > 2 jaar € 40.000 per jaar 2 jaar"; with hours set to 36
    # and a supplement in the data, three years count as two for both.
    entry = {
        **OOST_ENTRY,
        "fulltime_hours_per_week": 36,
        "supplements": [{"when": "extra", "add": 1000, "nl": "x", "en": "x"}],
    }
    valuation = value_hire(
        Hire("participatiewet_over_2y", Decimal(36), date(2026, 1, 1), date(2028, 12, 31), ("extra",)),
        parse(entry),
    )
    assert valuation.amount == Decimal("82000.00")


def test_oost_nederland_full_time_hours_are_unknown_until_a_coordinator_sets_them(app) -> None:
    # The stored V05 text says "naar rato, omvang én arbeidsduur" but states no hours per week.
    oost = parse(OOST_ENTRY)
    assert oost.fulltime_hours is None
    valuation = value_hire(Hire("ww_under_1y", Decimal(20), date(2026, 1, 1), date(2026, 6, 30)), oost)
    assert valuation.amount == 0 and not valuation.counts
    with app.test_request_context(), force_locale("nl"):
        assert explain(valuation.reasons[0]).endswith("onbekend: uw coördinator stelt dit vast")
    # Per month needs no hours: "Werkervaringsplek/proefplaatsing € 750 per maand".
    place = value_hire(
        Hire("werkervaringsplek_proefplaatsing", Decimal(20), date(2026, 3, 15), date(2026, 4, 30)), oost
    )
    assert place.amount == (Decimal(750) * (Decimal(17) / 31 + 1)).quantize(Decimal("0.01"))


def test_an_aspirant_status_is_not_a_certified_label_unless_the_data_says_so() -> None:
    # Twente practice (wizzr.nl): "Het register van de Code Sociale Ondernemingen wordt als leidraad gebruikt."
    oost = parse(OOST_ENTRY)
    aspirant = LabelFacts("code", "Aspirant", False, "active", valid_from=date(2025, 1, 1))
    assert value_purchase(Purchase(date(2026, 5, 2), Decimal(1000), (aspirant,)), oost).amount == 0
    toegelaten = LabelFacts("code", "Toegelaten", False, "active", valid_from=date(2025, 1, 1))
    assert value_purchase(Purchase(date(2026, 5, 2), Decimal(1000), (toegelaten,)), oost).amount == Decimal(
        "1000.00"
    )
    says_so = parse(
        {
            **OOST_ENTRY,
            "labels": {
                **OOST_ENTRY["labels"],
                "code_sociale_ondernemingen_register": {"counts": ["code:Toegelaten", "code:Aspirant"]},
            },
        }
    )
    assert value_purchase(Purchase(date(2026, 5, 2), Decimal(1000), (aspirant,)), says_so).amount == Decimal(
        "1000.00"
    )


def test_senl_counts_from_the_first_day_we_saw_it_and_says_so(app) -> None:
    # wizzr.nl (Twente): "Ook de leden van van Social Enterprise NL worden erkend en tellen voor 50% mee".
    oost = parse(OOST_ENTRY)
    senl = LabelFacts("senl", "Lid", False, "active", first_seen=date(2026, 12, 2))
    before = value_purchase(Purchase(date(2026, 11, 30), Decimal(1000), (senl,)), oost)
    after = value_purchase(Purchase(date(2026, 12, 3), Decimal(1000), (senl,)), oost)
    assert before.amount == 0 and after.amount == Decimal("500.00")
    with app.test_request_context(), force_locale("nl"):
        assert explain(after.reasons[1]) == "lid van Social Enterprise NL, bij ons bekend sinds 02-12-2026"
        assert explain(before.reasons[0]).startswith(
            "lid van Social Enterprise NL, bij ons bekend sinds 02-12-2026"
        )


@pytest.mark.parametrize("figure", ["1e40", "1e999999", "-5", "abc", "1000001"])
def test_figures_out_of_bounds_are_refused_with_a_message(figure: str) -> None:
    entry = {**RIJNVICUS_ENTRY, "hires": [{"block": "ww", "per_year": figure}]}
    with pytest.raises(RuleSetError, match=r"ww\.per_year"):
        parse(entry)
    with pytest.raises(RuleSetError):
        parse(
            {
                **RIJNVICUS_ENTRY,
                "purchases": {"pso": {"share_of_invoice_excl_vat": 1.5}},
                "labels": {"pso": {"counts": ["pso:*"]}},
            }
        )


def _keys(entry: dict) -> set[str]:
    """The rule data's keys a person must never read (those a name could not contain by chance)."""
    found = {str(item["block"]) for item in entry["hires"]} | {str(item["when"]) for item in entry.get("supplements") or []}
    return {key for key in found if "_" in key} | {str(entry["id"])}


@pytest.mark.parametrize("ruleset_id", sorted(published()))
def test_every_block_shows_by_its_name_in_both_languages_never_its_key(app, ruleset_id: str) -> None:
    """Issue 28 (and 23): a contribution of each block of every shipped rule set, on the contractor's page,
    the coordinator's queue and the correction list, in Dutch and English: no internal key anywhere."""
    from sqlalchemy import select

    from marketplace.accounts.models import User
    from marketplace.core.extensions import db
    from marketplace.sroi.models import RegionRuleSet
    from marketplace.sroi.obligations import services as obligations
    from tests.factories import login, user

    entry = published()[ruleset_id][-1]
    choice = db.session.scalar(select(RegionRuleSet).where(RegionRuleSet.region.has(name="Twente")))
    choice.ruleset_id = ruleset_id
    db.session.commit()
    user("bouw@aannemer.example", "contractor")
    user("coordinator@twente.example", "coordinator", regions=("Twente",))
    owner = db.session.scalar(select(User).where(User.email == "bouw@aannemer.example"))
    obligation = obligations.create_obligation(owner, {
        "title": "Opdracht", "contracting_authority": "Gemeente", "contract_value_excl_vat": "1000000",
        "starts_on": "2026-01-01", "ends_on": "2027-12-31", "region": "Twente"})  # fmt: skip
    supplements = [str(item["when"]) for item in entry.get("supplements") or []]
    for block in entry["hires"]:
        obligations.add_contribution(obligation, {"kind": "hire", "block": block["block"], "hours_per_week": "20",
                                                  "start": "2026-03-15", "end": "2026-09-30", "supplements": supplements})  # fmt: skip
    keys = _keys(entry)
    contractor, coordinator = app.test_client(), app.test_client()
    login(contractor, "bouw@aannemer.example")
    login(coordinator, "coordinator@twente.example")
    pages = [(contractor, f"/opdrachtnemer/verplichtingen/{obligation.id}"), (coordinator, "/coordinator/wachtrij"),
             (coordinator, "/coordinator/bijdragen"), (coordinator, f"/coordinator/regelsets/{ruleset_id}")]  # fmt: skip
    for language, name in (("nl", "nl"), ("en", "en")):
        for client, path in pages:
            page = client.get(f"{path}?lang={language}").get_data(as_text=True)
            text = re.sub(r"<[^>]*>", " ", page)  # what a person reads: no tags, no attributes (form values)
            shown = {key for key in keys if key in text}
            assert not shown, f"{path} ({language}) shows keys {shown}"
        first = entry["hires"][0][name]
        page = contractor.get(f"/opdrachtnemer/verplichtingen/{obligation.id}?lang={language}").get_data(as_text=True)
        assert first.replace("&", "&amp;").replace("'", "&#39;") in page, first


def test_a_contract_below_the_regions_published_threshold_gets_a_warning_naming_the_rule(app) -> None:
    # wspregiozwolle.nl/.../opdrachtgever/: "SROI wordt veelal toegepast boven het drempelbedrag van € 200.000."
    from sqlalchemy import select

    from marketplace.accounts.models import User
    from marketplace.core.extensions import db
    from marketplace.core.reasons import explain
    from marketplace.sroi.obligations import services as obligations
    from tests.factories import user

    user("bouw@aannemer.example", "contractor")
    owner = db.session.scalar(select(User).where(User.email == "bouw@aannemer.example"))
    values = {"title": "Opdracht", "contracting_authority": "Gemeente Zwolle", "starts_on": "2026-01-01",
              "ends_on": "2026-12-31", "region": "Regio Zwolle"}  # fmt: skip
    small = obligations.create_obligation(owner, {**values, "contract_value_excl_vat": "150000"})
    large = obligations.create_obligation(owner, {**values, "contract_value_excl_vat": "250000"})
    rules = parse(OOST_ENTRY)
    (note,) = obligations.notes(small, rules)
    assert note.code == "sroi.threshold_warning" and obligations.notes(large, rules) == []
    with app.test_request_context():
        assert "drempelbedrag van € 200.000" in explain(note) and "Regio Zwolle" in explain(note)


def test_a_rule_set_whose_threshold_refuses_refuses_a_smaller_contract_and_changes_nothing(app) -> None:
    from sqlalchemy import func, select

    from marketplace.accounts.models import User
    from marketplace.core.extensions import db
    from marketplace.core.refusals import ServiceError
    from marketplace.sroi.models import Obligation
    from marketplace.sroi.obligations import services as obligations
    from marketplace.sroi.rulesets import services as sroi_rulesets
    from tests.factories import user

    utrecht = published()["utrecht-bouwblokkenmodel"][-1]
    sroi_rulesets.save_version({**utrecht, "threshold_excl_vat": 250000, "below_threshold": "refuse"}, None, "drempel")
    db.session.commit()
    user("bouw@aannemer.example", "contractor")
    owner = db.session.scalar(select(User).where(User.email == "bouw@aannemer.example"))
    values = {"title": "Opdracht", "contracting_authority": "Gemeente Utrecht", "starts_on": "2026-01-01",
              "ends_on": "2026-12-31", "region": "Midden-Utrecht"}  # fmt: skip
    with pytest.raises(ServiceError, match="onder de drempel van"):
        obligations.create_obligation(owner, {**values, "contract_value_excl_vat": "200000"})
    assert db.session.scalar(select(func.count()).select_from(Obligation)) == 0
    assert obligations.create_obligation(owner, {**values, "contract_value_excl_vat": "300000"}).id
