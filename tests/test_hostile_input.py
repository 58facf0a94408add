"""Hostile input on every form: a clear message, nothing changed, never a 500."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.organisations.models import Organisation
from marketplace.organisations.owner_models import (
    Claim,
    Offering,
    OrganisationImage,
    OrganisationOwner,
    ProfileVersion,
)
from tests.factories import csrf_token, ingest, login, pso, user

SCRIPT = "<script>alert('x')</script>"
SQL = "'; DROP TABLE organisations; --"
LONG = "x" * 20_000


def counts() -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in
                 (User, Claim, OrganisationOwner, Offering, OrganisationImage, ProfileVersion))  # fmt: skip


@pytest.fixture
def owner_client(app):  # type: ignore[no-untyped-def]
    ingest(pso("1-uil", "De Uil", "Enschede", kvk=("11111111",), website="https://deuil.nl"))
    uil = db.session.scalar(select(Organisation))
    user("eigenaar@x.example", "entrepreneur")
    db.session.add(OrganisationOwner(organisation_id=uil.id, user_id=db.session.scalar(select(User.id))))
    db.session.commit()
    client = app.test_client()
    login(client, "eigenaar@x.example")
    return client, uil.id, uil.slug


def post(client, path: str, data: dict, page: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
    response = client.post(path, data={**data, "csrf_token": csrf_token(client, page or path)}, **kwargs)
    assert response.status_code < 500, (path, data)
    return response


@pytest.mark.parametrize(
    "fields",
    [
        {"email": SCRIPT, "name": "A", "role": "procurer", "password": "x" * 12, "password_again": "x" * 12},
        {
            "email": f"a{SQL}@b",
            "name": SQL,
            "role": "procurer",
            "password": "x" * 12,
            "password_again": "x" * 12,
        },
        {
            "email": "a@b.example",
            "name": LONG,
            "role": "procurer",
            "password": "x" * 12,
            "password_again": "x" * 12,
        },
        {
            "email": "a@b.example",
            "name": "A",
            "role": "procurer",
            "password": "kort",
            "password_again": "kort",
        },
        {
            "email": "a@b.example",
            "name": "A",
            "role": "admin",
            "password": "x" * 12,
            "password_again": "x" * 12,
        },
        {"email": "a@@b", "name": "A", "role": "procurer", "password": "x" * 12, "password_again": "y" * 12},
    ],
)
def test_registration_refuses_bad_input(client, fields: dict) -> None:
    before = counts()
    response = post(client, "/registreren", fields)
    assert response.status_code == 200 and 'class="field-error"' in response.get_data(as_text=True)
    assert counts() == before


@pytest.mark.parametrize("path", ["/inloggen", "/wachtwoord-vergeten"])
@pytest.mark.parametrize("email", [SCRIPT, SQL, LONG, "geen-adres"])
def test_login_and_reset_refuse_bad_addresses(client, path: str, email: str) -> None:
    response = post(client, path, {"email": email, "password": "x"})
    assert "field-error" in response.get_data(as_text=True) or "horen niet bij elkaar" in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_email", "niet-een-adres", "geen geldig e-mailadres"),
        ("contact_postcode", "12345", "Nederlandse postcode"),
        ("contact_postcode", SQL, "Nederlandse postcode"),
        ("contact_phone", SCRIPT, "telefoonnummer"),
        ("description", LONG, "5000"),
        ("contact_name", LONG, "120"),
        ("regions_served", "Atlantis", "ongeldige keuze"),
    ],
)
def test_profile_form_refuses_bad_input_and_changes_nothing(
    owner_client, field: str, value: str, message: str
) -> None:
    client, organisation_id, _ = owner_client
    before = counts()
    page = f"/ondernemer/{organisation_id}/bewerken"
    response = post(client, page, {field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Niet opgeslagen" in html and message.lower() in html.lower()
    assert counts() == before
    assert db.session.get(Organisation, organisation_id).field_sources == {}


def test_script_in_rich_text_is_removed_not_stored(owner_client) -> None:
    client, organisation_id, _slug = owner_client
    post(
        client,
        f"/ondernemer/{organisation_id}/bewerken",
        {"description": f"<p>Hallo</p>{SCRIPT}<a href='javascript:alert(1)'>x</a>"},
    )
    stored = db.session.get(Organisation, organisation_id).description
    assert "script" not in stored and "javascript" not in stored and stored.startswith("<p>Hallo")


@pytest.mark.parametrize(
    "fields",
    [
        {"cpv_code": "999", "title": "A"},
        {"cpv_code": "909", "title": ""},
        {"cpv_code": "909", "title": LONG},
        {"cpv_code": SQL, "title": SCRIPT},
    ],
)
def test_offering_form_refuses_bad_input(owner_client, fields: dict) -> None:
    client, organisation_id, _ = owner_client
    before = counts()
    response = post(
        client,
        f"/ondernemer/{organisation_id}/aanbod",
        fields,
        page=f"/ondernemer/{organisation_id}/bewerken",
    )
    assert response.status_code == 200 and "Niet opgeslagen" in response.get_data(as_text=True)
    assert counts() == before


def _png(size: tuple[int, int] = (10, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("payload", "name", "message"),
    [
        (b"<?php system($_GET['c']); ?>", "logo.png", "geen afbeelding"),
        (b"%PDF-1.4 fake", "foto.jpg", "geen afbeelding"),
        (b"GIF89a" + b"\x00" * 10, "logo.gif", "geen afbeelding"),
        (_png()[:40], "kapot.png", "geen afbeelding"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * (3 * 1024 * 1024), "groot.png", "te groot"),
    ],
)
def test_uploads_are_checked_by_content_and_size(
    owner_client, payload: bytes, name: str, message: str
) -> None:
    client, organisation_id, _ = owner_client
    before = counts()
    response = post(client, f"/ondernemer/{organisation_id}/afbeelding",
                    {"kind": "logo", "alt_text": "Logo", "image": (io.BytesIO(payload), name)},
                    page=f"/ondernemer/{organisation_id}/bewerken", content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert counts() == before


def test_an_upload_over_the_request_limit_gets_a_clear_page(owner_client) -> None:
    client, organisation_id, _ = owner_client
    response = client.post(f"/ondernemer/{organisation_id}/afbeelding", data={"image": (io.BytesIO(b"0" * (9 * 1024 * 1024)), "x.png")},
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 413 and "te groot" in response.get_data(as_text=True)


@pytest.mark.parametrize("code", ["abcdef", "12345", SCRIPT, LONG])
def test_claim_forms_refuse_bad_input(owner_client, app, code: str) -> None:
    ingest(pso("2-glans", "Glans", "Hengelo", kvk=("22222222",), website="https://glans.nl"))
    slug = db.session.scalar(select(Organisation.slug).where(Organisation.name == "Glans"))
    other = app.test_client()
    user("ander@x.example", "contractor")
    login(other, "ander@x.example")
    before = counts()
    page = f"/ondernemer/claim/{slug}"
    assert "field-error" in post(other, f"{page}/code", {"email": code}, page=page).get_data(as_text=True)
    assert "field-error" in post(other, f"{page}/beoordeling", {"motivation": LONG}, page=page).get_data(
        as_text=True
    )
    assert counts() == before


def test_regions_are_check_boxes_that_need_no_ctrl_click(owner_client) -> None:
    client, organisation_id, _slug = owner_client
    page = client.get(f"/ondernemer/{organisation_id}/bewerken").get_data(as_text=True)
    assert 'type="checkbox"' in page and 'name="regions_served"' in page
    assert "Ctrl" not in page and "<select multiple" not in page
