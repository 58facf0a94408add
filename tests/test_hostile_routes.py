"""Hostile input against the whole route table: every GET route with hostile values in its path
and in every query parameter the site reads, and every form with hostile values in every field,
anonymous and signed in as an owner who is also a coordinator and admin. Never a 500, never
a hostile value reflected unescaped. Runs on both databases."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.routing import AnyConverter
from werkzeug.routing.converters import NumberConverter

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.organisations.models import Organisation
from marketplace.organisations.owner_models import OrganisationOwner
from tests.factories import csrf_token, ingest, login, pso, user

SCRIPT = "<script>alert('x')</script>"
HOSTILE = [
    "x" * 5000,
    "a\x00b\x07c\x1bd\r\ne",
    "²³١٢",
    "=HYPERLINK(\"http://evil.example\")",
    SCRIPT,
    "' OR 1=1; DROP TABLE organisations; --",
    "%00%0d%0a%2e%2e%2f",
    "🙂" * 50,
]
QUERY_PARAMETERS = ("q", "pagina", "page", "per_page", "sort", "verlopen", "lang", "next", "register", "label",
                    "impact", "cpv", "province", "region", "municipality", "status", "token")  # fmt: skip
SKIP = {"static", "auth.logout", "auth.delete_account"}  # logging out and deleting end the session under test


def assert_safe(response, where: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, where
    if response.mimetype in ("text/html", "application/json"):
        assert SCRIPT not in response.get_data(as_text=True), f"unescaped reflection at {where}"


def sample_path(app: Flask, rule, value: str, number: int = 2**31) -> str | None:  # type: ignore[no-untyped-def]
    values = {}
    for argument in rule.arguments:
        converter = rule._converters[argument]
        if isinstance(converter, NumberConverter):
            values[argument] = number
        elif isinstance(converter, AnyConverter):
            values[argument] = "csv"
        else:
            values[argument] = value
    try:
        with app.test_request_context():
            from flask import url_for

            return url_for(rule.endpoint, **values)
    except Exception:
        return None


@pytest.fixture
def signed_in(app: Flask):  # type: ignore[no-untyped-def]
    ingest(pso("1-uil", "De Uil", "Enschede", kvk=("11111111",), website="https://deuil.nl"))
    user("alles@x.example", "entrepreneur", "procurer", "contractor", "coordinator", "admin", regions=("Twente",))
    owner = db.session.scalar(select(User))
    db.session.add(OrganisationOwner(organisation_id=db.session.scalar(select(Organisation.id)), user_id=owner.id))
    db.session.commit()
    client = app.test_client()
    assert login(client, "alles@x.example").status_code == 302
    return client


@pytest.mark.slow
@pytest.mark.parametrize("who", ["anonymous", "signed_in"])
def test_hostile_query_strings_and_paths_on_every_get_route(app: Flask, signed_in, who: str) -> None:
    client = signed_in if who == "signed_in" else app.test_client()
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint not in SKIP]
    assert len(rules) > 20
    for rule in rules:
        for value in HOSTILE:
            path = sample_path(app, rule, value) if rule.arguments else rule.rule
            if path is None:
                continue
            response = client.get(path, query_string={name: value for name in QUERY_PARAMETERS})
            assert_safe(response, f"GET {rule.rule} {value[:20]!r}")


ENDS_SESSION = ("/uitloggen", "/account/verwijderen")


def post_forms(html: str, page: str) -> list[tuple[str, list[str]]]:
    """(action, field names) of every POST form on a page, but those that end the session."""
    found = []
    for form in re.finditer(r"<form([^>]*)>(.*?)</form>", html, flags=re.S | re.I):
        attributes, body = form.groups()
        if 'method="post"' not in attributes.lower():
            continue
        action = re.search(r'action="([^"]*)"', attributes)
        target = (action.group(1) if action and action.group(1) else page).replace("&amp;", "&")
        if target.startswith(ENDS_SESSION):
            continue
        found.append((target, sorted(set(re.findall(r'name="([^"]+)"', body)) - {"csrf_token"})))
    return found


@pytest.mark.slow
def test_hostile_values_in_every_field_of_every_form(app: Flask, signed_in) -> None:
    slug, organisation_id = db.session.execute(select(Organisation.slug, Organisation.id)).one()
    forms: dict[str, tuple[str, list[str]]] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIP:
            continue
        path = sample_path(app, rule, slug, number=organisation_id) if rule.arguments else rule.rule
        page = signed_in.get(path) if path else None
        if page is None or page.status_code != 200 or page.mimetype != "text/html":
            continue
        for action, names in post_forms(page.get_data(as_text=True), path):
            forms.setdefault(action.split("?")[0], (path, names))
    assert len(forms) >= 7, sorted(forms)  # account, claim, profile, offering and image forms
    for action, (page, names) in sorted(forms.items()):
        for value in HOSTILE:
            data = {name: value for name in names}
            data["csrf_token"] = csrf_token(signed_in, page)
            assert_safe(signed_in.post(action, data=data), f"POST {action} {value[:20]!r}")
