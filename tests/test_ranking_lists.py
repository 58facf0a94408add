"""Issue 25: the suppliers that fit but lie further away than the need asks are listed apart with
their kilometres, and suppliers whose counting is unknown come after those that count (never
hidden): in matching.ranking alone and on the contractor's suppliers page."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.core.geography import LabourMarketRegion
from marketplace.organisations.models import Organisation
from marketplace.procurement import supplier_matching
from marketplace.sroi.models import Obligation
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.rulesets import company_lists
from matching.analysis import index_terms
from matching.labels import LabelFacts
from matching.places import kilometres, position
from matching.ranking import Candidate, CandidatePool, Need, rank, rank_lists
from matching.ranking.weights import FAR_KM
from matching.sroi import parse, published
from tests.factories import code, ingest, login, user

OOST = parse(published()["oost-nederland-bouwblokken-v05"][-1], 1)
CODE = LabelFacts("code", "Toegelaten", False, "active", valid_from=date(2021, 3, 1))
PSO = LabelFacts("pso", "Trede 2", False, "active", valid_from=date(2025, 1, 1), valid_until=date(2029, 1, 1))
TWENTE = ("Enschede", "Twente", "Overijssel")


def supplier(number: int, name: str, offer: str, labels=(CODE,), place=TWENTE) -> Candidate:  # type: ignore[no-untyped-def]
    return Candidate(number, f"s-{number}", name, frozenset(index_terms(offer)), (), tuple(labels), *place)


def cleaning(**values) -> Need:  # type: ignore[no-untyped-def]
    return Need("schoonmaak", (), date(2026, 1, 1), date(2027, 12, 31), OOST, "Enschede", "Twente",
                "Overijssel", Decimal("50000.00"), date(2026, 11, 1), **values)  # fmt: skip


def pool() -> CandidatePool:
    return CandidatePool([
        supplier(1, "Hier", "schoonmaak"),
        supplier(2, "Pso hier", "schoonmaak", labels=(PSO,)),  # V05 does not say what PSO counts
        supplier(3, "Deventer", "schoonmaak", place=("Deventer", "Stedendriehoek en Noordwest Veluwe", "Overijssel")),
        supplier(4, "Utrecht", "schoonmaak", place=("Utrecht", "Midden-Utrecht", "Utrecht")),
        supplier(5, "Groningen", "schoonmaak kantoren", place=("Groningen", "Groningen", "Groningen")),
        supplier(6, "Nergens", "schoonmaak", place=(None, None, None)),
        supplier(7, "Bakker", "bakkerij en catering"),
    ])  # fmt: skip


def test_suppliers_beyond_the_distance_asked_are_listed_apart_with_their_kilometres() -> None:
    enschede = position("Enschede")
    assert enschede and kilometres(enschede, position("Deventer")) < FAR_KM < kilometres(
        enschede, position("Utrecht")
    )  # type: ignore[arg-type]
    lists = rank_lists(cleaning(), pool())
    near = [item.candidate.name for item in lists.near]
    further = [item.candidate.name for item in lists.further]
    assert set(near) == {"Hier", "Pso hier", "Deventer", "Nergens"}  # an unknown place is not called far
    assert set(further) == {"Utrecht", "Groningen"} and (lists.near_count, lists.further_count) == (4, 2)
    for item in lists.further:
        distance = item.part("distance").reason
        assert distance.code == "ranking.distance_km" and distance.params["km"] > FAR_KM
        assert item.part("fit").reason.params["quotes"]  # it fits: its own words say so
    # every supplier that fits is in one of the lists, as in rank() which keeps them together
    everyone = {item.candidate.name for item in rank(cleaning(), pool(), limit=None)}
    assert everyone == set(near) | set(further)
    # the need may ask for a shorter distance: then Deventer is further away too
    closer = rank_lists(cleaning(within_km=20.0), pool())
    assert "Deventer" in {i.candidate.name for i in closer.further}
    assert "Deventer" not in {i.candidate.name for i in closer.near}
    # the limits apply per list, the counts do not
    short = rank_lists(cleaning(), pool(), limit=1, further_limit=1)
    assert (len(short.near), len(short.further), short.near_count, short.further_count) == (1, 1, 4, 2)


def test_suppliers_whose_counting_is_unknown_come_after_those_that_count_and_are_not_hidden() -> None:
    lists = rank_lists(cleaning(), pool())
    codes = [item.part("counts").reason.code for item in lists.near]
    assert "ranking.counts_unknown" in codes  # shown, marked by its reason
    first_unknown = codes.index("ranking.counts_unknown")
    assert all(code == "ranking.counts" for code in codes[:first_unknown])
    assert all(code == "ranking.counts_unknown" for code in codes[first_unknown:])
    by_name = {item.candidate.name: item for item in lists.near}
    # Pso hier is nearer than Deventer and scores higher without counts, yet comes after it
    assert by_name["Pso hier"].score > by_name["Deventer"].score
    names = [item.candidate.name for item in lists.near]
    assert names.index("Deventer") < names.index("Pso hier")
    assert [i.candidate.name for i in rank(cleaning(), pool())][-1] == "Pso hier"


def test_the_page_lists_suppliers_further_away_apart_and_marks_unknown_counting(app, client) -> None:
    ingest(
        code("glans", "Glans Schoonmaak", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12),
             sectors=["Schoonmaak"], mission="Schoonmaak van kantoren en scholen"),
        code("ver", "Verre Schoonmaak", "Maastricht", kvk=["44444444"], valid_from=date(2021, 3, 12),
             sectors=["Schoonmaak"], mission="Schoonmaak van kantoren"),
    )  # fmt: skip
    user("bouw@aannemer.example", "contractor")
    contractor = db.session.scalar(select(User).where(User.email == "bouw@aannemer.example"))
    obligation = obligations.create_obligation(contractor, {
        "title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede",
        "contract_value_excl_vat": "1000000", "starts_on": "2026-01-01", "ends_on": "2027-12-31",
        "region": "Twente", "needs": "schoonmaak van kantoren"})  # fmt: skip
    login(client, "bouw@aannemer.example")
    page = client.get(f"/opdrachtnemer/verplichtingen/{obligation.id}/leveranciers").get_data(as_text=True)
    main = page[page.index('id="ranglijst"') : page.index('id="verder-weg"')]
    further = page[page.index('id="verder-weg"') :]
    assert "Glans Schoonmaak" in main and "Verre Schoonmaak" not in main
    assert "Verder weg dan 60 km" in further and "Verre Schoonmaak" in further
    assert "1 leverancier past ook bij wat u zoekt, maar zit verder weg dan 60 km van het werk." in further
    assert " km (Maastricht" in further and "‘Schoonmaak" in further  # its kilometres and its own words
    assert "Verre Schoonmaak op mijn lijst zetten" in further
    english = client.get(f"/opdrachtnemer/verplichtingen/{obligation.id}/leveranciers?lang=en").get_data(
        as_text=True
    )
    assert "Further away than 60 km" in english and "but lies more than 60 km from the work" in english


def test_a_company_on_the_regions_list_of_sw_companies_counts_there_and_only_there(app, client) -> None:
    """Issue 28: a region's list of SW companies is a label the ranking reads, like a register's.
    Rijnvicus (Rivierenland) counts purchases from SW companies only ("Bij dienstverlening of
    productie door een SW-bedrijf geldt de waarde van de betaalde rekeningen exclusief btw."): an
    enterprise on Rivierenland's list counts in full for a Rivierenland obligation, and the same
    enterprise counts nothing as an SW company in Twente, whose coordinators did not list it."""
    ingest(code("werk", "Werkbedrijf Tiel", "Tiel", level="Aspirant", kvk=["66666666"],
                sectors=["Schoonmaak"], mission="Schoonmaak van kantoren door mensen met een arbeidsbeperking"))  # fmt: skip
    user("bouw@aannemer.example", "contractor")
    user("sroi@rivierenland.example", "coordinator", regions=("Rivierenland",))
    contractor = db.session.scalar(select(User).where(User.email == "bouw@aannemer.example"))
    coordinator = db.session.scalar(select(User).where(User.email == "sroi@rivierenland.example"))

    def obligation_in(region: str, authority: str) -> int:
        return obligations.create_obligation(contractor, {
            "title": f"Onderhoud {region}", "contracting_authority": authority,
            "contract_value_excl_vat": "1000000", "starts_on": "2026-01-01", "ends_on": "2027-12-31",
            "region": region, "needs": "schoonmaak van kantoren"}).id  # fmt: skip

    rivierenland, twente = obligation_in("Rivierenland", "Gemeente Tiel"), obligation_in("Twente", "Gemeente Enschede")
    login(client, "bouw@aannemer.example")

    def shown(obligation_id: int) -> str:
        return client.get(f"/opdrachtnemer/verplichtingen/{obligation_id}/leveranciers").get_data(as_text=True)

    assert "Werkbedrijf Tiel" not in shown(rivierenland)  # a Code Aspirant counts nothing in Rijnvicus' table
    werkbedrijf = db.session.scalar(select(Organisation).where(Organisation.name == "Werkbedrijf Tiel"))
    region_id = db.session.scalar(select(LabourMarketRegion.id).where(LabourMarketRegion.name == "Rivierenland"))
    company_lists.add(coordinator, region_id, "sw_company", kvk="66666666", name="Werkbedrijf Tiel",
                      source="besluit van het college, 2024")  # fmt: skip
    page = html.unescape(shown(rivierenland))
    assert "Werkbedrijf Tiel" in page
    assert "inkoop telt 100 procent mee onder SROI bouwblokkenmethode, Rijnvicus" in " ".join(page.split())
    assert "SW-bedrijf (op de lijst van de regio), zonder einddatum" in page
    assert werkbedrijf.id not in {
        item.candidate.organisation_id
        for item in supplier_matching.ranking_for(db.session.get(Obligation, twente), top=50)[1]
        if item.share > 0
    }
