"""The one input layer (issue 22): every value from outside passes the same rules, whether it came
through a page's form, the API's JSON or a command's JSON file; a bad value is a message in the
reader's language, never a 500, and nothing is stored. Races end in a message too."""

from __future__ import annotations

import json
import re
import subprocess
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace.core.extensions import db
from marketplace.core.web import values
from marketplace.organisations.models import Organisation
from marketplace.procurement.models import Shortlist, ShortlistItem
from marketplace.sroi.models import Contribution, Obligation
from tests.conftest import BACKEND
from tests.factories import code, csrf_token, ingest, login, user

ROOT = Path(__file__).resolve().parents[1]
OBLIGATION = {"title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede",
              "contract_value_excl_vat": "1000000", "starts_on": "2026-01-01", "ends_on": "2027-12-31",
              "region": "Twente", "cpv": ["90910000"]}  # fmt: skip
PURCHASE = {"kind": "purchase", "supplier": "11111111", "invoice_number": "inv-2026-77",
            "invoice_date": "2026-05-02", "amount_excl_vat": "1200"}  # fmt: skip
HIRE = {"kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": "20", "start": "2026-01-01",
        "end": "2026-12-31"}  # fmt: skip


def test_no_view_reads_the_request_outside_the_input_layer() -> None:
    found = subprocess.run(
        ["grep", "-rnE", r"request\.(args|form|values)\b|request\.get_json\(", "marketplace/"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    ).stdout.splitlines()  # fmt: skip
    outside = [line for line in found if "schema" not in line.split(":")[0].rsplit("/", 1)[-1]]
    assert outside == [], "read arguments through marketplace.core.web.input_schema:\n" + "\n".join(outside)


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        (lambda v: values.whole(v, "x"), "²"),
        (lambda v: values.whole(v, "x"), "١٢"),
        (lambda v: values.whole(v, "x", 0, 10), "11"),
        (lambda v: values.day(v, "x"), "9999-12-31"),
        (lambda v: values.day(v, "x"), "1899-12-31"),
        (lambda v: values.decimal(v, "x", 2, 0, 100, True), "1E-1000000"),
        (lambda v: values.decimal(v, "x", 2, 0, 100, True), "0.001"),
        (lambda v: values.decimal(v, "x", 2, 0, 100, True), "NaN"),
        (lambda v: values.clean_text(v, "x"), "a\x00b"),
        (lambda v: values.clean_text(v, "x"), "a\x07b"),
        (lambda v: values.clean_text(v, "x"), "a\x1b[31mb"),
        (lambda v: values.clean_text(v, "x"), "a\ud800b"),
        (lambda v: values.string_list(v, "cpv"), "90910000"),
        (lambda v: values.parse_json(v), "[" * 5000 + "]" * 5000),
        (lambda v: values.parse_json(v), '{"a": NaN}'),
    ],
)
def test_the_rules_refuse_what_cannot_be_taken(rule, value) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(values.BadValue):
        rule(value)


def test_the_rules_take_what_is_fine() -> None:
    assert values.whole("42", "x") == 42
    assert values.day("2100-12-31", "x") == date(2100, 12, 31)
    assert str(values.decimal("5,25", "x", 2, 0, 100, True)) == "5.25"
    assert values.clean_text("regel 1\r\nregel 2\tmet tab", "x") == "regel 1\r\nregel 2\tmet tab"
    assert values.parse_json('{"a": [1, {"b": "c"}]}') == {"a": [1, {"b": "c"}]}


def test_invoice_numbers_in_another_spelling_are_the_same_invoice() -> None:
    spellings = [
        "inv-2026-77",
        "INV‐2026‐77",
        "INV 2026 77",
        "Inv_2026/77",
        "ＩＮＶ－２０２６－７７",
        "inv—2026–77",
    ]
    assert {values.invoice_key(number) for number in spellings} == {"inv202677"}


@pytest.fixture
def contractor(app):  # type: ignore[no-untyped-def]
    ingest(
        code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12))
    )
    user("bouw@aannemer.example", "contractor")
    client = app.test_client()
    login(client, "bouw@aannemer.example")
    obligation_id = client.post("/api/v1/obligations", json=OBLIGATION).get_json()["id"]
    return client, obligation_id


def stored() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Obligation)),
            db.session.scalar(select(func.count()).select_from(Contribution)))  # fmt: skip


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({**OBLIGATION, "ends_on": "9999-12-31"}, "tussen 1900 en 2100"),
        ({**OBLIGATION, "percentage": "1E-1000000"}, "getal"),
        ({**OBLIGATION, "percentage": "0.001"}, "hoogstens 2 cijfers achter de komma"),
        ({**OBLIGATION, "cpv": "90910000"}, "cpv"),
        ({**OBLIGATION, "cpv": ["12345678"]}, "CPV-code 12345678 bestaat niet"),
        ({**OBLIGATION, "title": "Bel\x07 en escape\x1b[31m"}, "stuurteken"),
        ({**OBLIGATION, "title": "nul\x00"}, "NUL"),
    ],
)
def test_bad_obligations_through_the_api_are_a_400_with_a_message(contractor, body: dict, words: str) -> None:
    client, _ = contractor
    before = stored()
    response = client.post("/api/v1/obligations", json=body)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert words.lower() in response.get_json()["error"]["message"].lower()
    assert stored() == before


@pytest.mark.parametrize(
    "raw",
    [
        '{"title": "a\\u0000b"}',
        '{"title": "a\\ud800b"}',
        "[" * 5000 + "]" * 5000,
        '{"a": ' * 5000 + "1" + "}" * 5000,
        '{"title": NaN}',
        "{",
    ],
)
def test_hostile_json_bodies_are_a_400_on_both_databases(contractor, raw: str) -> None:
    client, obligation_id = contractor
    before = stored()
    for path in ("/api/v1/obligations", f"/api/v1/obligations/{obligation_id}/contributions"):
        response = client.post(path, data=raw, content_type="application/json")
        assert response.status_code == 400, (path, raw[:30], response.status_code)
        assert "error" in response.get_json()
    assert stored() == before


def test_the_message_is_in_the_readers_language(contractor) -> None:
    client, _ = contractor
    response = client.post("/api/v1/obligations?lang=en", json={**OBLIGATION, "ends_on": "9999-12-31"})
    assert response.status_code == 400 and "between 1900 and 2100" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({**HIRE, "end": "9999-12-31"}, "tussen 1900 en 2100"),
        ({**HIRE, "hours_per_week": "0.001"}, "achter de komma"),
        ({"kind": "activity", "hours": "0.001"}, "achter de komma"),
        ({**PURCHASE, "invoice_number": "F\x07-1"}, "stuurteken"),
        ({**HIRE, "supplements": "jongere"}, "lijst"),
    ],
)
def test_bad_contributions_through_the_api_are_a_400(contractor, body: dict, words: str) -> None:
    client, obligation_id = contractor
    before = stored()
    response = client.post(f"/api/v1/obligations/{obligation_id}/contributions", json=body)
    assert response.status_code == 400 and words in response.get_json()["error"]["message"], (
        response.get_json()
    )
    assert stored() == before


def test_a_date_in_9999_on_the_form_is_a_message(contractor) -> None:
    client, obligation_id = contractor
    page = f"/opdrachtnemer/verplichtingen/{obligation_id}"
    data = {**HIRE, "end": "9999-12-31", "csrf_token": csrf_token(client, page)}
    data.pop("kind")
    response = client.post(f"{page}/bijdragen/hire", data=data)
    assert response.status_code == 400 and "tussen 1900 en 2100" in response.get_data(as_text=True)
    assert stored() == (1, 0)


def test_the_same_invoice_in_another_spelling_counts_once(contractor) -> None:
    client, obligation_id = contractor
    path = f"/api/v1/obligations/{obligation_id}/contributions"
    assert client.post(path, json=PURCHASE).status_code == 201
    for number in ("INV‐2026‐77", "INV 2026 77", "inv-2026-77"):
        response = client.post(path, json={**PURCHASE, "invoice_number": number})
        assert response.status_code == 400 and "telt al mee" in response.get_json()["error"]["message"]
    assert stored() == (1, 1)


def test_one_form_submission_registers_one_obligation(contractor) -> None:
    client, _ = contractor
    page = "/opdrachtnemer/verplichtingen/nieuw"
    html = client.get(page).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    submission = re.search(r'id="submission" name="submission" type="hidden" value="([0-9a-f]{32})"', html)
    assert submission, "the form carries an idempotency token"
    form = {**OBLIGATION, "cpv": "90910000", "csrf_token": token, "submission": submission.group(1)}
    first, second = client.post(page, data=form), client.post(page, data=form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert stored() == (2, 0)  # the one from the fixture and this one


def signed_in_like(app, client):  # type: ignore[no-untyped-def]
    """Another client with the same cookies (the same signed-in session), for one thread."""
    other = app.test_client()
    for cookie in client._cookies.values():
        other.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return other


@pytest.mark.skipif(BACKEND != "postgresql", reason="real concurrency needs PostgreSQL")
def test_twenty_concurrent_submissions_of_one_invoice_give_one_contribution_and_no_500(
    app, contractor
) -> None:
    client, obligation_id = contractor
    path = f"/api/v1/obligations/{obligation_id}/contributions"
    answers: list[int] = []
    start = threading.Barrier(20)

    def submit(number: str) -> None:
        other = signed_in_like(app, client)
        start.wait()
        answers.append(other.post(path, json={**PURCHASE, "invoice_number": number}).status_code)

    spellings = ["inv-2026-77", "INV‐2026‐77", "INV 2026 77", "INV-2026-77"] * 5
    threads = [threading.Thread(target=submit, args=(number,)) for number in spellings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.remove()
    assert sorted(answers) == [201] + [400] * 19, answers
    assert stored() == (1, 1)


@pytest.mark.skipif(BACKEND != "postgresql", reason="real concurrency needs PostgreSQL")
def test_concurrent_additions_to_a_shortlist_give_one_item_and_no_500(app) -> None:
    ingest(
        code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12))
    )
    user("inkoper@gemeente.example", "procurer")
    client = app.test_client()
    login(client, "inkoper@gemeente.example")
    token = csrf_token(client, "/lijsten/")
    client.post("/lijsten/", data={"name": "Schoonmaak", "csrf_token": token})
    shortlist_id = db.session.scalar(select(Shortlist.id))
    organisation_id = db.session.scalar(select(Organisation.id))
    db.session.remove()
    answers: list[int] = []
    start = threading.Barrier(20)

    def add() -> None:
        other = signed_in_like(app, client)
        start.wait()
        data = {"shortlist_id": shortlist_id, "organisation_id": organisation_id, "csrf_token": token}
        answers.append(other.post("/lijsten/toevoegen", data=data).status_code)

    threads = [threading.Thread(target=add) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.remove()
    assert all(status < 500 for status in answers), answers
    assert db.session.scalar(select(func.count()).select_from(ShortlistItem)) == 1


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({**OBLIGATION, "ends_on": "9999-12-31"}, "tussen 1900 en 2100"),
        ({**OBLIGATION, "percentage": "0.001"}, "achter de komma"),
        ({**OBLIGATION, "cpv": "90910000"}, "lijst"),
        ({**OBLIGATION, "title": "a\u0000b"}, "NUL"),
    ],
)
def test_the_command_line_refuses_the_same_values(app, tmp_path: Path, data: dict, words: str) -> None:
    user("bouw@aannemer.example", "contractor")
    path = tmp_path / "obligation.json"
    path.write_text(json.dumps({**data, "contractor": "bouw@aannemer.example"}), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["sroi", "obligation", "create", "--json", str(path)])
    assert result.exit_code == 2 and words in result.output, result.output
    assert stored() == (0, 0)


def test_deep_json_on_the_command_line_is_refused(app, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"a": ' * 5000 + "1" + "}" * 5000, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["sroi", "obligation", "create", "--json", str(path)])
    assert result.exit_code == 2 and "te diep genest" in result.output, result.output


@pytest.mark.parametrize(
    "path",
    ["/open-data?jaar=²²²²", "/coordinator/logboek?tot=9999-12-31", "/coordinator/wachtrij?ouder_dan=²",
     "/coordinator/monitor?regio=²", "/coordinator/rapportages?regio=²", "/zoeken?q=a%00b", "/?lang=%1b"],
)  # fmt: skip
def test_unicode_digits_and_far_dates_in_query_strings_are_no_500(app, path: str) -> None:
    user("co@regio.example", "coordinator", regions=("Twente",))
    client = app.test_client()
    login(client, "co@regio.example")
    assert client.get(path).status_code < 500


@pytest.mark.parametrize("cpv", ["999", "²³١", "90910000-x", "9"])
def test_an_unknown_cpv_code_on_a_purchase_request_is_a_message(app, cpv: str) -> None:
    from marketplace.procurement.models import PurchaseRequest

    user("inkoper@enschede.nl", "procurer")
    client = app.test_client()
    login(client, "inkoper@enschede.nl")
    token = csrf_token(client, "/inkoopvragen/nieuw")
    response = client.post(
        "/inkoopvragen/nieuw", data={"title": "Lunch", "region": "Twente", "cpv": cpv, "csrf_token": token}
    )
    assert response.status_code == 400 and "CPV-codes zijn cijfers" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PurchaseRequest)) == 0


@pytest.mark.parametrize(("typed", "language", "read"), [
    ("12.000,50", "nl", "12000.50"), ("12,000.50", "en", "12000.50"), ("1.234.567,89", "nl", "1234567.89"),
    ("1,000,000", "nl", "1000000"), ("1.000", "nl", "1000"), ("1,000", "en", "1000"), ("1,000", "nl", "1.000"),
    ("0.001", "nl", "0.001"), ("12,5", "nl", "12.5"),
    # Not groups of three before the decimal mark: left as typed, so no number (the caller refuses it).
    ("36.437.78,1", "nl", "36.437.78,1"), ("1,2.5", "en", "1,2.5"),
])  # fmt: skip
def test_amounts_are_read_as_the_readers_language_writes_them(typed: str, language: str, read: str) -> None:
    assert values.plain_amount(typed, language) == read
