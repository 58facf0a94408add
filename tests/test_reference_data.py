"""Every current municipality has a province and one of the 35 labour-market regions."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.core.extensions import db
from marketplace.core.geography import CpvCategory, LabourMarketRegion, Municipality, Province
from marketplace.reference.services import load_reference_data, municipality_names
from matching.places import PlaceResolver


def test_counts_match_the_official_division(app) -> None:
    assert db.session.scalar(select(func.count()).select_from(Municipality)) == 342
    assert db.session.scalar(select(func.count()).select_from(LabourMarketRegion)) == 35
    assert db.session.scalar(select(func.count()).select_from(Province)) == 12
    assert (
        db.session.scalar(
            select(func.count()).select_from(CpvCategory).where(CpvCategory.parent_code.is_(None))
        )
        == 45
    )


def test_twente_holds_its_fourteen_municipalities(app) -> None:
    twente = db.session.scalar(select(LabourMarketRegion).where(LabourMarketRegion.name == "Twente"))
    assert twente is not None
    assert sorted(m.name for m in twente.municipalities) == [
        "Almelo",
        "Borne",
        "Dinkelland",
        "Enschede",
        "Haaksbergen",
        "Hellendoorn",
        "Hengelo",
        "Hof van Twente",
        "Losser",
        "Oldenzaal",
        "Rijssen-Holten",
        "Tubbergen",
        "Twenterand",
        "Wierden",
    ]


def test_loading_twice_changes_nothing(app) -> None:
    before = db.session.execute(select(Municipality.id, Municipality.name, Municipality.region_id)).all()
    load_reference_data()
    after = db.session.execute(select(Municipality.id, Municipality.name, Municipality.region_id)).all()
    assert sorted(before) == sorted(after)


def test_register_place_names_resolve_to_municipalities(app) -> None:
    resolver = PlaceResolver(municipality_names())
    assert resolver.municipality_for("Den Haag") == "'s-Gravenhage"
    assert resolver.municipality_for("'s Hertogenbosch") == "'s-Hertogenbosch"
    assert resolver.municipality_for("Den Bosch") == "'s-Hertogenbosch"
    assert resolver.municipality_for("Alphen a/d Rijn") == "Alphen aan den Rijn"
    assert resolver.municipality_for("Hoofddorp") == "Haarlemmermeer"
    assert resolver.municipality_for("SÚDWEST-FRYSLAN") == "Súdwest-Fryslân"
    assert resolver.municipality_for("Atlantis") is None
