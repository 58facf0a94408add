"""Entity resolution as a plain library: normalisation, evidence, guards, determinism."""

from __future__ import annotations

import pytest

from matching.names import core_name, legal_form_in_name
from matching.normalise import kvk_numbers, website_domain
from matching.places import PlaceResolver, same_place
from matching.reasons import Reason
from matching.resolution.resolve import Override, resolve


def rec(
    key: str,
    name: str,
    city: str | None,
    kvk: list[str] | None = None,
    website: str | None = None,
    register: str = "pso",
) -> dict:
    return {
        "register": register,
        "record_key": key,
        "name": name,
        "city": city,
        "kvk": kvk or [],
        "website": website,
    }


def entities(result, *keys: str, register: str = "pso") -> list[str]:
    return [result.entity_of[f"{register}:{key}"] for key in keys]


@pytest.mark.parametrize(
    ("name", "core", "form"),
    [
        ("Stichting De Kans", "de kans", "Stichting"),
        ("De Kans B.V.", "de kans", "B.V."),
        ("De Kans BV", "de kans", "B.V."),
        ("DE KANS", "de kans", None),
        ("Kans N.V.", "kans", "N.V."),
        ("Coöperatie De Nieuwe Schoonmaak U.A.", "de nieuwe schoonmaak", "Coöperatie"),
        ("Bosman en Dekker V.O.F.", "bosman en dekker", "V.O.F."),
        ("Holding Groen b. v.", "groen", "Holding"),
        ("St. Klei &amp; Ruimte", "klei en ruimte", "Stichting"),
        ("Papier & Zonen", "papier en zonen", None),
        ("Café  Kempenland", "cafe kempenland", None),
        ("Brood &#038; Zin", "brood en zin", None),
        ("Theekracht (Stichting)", "theekracht", "Stichting"),
    ],
)
def test_names_lose_legal_forms_case_accents_entities_and_punctuation(
    name: str, core: str, form: str | None
) -> None:
    assert core_name(name) == core
    assert legal_form_in_name(name) == form


def test_websites_reduce_to_their_registrable_domain() -> None:
    assert website_domain("https://www.Brood-Zin.nl/over-ons/") == "brood-zin.nl"
    assert website_domain("http://brood-zin.nl") == "brood-zin.nl"
    assert website_domain("brood-zin.nl") == "brood-zin.nl"
    assert website_domain("shop.brood-zin.nl") == "brood-zin.nl"
    assert website_domain("geen website") is None


def test_kvk_numbers_with_spaces_or_dots() -> None:
    assert kvk_numbers("7154 5645") == ["71545645"]
    assert kvk_numbers("71.54.56.45") == ["71545645"]
    assert kvk_numbers("86037999 (hoofdaanvrager) 37784273") == ["86037999", "37784273"]


def test_city_synonyms_are_the_same_place() -> None:
    places = PlaceResolver()
    assert same_place("'s-Gravenhage", "Den Haag", places)
    assert same_place("'s-Hertogenbosch", "Den Bosch", places)
    assert same_place("Zaandam", "Zaanstad", places)
    assert not same_place("Delft", "Leiden", places)


def test_shared_kvk_merges_whatever_the_name_says_with_reasons() -> None:
    result = resolve([
        rec("/1", "Papier en Zonen B.V.", "Zwolle", ["49560586"]),
        rec("/2", "Papier & Zonen", "Zwolle", ["4956 0586"], register="code"),
    ])  # fmt: skip
    assert result.entity_of["pso:/1"] == result.entity_of["code:/2"]
    (decision,) = result.merged
    codes = {reason.code: dict(reason.params) for reason in decision.reasons}
    assert codes["resolution.kvk_shared"] == {"kvk": "49560586"}
    assert codes["resolution.place_same"] == {"place": "Zwolle"}
    assert decision.score == sum(reason.weight for reason in decision.reasons)


def test_same_domain_and_name_across_place_synonyms_merge() -> None:
    result = resolve([
        rec("/1", "Specerijenhandel Vechtdal b.v.", "'s-Gravenhage", ["83037827"], "https://www.specerijenhandelvechtdal.nl"),
        rec("/2", "Specerijenhandel Vechtdal", "Den Haag", website="specerijenhandelvechtdal.nl/", register="senl"),
    ])  # fmt: skip
    assert result.entity_of["pso:/1"] == result.entity_of["senl:/2"]
    assert any(
        reason.code == "resolution.domain_same" and reason.params["domain"] == "specerijenhandelvechtdal.nl"
        for reason in result.merged[0].reasons
    )


def test_a_typo_in_a_long_word_still_matches_but_a_different_short_word_does_not() -> None:
    result = resolve([
        rec("/1", "Klusbedrijf Bos", "Almere", ["10800505"]),
        rec("/2", "Klusebdrijf Bos", "Almere", register="senl"),
        rec("/3", "Bakkerij De Zon", "Almere", ["20800505"]),
        rec("/4", "Bakkerij De Ton", "Almere", register="senl"),
    ])  # fmt: skip
    assert result.entity_of["pso:/1"] == result.entity_of["senl:/2"]
    assert "resolution.name_typo" in {reason.code for reason in result.merged[0].reasons}
    assert result.entity_of["pso:/3"] != result.entity_of["senl:/4"]


def test_same_name_in_two_cities_without_other_evidence_stays_apart() -> None:
    result = resolve([rec("/1", "Groene Kans", "Breda"), rec("/2", "Groene Kans", "Zwolle", register="senl")])
    assert result.entity_of["pso:/1"] != result.entity_of["senl:/2"]
    assert result.review == []


def test_a_chain_of_three_branches_stays_three_enterprises() -> None:
    site = "https://www.tweedekanskringloop.nl"
    result = resolve([
        rec("/1", "Tweede Kans Kringloop", "Zutphen", ["73416348"], site),
        rec("/2", "Tweede Kans Kringloop", "Deventer", ["62448277"], site),
        rec("/3", "Tweede Kans Kringloop", "Apeldoorn", ["39162723"], site),
    ])  # fmt: skip
    assert len(set(entities(result, "/1", "/2", "/3"))) == 3
    assert result.merged == []


def test_one_enterprise_with_two_pso_certificates() -> None:
    shared = resolve([
        rec("/1", "Facilitair Bedrijf De Linde B.V.", "Amersfoort", ["56272098", "16944162"]),
        rec("/2", "Facilitair Bedrijf De Linde", "Amersfoort", ["56272098"]),
    ])  # fmt: skip
    assert len(set(entities(shared, "/1", "/2"))) == 1
    disjoint = resolve([
        rec("/1", "Facilitair Bedrijf De Linde B.V.", "Amersfoort", ["50213254"], "facilitairbedrijfdelinde.eu"),
        rec("/2", "Facilitair Bedrijf De Linde B.V.", "Amersfoort", ["56272098"], "facilitairbedrijfdelinde.eu"),
    ])  # fmt: skip
    assert len(set(entities(disjoint, "/1", "/2"))) == 2, (
        "different KvK numbers are never merged automatically"
    )
    (review,) = disjoint.review
    assert Reason("resolution.kvk_different", {"left": "50213254", "right": "56272098"}, 0.0) in review.reasons


def test_a_record_without_kvk_cannot_bridge_two_kvks() -> None:
    result = resolve([
        rec("/1", "De Kans", "Delft", ["11111111"]),
        rec("/2", "De Kans", "Delft", ["22222222"]),
        rec("/3", "Stichting De Kans", "Delft", register="senl"),
    ])  # fmt: skip
    assert result.entity_of["pso:/1"] != result.entity_of["pso:/2"]


def test_same_input_same_output_in_any_order() -> None:
    records = [
        rec("/1", "Brood & Zin", "Deventer", ["12345678"]),
        rec("/2", "Brood en Zin", "Deventer", register="senl"),
        rec("/3", "Groenwerk", "Enschede"),
    ]
    assert resolve(records).entity_of == resolve(list(reversed(records))).entity_of


def test_incremental_keeps_unchanged_records_on_their_entity() -> None:
    records = [rec("/1", "Brood & Zin", "Deventer", ["12345678"]), rec("/3", "Groenwerk", "Enschede")]
    previous = {"pso:/1": "17", "pso:/3": "23"}
    added = [*records, rec("/2", "Brood en Zin", "Deventer", register="senl")]
    result = resolve(added, previous=previous, dirty={"senl:/2"})
    assert result.entity_of == {"pso:/1": "17", "pso:/3": "23", "senl:/2": "17"}
    assert result.new_entities == set()


def test_coordinator_overrides_win_over_evidence() -> None:
    records = [rec("/1", "De Kans", "Delft", ["11111111"]), rec("/2", "De Kans", "Delft", register="senl")]
    assert resolve(records).entity_of["pso:/1"] == resolve(records).entity_of["senl:/2"]
    split = resolve(records, overrides=[Override("pso:/1", "senl:/2", "split")])
    assert split.entity_of["pso:/1"] != split.entity_of["senl:/2"]
    apart = [rec("/1", "De Kans", "Delft"), rec("/2", "Het Anker", "Leiden", register="senl")]
    merged = resolve(apart, overrides=[Override("pso:/1", "senl:/2", "merge")])
    assert merged.entity_of["pso:/1"] == merged.entity_of["senl:/2"]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("De Groene Vlinder", "Groene Vlidner B.V."),  # article dropped, two letters swapped, legal form
        ("The Upcycle Company", "Upcycle Compnay"),
        ("Stichting Werkplaats Oost", "Werkplaats Osot"),
        ("Het Zilveren Atelier", "Zilveren Ateleir V.O.F."),
    ],
)
def test_same_domain_and_place_merge_names_that_differ_by_an_article_and_a_swap(left: str, right: str) -> None:
    site = "https://www.voorbeeld-onderneming.nl"
    result = resolve([
        rec("/1", left, "Arnhem", ["30100200"], site),
        rec("/2", right, "Arnhem", website=site, register="senl"),
    ])  # fmt: skip
    assert result.entity_of["pso:/1"] == result.entity_of["senl:/2"], result.review


def test_an_article_and_a_swap_never_bridge_disjoint_kvk_numbers() -> None:
    site = "https://www.voorbeeld-onderneming.nl"
    result = resolve([
        rec("/1", "De Groene Vlinder", "Arnhem", ["30100200"], site),
        rec("/2", "Groene Vlidner B.V.", "Arnhem", ["30100299"], site),
    ])  # fmt: skip
    assert result.entity_of["pso:/1"] != result.entity_of["pso:/2"]


def test_an_article_alone_does_not_make_a_short_name_match_in_another_place() -> None:
    result = resolve([rec("/1", "De Zon", "Breda"), rec("/2", "Zon", "Zwolle", register="senl")])
    assert result.entity_of["pso:/1"] != result.entity_of["senl:/2"]
