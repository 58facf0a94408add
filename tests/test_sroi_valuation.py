"""SROI valuation on worked examples from each shipped table (matching.sroi: plain Python)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from matching.labels import LabelFacts
from matching.sroi import (
    Activity,
    Hire,
    Purchase,
    parse,
    published,
    value_activity,
    value_hire,
    value_purchase,
)
from matching.sroi.valuation import months_between, required_amount

OOST_AS_PUBLISHED = parse(published()["oost-nederland-bouwblokken-v05"][0], 1)
# V05 states no full-time hours (impactoost.nl/bouwblokken): here a coordinator has set 36.
OOST = parse({**published()["oost-nederland-bouwblokken-v05"][0], "fulltime_hours_per_week": 36}, 1)
UTRECHT_1 = parse(published()["utrecht-bouwblokkenmodel"][0], 1)
UTRECHT_2 = parse(published()["utrecht-bouwblokkenmodel"][1], 2)
RIJNVICUS = parse(published()["rijnvicus-bouwblokken"][0], 1)
CODE = LabelFacts("code", "Toegelaten", False, "active", valid_from=date(2021, 3, 12))
SENL = LabelFacts("senl", "Lid", False, "active", first_seen=date(2025, 6, 1))
PSO = LabelFacts("pso", "Trede 2", False, "active", valid_from=date(2024, 3, 14), valid_until=date(2026, 3, 14))


def codes(valuation) -> list[str]:  # type: ignore[no-untyped-def]
    return [reason.code for reason in valuation.reasons]


def test_the_shipped_ids_are_kept_so_scripts_can_name_them() -> None:
    assert set(published()) == {"oost-nederland-bouwblokken-v05", "utrecht-bouwblokkenmodel", "rijnvicus-bouwblokken"}
    assert "participatiewet_over_2y" in OOST.hires and "age_50_plus" in UTRECHT_1.supplements
    assert UTRECHT_2.version == 2 and "status_holder_or_language_gap" in UTRECHT_2.supplements
    assert UTRECHT_1.fulltime_hours == 36 and OOST.percentage == 5


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [(date(2026, 1, 1), date(2026, 12, 31), "12"), (date(2026, 1, 15), date(2026, 2, 14), "1"),
     (date(2026, 1, 1), date(2026, 1, 31), "1"), (date(2026, 2, 1), date(2026, 2, 14), "0.5"),
     (date(2026, 1, 31), date(2026, 2, 27), "1"),  # 31 January + 1 month = 28 February (month end)
     (date(2026, 3, 1), date(2026, 2, 1), "0")],
)  # fmt: skip
def test_months_are_calendar_months_and_a_part_month_by_its_days(start, end, months) -> None:  # type: ignore[no-untyped-def]
    assert months_between(start, end).quantize(Decimal("0.1")) == Decimal(months).quantize(Decimal("0.1"))


def test_a_hire_is_pro_rated_by_hours_and_by_months() -> None:
    # Oost-Nederland, Participatiewet > 2 years: € 40,000 a full-time year; 18 of 36 hours for 6 months.
    valuation = value_hire(Hire("participatiewet_over_2y", Decimal(18), date(2026, 1, 1), date(2026, 6, 30)), OOST)
    assert valuation.amount == Decimal("10000.00") and valuation.counts
    assert valuation.ruleset == "oost-nederland-bouwblokken-v05" and valuation.version == 1
    assert dict(valuation.reasons[0].params) == {
        "block": "participatiewet_over_2y", "name_nl": "Participatiewet, langer dan 2 jaar uitkering",
        "name_en": "Social assistance (Participatiewet), more than 2 years", "per_year": "40000.00", "hours": "18",
        "fulltime": "36", "months_expr": "6", "amount": "10000.00"}  # fmt: skip


def test_a_block_is_capped_at_its_counting_years_and_one_without_limit_is_not() -> None:
    three_years = (date(2026, 1, 1), date(2028, 12, 31))
    capped = value_hire(Hire("participatiewet_over_2y", Decimal(36), *three_years), OOST)
    assert capped.amount == Decimal("80000.00") and "sroi.hire_capped" in codes(capped)
    unlimited = value_hire(Hire("doelgroepregister_wajong_wia_wao_wsw_beschut", Decimal(36), *three_years), OOST)
    assert unlimited.amount == Decimal("120000.00") and "sroi.hire_capped" not in codes(unlimited)


def test_supplements_add_their_amount() -> None:
    hire = Hire("participatiewet_over_2y", Decimal(36), date(2026, 1, 1), date(2026, 12, 31), ("permanent_contract", "age_50_plus"))
    assert value_hire(hire, UTRECHT_1).amount == Decimal("55000.00")  # 40,000 + 10,000 + 5,000
    revised = Hire("participatiewet", Decimal(36), date(2026, 1, 1), date(2026, 12, 31), ("age_50_plus",))
    assert value_hire(revised, UTRECHT_2).amount == Decimal("50000.00")  # the revised table: 40,000 + 10,000


def test_a_work_experience_place_counts_per_month_and_a_learn_work_place_per_year() -> None:
    place = value_hire(Hire("werkervaringsplek_proefplaatsing", Decimal(20), date(2026, 1, 1), date(2026, 3, 31)), OOST)
    assert place.amount == Decimal("2250.00") and codes(place) == ["sroi.hire_month"]
    bbl = value_hire(Hire("bbl_level_1_2", Decimal(24), date(2026, 9, 1), date(2027, 2, 28)), OOST)
    assert bbl.amount == Decimal("10000.00") and codes(bbl) == ["sroi.hire_learn_work_year"]


def test_rijnvicus_participatiewet_is_two_rows_and_its_full_time_hours_are_unknown() -> None:
    # rijnvicus.nl SROI_bouwblokkenmethode: "Participatie Zonder arbeidsbeperking en minder dan 2 jaar uitkering
    # € 25.000,-" / "... meer dan 2 jaar uitkering € 30.000,-"; the page states no hours per week.
    assert RIJNVICUS.hires["participatiewet_under_2y"].value == 25000
    assert RIJNVICUS.hires["participatiewet_over_2y"].value == 30000 and "participatiewet" not in RIJNVICUS.hires
    assert RIJNVICUS.hires["pro_vso"].value == 25000  # "PrO / VSO In dienst nemen na uitstroom € 25.000,-"
    valuation = value_hire(Hire("participatiewet_over_2y", Decimal(36), date(2026, 1, 1), date(2026, 12, 31)), RIJNVICUS)
    assert valuation.amount == 0 and not valuation.counts and codes(valuation) == ["sroi.figure_unknown"]
    assert valuation.reasons[0].params["figure"] == "fulltime_hours"
    # "Maatschappelijke activiteit Maatwerk € 1.000,-": per activity, whatever the hours.
    activity = value_hire(Hire("social_activity", Decimal(4), date(2026, 1, 1), date(2026, 1, 1)), RIJNVICUS)
    assert activity.amount == Decimal("1000.00") and codes(activity) == ["sroi.hire_each"]


def test_a_purchase_counts_per_label_as_the_table_says_and_marks_unconfirmed_figures() -> None:
    code = value_purchase(Purchase(date(2026, 5, 2), Decimal("12000"), (CODE,)), OOST)
    assert code.amount == Decimal("12000.00") and codes(code) == ["sroi.purchase", "sroi.unconfirmed"]
    senl = value_purchase(Purchase(date(2026, 5, 2), Decimal("12000"), (SENL,)), OOST)
    assert senl.amount == Decimal("6000.00")
    # V05's PSO share is in no stored source ("standaard kortingen", no percentage): unknown, not 0%.
    pso = value_purchase(Purchase(date(2026, 1, 2), Decimal("12000"), (PSO,)), OOST)
    assert pso.amount == 0 and not pso.counts and codes(pso) == ["sroi.figure_unknown"]
    # Utrecht's revised table does not say which labels make a social enterprise: unknown too.
    utrecht = value_purchase(Purchase(date(2026, 1, 2), Decimal("12000"), (PSO,)), UTRECHT_2)
    assert utrecht.amount == 0 and codes(utrecht) == ["sroi.figure_unknown"]
    assert utrecht.reasons[0].params["figure"] == "labels"


def test_a_label_expired_on_the_invoice_date_does_not_count_and_says_when() -> None:
    valuation = value_purchase(Purchase(date(2026, 5, 2), Decimal("12000"), (PSO,)), parse({
        **published()["utrecht-bouwblokkenmodel"][1], "labels": {"social_enterprise_or_sw_company": {"counts": ["pso:*"]}}}))
    assert valuation.amount == 0 and not valuation.counts
    (reason,) = valuation.reasons
    assert reason.code == "sroi.label_ended"
    assert dict(reason.params) == {"label": "PSO (Trede 2)", "until": "2026-03-14", "invoice_date": "2026-05-02"}


def test_an_application_to_the_code_register_never_counts() -> None:
    applied = LabelFacts("code", "Aangevraagd", False, "applied", valid_from=date(2026, 1, 1))
    valuation = value_purchase(Purchase(date(2026, 5, 2), Decimal("5000"), (applied,)), OOST)
    assert valuation.amount == 0 and codes(valuation) == ["sroi.application_only"]


def test_a_label_in_grace_counts_marked_and_one_whose_grace_ran_out_does_not() -> None:
    grace = LabelFacts("code", "Toegelaten", False, "grace", valid_from=date(2021, 3, 12), grace_since=date(2026, 4, 1))
    counted = value_purchase(Purchase(date(2026, 5, 2), Decimal("1000"), (grace,)), OOST)
    assert counted.amount == Decimal("1000.00") and "sroi.label_in_grace" in codes(counted)
    late = value_purchase(Purchase(date(2026, 7, 1), Decimal("1000"), (grace,)), OOST)  # 90 days ended 29 June
    assert late.amount == 0 and codes(late) == ["sroi.label_ended"]


def test_the_best_label_on_the_invoice_date_counts() -> None:
    valuation = value_purchase(Purchase(date(2026, 5, 2), Decimal("1000"), (SENL, CODE)), OOST)
    assert valuation.amount == Decimal("1000.00")


def test_social_activities_count_per_hour_where_the_table_says_so() -> None:
    assert value_activity(Activity(Decimal("7.5")), UTRECHT_2).amount == Decimal("750.00")
    assert codes(value_activity(Activity(Decimal(3)), OOST)) == ["sroi.no_activity_rate"]


def test_money_is_exact_and_rounded_half_up_once_at_the_end() -> None:
    # 10 hours of 36 for one month: 30,000 × 10/36 / 12 = 694.444… → 694.44 (not a float's 694.4400000001)
    assert value_hire(Hire("participatiewet_under_2y", Decimal(10), date(2026, 1, 1), date(2026, 1, 31)), OOST).amount == Decimal("694.44")
    assert value_purchase(Purchase(date(2026, 5, 2), Decimal("0.05"), (SENL,)), OOST).amount == Decimal("0.03")  # 0.025 half-up
    assert required_amount(Decimal("1234567.89"), Decimal(5)) == Decimal("61728.39")
    assert all(isinstance(v, Decimal) for v in (OOST.percentage, OOST.hires["ww_under_1y"].value))


def test_thresholds_and_which_label_states_count_are_data_too() -> None:
    strict = parse({**published()["oost-nederland-bouwblokken-v05"][0], "threshold_excl_vat": 250000,
                    "label_states_counting": ["active"]})  # fmt: skip
    assert strict.threshold == 250000
    grace = LabelFacts("code", "Toegelaten", False, "grace", valid_from=date(2021, 3, 12), grace_since=date(2026, 4, 1))
    refused = value_purchase(Purchase(date(2026, 5, 2), Decimal("1000"), (grace,)), strict)
    assert refused.amount == 0 and codes(refused) == ["sroi.grace_not_counted"]
    with pytest.raises(ValueError, match="label_states_counting"):
        parse({**published()["oost-nederland-bouwblokken-v05"][0], "label_states_counting": ["applied"]})
