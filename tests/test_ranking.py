"""matching.ranking on its own: parts add up, validity, regional filter, Dutch word forms,
spread, the gap-closer and determinism (plain Python, no database)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from matching.analysis import index_terms
from matching.labels import LabelFacts
from matching.ranking import WEIGHTS, Candidate, CandidatePool, Need, combination, gap_share, rank, rank_parts
from matching.sroi import parse, published

ENTRIES = published()
OOST = parse(ENTRIES["oost-nederland-bouwblokken-v05"][-1], 1)
CODE = LabelFacts("code", "Toegelaten", False, "active", valid_from=date(2021, 3, 1))
SENL = LabelFacts("senl", "Lid", False, "active", first_seen=date(2024, 1, 1))
PSO = LabelFacts("pso", "Trede 2", False, "active", valid_from=date(2025, 1, 1), valid_until=date(2027, 1, 1))


def supplier(
    number: int,
    name: str,
    offer: str,
    labels=(CODE,),
    place=("Enschede", "Twente", "Overijssel"),
    cpv=(),
    open_matches=0,
) -> Candidate:  # type: ignore[no-untyped-def]
    return Candidate(number, f"s-{number}", name, frozenset(index_terms(offer)), tuple(cpv), tuple(labels),
                     *place, open_matches=open_matches)  # fmt: skip


def need(text: str = "schoonmaak van kantoren", rules=OOST, cpv=(), **values) -> Need:  # type: ignore[no-untyped-def]
    defaults = {"starts_on": date(2026, 1, 1), "ends_on": date(2027, 12, 31), "municipality": "Enschede",
                "region": "Twente", "province": "Overijssel", "remaining": Decimal("50000.00"),
                "today": date(2026, 11, 1)}  # fmt: skip
    return Need(text, tuple(cpv), rules=rules, **(defaults | values))


def test_parts_add_up_to_the_score_and_every_part_has_a_reason() -> None:
    pool = CandidatePool([
        supplier(1, "Glans", "schoonmaakbedrijf voor kantoren en scholen", cpv=("90910000",)),
        supplier(2, "Veeg", "schoonmaak", labels=(SENL,), place=("Zwolle", "IJsselland", "Overijssel")),
        supplier(3, "Poets", "kantoorschoonmaak", place=("Utrecht", "Midden-Utrecht", "Utrecht"), open_matches=5),
    ])  # fmt: skip
    ranked = rank(need(cpv=("90911000",)), pool)
    assert [item.candidate.name for item in ranked] == [
        "Glans",
        "Poets",
        "Veeg",
    ]  # counting fully beats nearness
    for item in ranked:
        assert item.score == sum(part.score for part in item.parts)
        assert [part.part for part in item.parts] == ["fit", "counts", "validity", "distance", "spread"]
        assert all(part.reason.code.startswith("ranking.") for part in item.parts)
        assert item.score <= WEIGHTS.total
    glans = ranked[0]
    assert glans.part("fit").reason.params["level"] == "class"  # a CPV group or division is no evidence
    assert glans.part("counts").reason.params["share"] == "100"
    assert ranked[2].part("counts").reason.params["share"] == "50"
    assert glans.part("distance").reason.code == "ranking.distance_km_region"
    assert glans.part("distance").reason.params["km"] == 0
    assert ranked[1].part("distance").reason.params["km"] > 100  # Utrecht from Enschede


def test_a_supplier_without_a_valid_label_over_the_period_never_ranks_above_an_equal_one_with_it() -> None:
    ending = LabelFacts(
        "pso", "Trede 2", False, "active", valid_from=date(2025, 1, 1), valid_until=date(2027, 1, 1)
    )
    lasting = dataclasses.replace(ending, valid_until=date(2029, 1, 1))
    grace = dataclasses.replace(lasting, state="grace", grace_since=date(2026, 10, 1))
    # The revised Utrecht table names no labels; here the coordinator has said PSO counts (issue 28).
    utrecht = parse({**ENTRIES["utrecht-bouwblokkenmodel"][-1],
                     "labels": {"social_enterprise_or_sw_company": {"counts": ["pso:*"]}}}, 1)  # fmt: skip
    pool = CandidatePool([supplier(1, "Aa", "schoonmaak", labels=(ending,)),
                          supplier(2, "Bb", "schoonmaak", labels=(lasting,)),
                          supplier(3, "Cc", "schoonmaak", labels=(grace,))])  # fmt: skip
    ranked = rank(need("schoonmaak", rules=utrecht), pool)
    assert ranked[0].candidate.name == "Bb"
    by_name = {item.candidate.name: item for item in ranked}
    assert by_name["Aa"].score < by_name["Bb"].score and by_name["Cc"].score < by_name["Bb"].score
    assert by_name["Aa"].part("validity").reason.code == "ranking.valid_until_before_end"
    assert by_name["Aa"].part("validity").reason.params["until"] == "2027-01-01"
    assert by_name["Cc"].part("validity").reason.code == "ranking.in_grace"


def test_purchases_that_count_for_nothing_are_shown_only_on_request_with_why() -> None:
    aspirant = LabelFacts("code", "Aspirant", False, "active", valid_from=date(2025, 1, 1))
    pool = CandidatePool([supplier(1, "Asp", "schoonmaak", labels=(aspirant,)), supplier(2, "Code", "schoonmaak")])
    assert [item.candidate.name for item in rank(need("schoonmaak"), pool)] == ["Code"]
    shown = rank(need("schoonmaak"), pool, include_uncounted=True)
    nothing = next(item for item in shown if item.candidate.name == "Asp")
    assert (
        nothing.part("counts").score == 0 and nothing.part("counts").reason.code == "ranking.counts_nothing"
    )


def test_a_label_whose_share_no_source_gives_is_shown_as_unknown_not_hidden_as_zero() -> None:
    # V05's PSO valuation ("standaard kortingen", werkcentrum-veluwe-stedendriehoek.nl) has no stored percentage.
    pool = CandidatePool([supplier(1, "Pso", "schoonmaak", labels=(PSO,)), supplier(2, "Code", "schoonmaak")])
    ranked = rank(need("schoonmaak"), pool)
    assert [item.candidate.name for item in ranked] == ["Code", "Pso"]
    assert ranked[1].part("counts").reason.code == "ranking.counts_unknown" and ranked[1].part("counts").score == 0


def test_a_rule_set_counting_only_regional_suppliers_filters() -> None:
    regional = dataclasses.replace(OOST, regional_suppliers_only=True)
    pool = CandidatePool([supplier(1, "Hier", "schoonmaak"),
                          supplier(2, "Daar", "schoonmaak", place=("Zwolle", "IJsselland", "Overijssel"))])  # fmt: skip
    assert [i.candidate.name for i in rank(need("schoonmaak"), pool)] == ["Hier", "Daar"]
    assert [i.candidate.name for i in rank(need("schoonmaak", rules=regional), pool)] == ["Hier"]


@pytest.mark.parametrize(
    "typed", ["schoonmaak", "schoonmaken", "kantoorschoonmaak", "schoonmak", "Schoonmaakdiensten"]
)
def test_a_cleaning_need_finds_cleaning_firms_through_plurals_compounds_and_typos(typed: str) -> None:
    pool = CandidatePool([supplier(1, "Glans", "schoonmaakbedrijf, glazenwassers en schoonmaak van kantoren"),
                          supplier(2, "Bak", "bakkerij en catering")])  # fmt: skip
    assert [item.candidate.name for item in rank(need(typed), pool)] == ["Glans"], typed


def test_spread_lowers_an_enterprise_with_many_open_matches() -> None:
    pool = CandidatePool([supplier(1, "Bekend", "schoonmaak"), supplier(2, "Nieuw", "schoonmaak")])
    assert [i.candidate.name for i in rank(need("schoonmaak"), pool)] == ["Bekend", "Nieuw"]  # tie: by name
    busy = rank(need("schoonmaak"), pool, open_matches={1: 12})
    assert [i.candidate.name for i in busy] == ["Nieuw", "Bekend"]
    assert busy[1].part("spread").reason.params["open"] == 12
    no_spread = rank(need("schoonmaak"), pool, WEIGHTS.without_spread(), open_matches={1: 12})
    assert [i.candidate.name for i in no_spread] == ["Bekend", "Nieuw"]


def test_not_for_us_is_respected() -> None:
    pool = CandidatePool([supplier(1, "Glans", "schoonmaak"), supplier(2, "Veeg", "schoonmaak")])
    assert [i.candidate.name for i in rank(need("schoonmaak"), pool, exclude=frozenset({1}))] == ["Veeg"]


def test_the_gap_closer_says_what_spend_fills_what_and_finds_a_combination_within_a_budget() -> None:
    pool = CandidatePool([supplier(1, "Code", "schoonmaak"), supplier(2, "Lid", "schoonmaak", labels=(SENL,)),
                          supplier(3, "Ook", "schoonmaak")])  # fmt: skip
    ranked = rank(need("schoonmaak", remaining=Decimal("50000.00")), pool)
    code_share = gap_share(ranked[0], Decimal("50000.00"), Decimal("20000.00"))
    assert (code_share.counted, code_share.of_remaining, code_share.closes_with) == (
        Decimal("20000.00"), Decimal("0.4000"), Decimal("50000.00"))  # fmt: skip
    half = gap_share(next(i for i in ranked if i.candidate.name == "Lid"), Decimal("50000.00"))
    assert half.closes_with == Decimal("100000.00")
    found = combination(ranked, Decimal("50000.00"), Decimal("60000.00"))
    assert (
        found is not None
        and found.counted == Decimal("50000.00")
        and found.total_spend <= Decimal("60000.00")
    )
    assert {item.candidate.name for item in found.suppliers} == {"Code", "Ook"}  # SENL would cost double
    assert combination(ranked, Decimal("50000.00"), Decimal("49999.99")) is None


def test_the_same_data_and_weights_give_the_same_ranking() -> None:
    candidates = [supplier(n, f"Onderneming {n % 7}", "schoonmaak kantoren" if n % 2 else "schoonmaak",
                           place=("Enschede", "Twente", "Overijssel") if n % 3 else ("Zwolle", "IJsselland", "Overijssel"))
                  for n in range(60)]  # fmt: skip
    first = [
        (i.candidate.organisation_id, i.score) for i in rank(need(), CandidatePool(candidates), limit=None)
    ]
    again = [
        (i.candidate.organisation_id, i.score)
        for i in rank(need(), CandidatePool(reversed(candidates)), limit=None)
    ]
    assert first == again and len(first) == 60


def test_the_vectorised_scores_equal_the_explained_parts_for_every_supplier() -> None:
    import random

    from matching.ranking.rank import scores

    rng = random.Random(3)
    trades = ["schoonmaak", "catering", "drukwerk", "groen", "fietsen", "kantoren", "glazenwassers"]
    places = [("Enschede", "Twente", "Overijssel"), ("Zwolle", "IJsselland", "Overijssel"),
              ("Utrecht", "Midden-Utrecht", "Utrecht"), (None, None, None)]  # fmt: skip
    grace = dataclasses.replace(CODE, state="grace", grace_since=date(2026, 10, 1))
    ending = dataclasses.replace(PSO, valid_until=date(2027, 3, 1))
    labels = [(CODE,), (SENL,), (PSO,), (grace,), (ending,), (SENL, CODE)]
    pool = CandidatePool(
        supplier(n, f"O{n % 17}", " ".join(rng.sample(trades, 2)), labels=rng.choice(labels),
                 place=rng.choice(places), cpv=rng.choice([(), ("90910000",), ("90600000", "55520000")]),
                 open_matches=rng.randrange(6))
        for n in range(400)
    )  # fmt: skip
    utrecht = parse(ENTRIES["utrecht-bouwblokkenmodel"][-1], 1)
    for wanted in (need("schoonmaak kantoren", cpv=("90919200",)), need("catering", rules=utrecht), need(""),
                   need("drukwerk", cpv=("79800000",)), need("glazenwasser fietsen", rules=None)):  # fmt: skip
        total, shown = scores(wanted, pool, include_uncounted=True)
        ranked = rank(wanted, pool, include_uncounted=True, limit=None)
        assert len(ranked) == int(shown.sum())
        for item in ranked:
            assert item.score == int(total[pool.index_of[item.candidate.organisation_id]]), (
                item.candidate.name
            )
        # best first, except that those whose counting is unknown come after those that count
        order = [(i.part("counts").reason.code == "ranking.counts_unknown", -i.score) for i in ranked]
        assert order == sorted(order)


def test_fit_needs_evidence_not_fragments_or_boilerplate() -> None:
    standard = "Wij bieden werk aan mensen met een afstand tot de arbeidsmarkt en hun medewerkers groeien."

    def own(number: int, name: str, sector: str, text: str) -> Candidate:
        return dataclasses.replace(
            supplier(number, name, ""), texts=(("sector", sector), ("description", f"{text} {standard}"))
        )

    pool = CandidatePool([
        own(1, "Drukkerij Inkt", "Drukwerk", "Drukwerk, folders en posters."),
        own(2, "Creche Klein", "Kinderopvang", "Kinderopvang voor baby's en peuters."),
        own(3, "Smaak", "Catering", "Lunch en catering voor bedrijven."),
        own(4, "Werkplaats Hout", "Houtbewerking", "Meubels van hout."),
    ])  # fmt: skip
    lunch = rank(need("lunch voor 40 medewerkers"), pool)
    assert [item.candidate.name for item in lunch] == ["Smaak"]  # not "medewerkers" from boilerplate
    assert lunch[0].part("fit").reason.params["quotes"] == ["Lunch en catering voor bedrijven"]
    assert [item.candidate.name for item in rank(need("drukwerk"), pool)] == ["Drukkerij Inkt"]
    assert rank(need("asbestsanering"), pool) == []  # nobody offers it: nothing shown
    for item in rank(need("drukwerk en catering"), pool):
        for quote in item.part("fit").reason.params["quotes"]:
            assert quote in " ".join(text for _field, text in item.candidate.texts)


def test_distance_is_in_kilometres_from_the_place_of_work() -> None:
    pool = CandidatePool([supplier(1, "Hier", "schoonmaak", place=("Hengelo", "Twente", "Overijssel")),
                          supplier(2, "Daar", "schoonmaak", place=("Almelo", "Twente", "Overijssel"))])  # fmt: skip
    ranked = rank(need("schoonmaak", municipality="Enschede"), pool)
    assert [item.candidate.name for item in ranked] == ["Hier", "Daar"]
    assert 5 <= ranked[0].part("distance").reason.params["km"] <= 12


def test_a_need_of_several_parts_gets_the_best_suppliers_per_part_and_one_combined_list() -> None:
    pool = CandidatePool([supplier(1, "Groen", "groenvoorziening en hovenier"), supplier(2, "Poets", "schoonmaak"),
                          supplier(3, "Smaak", "catering en lunch"), supplier(4, "Druk", "drukwerk")])  # fmt: skip
    wanted = need("Groenonderhoud, schoonmaak en catering voor het kantoor")
    parts = rank_parts(wanted, pool)
    assert [(piece, [i.candidate.name for i in found]) for piece, found in parts] == [
        ("Groenonderhoud", ["Groen"]),
        ("schoonmaak", ["Poets"]),
        ("catering voor het kantoor", ["Smaak"]),
    ]
    assert {i.candidate.name for i in rank(wanted, pool)} == {"Groen", "Poets", "Smaak"}
    assert rank_parts(need("schoonmaak van kantoren"), pool) == []
