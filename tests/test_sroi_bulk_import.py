"""Bulk entry (issue 24): the Excel template an obligation gets (a sheet per kind, the rule set's
blocks as a drop-down by name, headers in the reader's language) goes round trip through the
upload; all rows valid are all stored as pending, one bad row stores nothing and the page (the API,
the command line) names sheet, row, column and message in the reader's language. Files are checked
by a real parser: no other format, no macros, nothing too large. Real openpyxl files, the Flask
test client and the database; nothing mocked."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.core.tabular import XLSX_MIMETYPE
from marketplace.sroi.chain import services as chain
from marketplace.sroi.models import Contribution, Obligation
from marketplace.sroi.obligations import services as obligations
from tests.factories import code, csrf_token, ingest, login, pdf, user

MAIN, SUB, STRANGER = "hoofd@bouw.example", "onder@installatie.example", "ander@bouw.example"
OBLIGATION = {"title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede",
              "contract_value_excl_vat": "1000000", "starts_on": "2026-01-01", "ends_on": "2027-12-31",
              "region": "Twente"}  # fmt: skip
BLOCK_NL = "Werkervaringsplek of proefplaatsing"
BLOCK_KEY = "werkervaringsplek_proefplaatsing"


@pytest.fixture
def world(app, client):  # type: ignore[no-untyped-def]
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12)))
    user(MAIN, "contractor")
    user(SUB, "contractor")
    user(STRANGER, "contractor")
    main = db.session.scalar(select(User).where(User.email == MAIN))
    obligation = obligations.create_obligation(main, OBLIGATION)
    login(client, MAIN)
    return {"obligation": obligation, "page": f"/opdrachtnemer/verplichtingen/{obligation.id}/bulk"}


def _template(client, page: str, lang: str = "nl"):  # type: ignore[no-untyped-def]
    response = client.get(f"{page}/sjabloon.xlsx?lang={lang}")
    assert response.status_code == 200 and response.mimetype == XLSX_MIMETYPE
    return load_workbook(io.BytesIO(response.data))


def _filled(book, rows: dict[str, list[list[object]]]) -> bytes:
    """The template with rows appended below the header of the named sheets."""
    for title, lines in rows.items():
        for line in lines:
            book[title].append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, page: str, data: bytes, lang: str = "nl", name: str = "bijdragen.xlsx"):  # type: ignore[no-untyped-def]
    token = csrf_token(client, page)
    return client.post(f"{page}?lang={lang}", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")  # fmt: skip


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Contribution)) or 0


def _problems(html: str) -> list[tuple[str, str, str, str]]:
    """The problems table: (sheet, row, column, message) per row."""
    body = html.split('id="fouten"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td class=\"num\">(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", body)
    return [tuple(cell.replace("&#39;", "'").replace("&amp;", "&") for cell in row) for row in rows]


GOOD = {
    "Inkoop": [["11111111", "F-1", date(2026, 5, 2), 12000], ["Schoonmaakbedrijf De Uil", "F-2", date(2026, 6, 1), 1234.5]],
    "Aanstellingen": [[BLOCK_NL, 18, date(2026, 1, 1), date(2026, 12, 31), None, "P-7"]],
    "Sociale activiteiten": [[6]],
}  # fmt: skip


def test_the_template_goes_round_trip_with_blocks_by_name_and_headers_in_the_readers_language(app, client, world) -> None:
    book = _template(client, world["page"])
    assert book.sheetnames == ["Uitleg", "Inkoop", "Aanstellingen", "Sociale activiteiten", "Keuzelijsten"]
    assert book["Keuzelijsten"].sheet_state == "hidden"
    hires = book["Aanstellingen"]
    assert [c.value for c in hires[1]][:4] == ["Bouwblok", "Uren per week", "In dienst vanaf", "Tot en met"]
    lists = [v for v in hires.data_validations.dataValidation if v.type == "list"]
    assert lists and lists[0].formula1.startswith("'Keuzelijsten'!$A$2") and "A2:A1001" in str(lists[0].sqref)
    names = [row[0].value for row in book["Keuzelijsten"].iter_rows(min_row=2) if row[0].value]
    assert BLOCK_NL in names
    every_cell = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert not any(BLOCK_KEY in value or "_" in value for value in every_cell), "a block key reached the file"

    english = _template(client, world["page"], "en")
    assert english.sheetnames[:4] == ["Explanation", "Purchases", "Hires", "Social activities"]
    assert [c.value for c in english["Purchases"][1]][1:4] == ["Invoice number", "Invoice date", "Invoice amount excl. VAT (euros)"]
    english_names = [row[0].value for row in english["Lists"].iter_rows(min_row=2) if row[0].value]
    assert english_names[0] == "Social assistance (Participatiewet), less than 2 years"
    assert names[0] == "Participatiewet, korter dan 2 jaar uitkering"

    uploaded = _upload(client, world["page"], _filled(book, GOOD))
    assert uploaded.status_code == 302, uploaded.get_data(as_text=True)
    stored = db.session.scalars(select(Contribution).order_by(Contribution.id)).all()
    assert [(c.kind, c.status, c.entered_by_id) for c in stored] == [
        ("purchase", "pending", None), ("purchase", "pending", None), ("hire", "pending", None),
        ("activity", "pending", None)]  # fmt: skip
    assert [c.amount_cents for c in stored[:2]] == [1_200_000, 123_450]
    assert (stored[2].block, stored[2].person_reference, stored[2].starts_on) == (BLOCK_KEY, "P-7", date(2026, 1, 1))
    assert "4 bijdragen vastgelegd" in client.get(uploaded.headers["Location"]).get_data(as_text=True)

    # An English template comes back through a Dutch page just as well (names and headers in either language).
    rows = {"Purchases": [["11111111", "F-3", date(2026, 7, 1), 100]], "Hires": [[english_names[0], 10, date(2026, 2, 1), date(2026, 3, 31)]]}
    again = _upload(client, world["page"], _filled(english, rows))
    assert again.status_code == 302 and _count() == 6


def test_one_bad_row_stores_nothing_and_the_page_names_row_column_and_message_in_dutch_and_english(app, client, world) -> None:
    rows = {**GOOD, "Inkoop": [*GOOD["Inkoop"], ["11111111", "F-9", date(2026, 5, 3), -5]]}
    data = _filled(_template(client, world["page"]), rows)
    refused = _upload(client, world["page"], data)
    assert refused.status_code == 400 and _count() == 0
    assert _problems(refused.get_data(as_text=True)) == [
        ("Inkoop", "4", "Factuurbedrag excl. btw (euro)",
         "Het bedrag bij het factuurbedrag excl. btw moet groter dan nul zijn, in hele centen, en kleiner dan tien miljard.")]  # fmt: skip
    assert "Er is niets vastgelegd" in refused.get_data(as_text=True)
    english = _upload(client, world["page"], data, lang="en")
    assert english.status_code == 400 and _count() == 0
    sheet, row, column, message = _problems(english.get_data(as_text=True))[0]
    assert (sheet, row, column) == ("Inkoop", "4", "Invoice amount excl. VAT (euros)")
    assert "more than zero" in message and "Nothing was recorded" in english.get_data(as_text=True)


def test_a_row_of_nonsense_and_rows_that_contradict_each_other_are_each_named(app, client, world) -> None:
    rows = {
        "Inkoop": [["11111111", "F-1", date(2026, 5, 2), 100], ["11111111", "F 1", date(2026, 5, 9), 200],
                   ["Niemand B.V.", "X", "gisteren", "veel"]],
        "Aanstellingen": [["Astronaut", "heel veel", "ooit", "nooit", "vrijdag", "x"],
                          [BLOCK_NL, 20, date(2026, 6, 1), date(2026, 1, 1)]],
        "Sociale activiteiten": [["=1+1"], [0.001]],
    }  # fmt: skip
    refused = _upload(client, world["page"], _filled(_template(client, world["page"]), rows))
    assert refused.status_code == 400 and _count() == 0
    found = {(sheet, row, column): message for sheet, row, column, message in _problems(refused.get_data(as_text=True))}
    assert found[("Inkoop", "3", "Factuurnummer")] == "Dezelfde regel staat al op regel 2 van dit tabblad."
    assert "Niemand B.V." in found[("Inkoop", "4", "Leverancier (naam, KvK-nummer of adres op Impactmarkt)")]
    assert found[("Aanstellingen", "2", "Bouwblok")] == "Kies een bouwblok uit de lijst; Astronaut staat er niet in."
    assert "vrijdag" in found[("Aanstellingen", "2", "Toeslag (meerdere met ; ertussen)")]
    assert ("Aanstellingen", "3", "Tot en met") in found
    assert ("Sociale activiteiten", "2", "Uren sociale activiteit") in found
    assert ("Sociale activiteiten", "3", "Uren sociale activiteit") in found


def _xlsx_with(extra: dict[str, bytes], content_types: bytes | None = None) -> bytes:
    """A real workbook (openpyxl) with parts added, as Excel writes an .xlsm."""
    plain = io.BytesIO()
    Workbook().save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml" and content_types:
                data = data.replace(b"</Types>", content_types + b"</Types>")
            target.writestr(item, data)
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (pdf(), "geen Excel-bestand"),
        (b"leverancier;factuur\n11111111;F-1\n", "geen Excel-bestand"),
        (b"PK\x03\x04" + b"\x00" * 100, "geen Excel-bestand"),
        (_xlsx_with({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}), "macro"),
        (_xlsx_with({}, b'<Override PartName="/xl/workbook.xml" '
                        b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'), "macro"),
        (_xlsx_with({"xl/macrosheets/sheet1.xml": b"<xm/>"}), "macro"),
        (b"PK\x03\x04" + b"\x00" * (2 * 1024 * 1024), "te groot"),
        (_xlsx_with({}), "geen ingevulde regels"),
    ],
)
def test_files_that_are_not_a_plain_workbook_are_refused_in_words(app, client, world, data: bytes, words: str) -> None:
    refused = _upload(client, world["page"], data)
    assert refused.status_code == 400 and words in refused.get_data(as_text=True)
    assert _count() == 0


def test_who_may_download_and_import_through_pages_the_api_and_the_command_line(app, client, world, tmp_path: Path) -> None:
    obligation: Obligation = world["obligation"]
    data = _filled(_template(client, world["page"]), {"Sociale activiteiten": [[3]], "Inkoop": [GOOD["Inkoop"][0]]})
    stranger = app.test_client()
    login(stranger, STRANGER)
    for path in (world["page"], f"{world['page']}/sjabloon.xlsx", f"/api/v1/obligations/{obligation.id}/import/template"):
        assert stranger.get(path).status_code == 404, path
    token = csrf_token(stranger, "/opdrachtnemer/keten")
    posted = stranger.post(world["page"], data={"csrf_token": token, "file": (io.BytesIO(data), "b.xlsx")},
                           content_type="multipart/form-data")  # fmt: skip
    api = stranger.post(f"/api/v1/obligations/{obligation.id}/import", data={"file": (io.BytesIO(data), "b.xlsx")},
                        content_type="multipart/form-data")  # fmt: skip
    assert (posted.status_code, api.status_code, _count()) == (404, 404, 0)
    assert app.test_client().get(f"/api/v1/obligations/{obligation.id}/import/template").status_code == 401

    # A subcontractor imports on their invitation: entered by them; once ended, refused.
    main = db.session.scalar(select(User).where(User.email == MAIN))
    sub_user = db.session.scalar(select(User).where(User.email == SUB))
    invitation = chain.invite(main, obligation, SUB)
    sub = app.test_client()
    login(sub, SUB)
    sub.post(f"/opdrachtnemer/keten/uitnodiging/{chain.token_for(invitation)}",
             data={"csrf_token": csrf_token(sub, "/opdrachtnemer/keten")})  # fmt: skip
    sub_page = f"/opdrachtnemer/keten/{invitation.id}/bulk"
    assert sub.get(f"{sub_page}/sjabloon.xlsx").status_code == 200
    assert _upload(sub, sub_page, data).status_code == 302
    assert [c.entered_by_id for c in db.session.scalars(select(Contribution))] == [sub_user.id, sub_user.id]
    chain.end(main, obligation, invitation.id)
    ended = _upload(sub, sub_page, _filled(_template(client, world["page"]), {"Sociale activiteiten": [[4]]}))
    assert ended.status_code == 400 and "beëindigd" in ended.get_data(as_text=True) and _count() == 2

    # The API for the signed-in main contractor: 201 with ids, or 422 with every problem and nothing stored.
    good = _filled(_template(client, world["page"]), {"Sociale activiteiten": [[2], [5]]})
    made = client.post(f"/api/v1/obligations/{obligation.id}/import", data={"file": (io.BytesIO(good), "b.xlsx")},
                       content_type="multipart/form-data")  # fmt: skip
    assert made.status_code == 201 and made.get_json()["stored"] == 2 and _count() == 4
    bad = _filled(_template(client, world["page"]), {"Sociale activiteiten": [[2], ["nul"]]})
    refused = client.post(f"/api/v1/obligations/{obligation.id}/import?lang=en",
                          data={"file": (io.BytesIO(bad), "b.xlsx")}, content_type="multipart/form-data")  # fmt: skip
    assert refused.status_code == 422 and _count() == 4
    assert refused.get_json()["problems"] == [{"sheet": "Sociale activiteiten", "row": 3, "column": "Hours of social activity",
                                               "message": refused.get_json()["problems"][0]["message"]}]  # fmt: skip
    assert "hours" in refused.get_json()["problems"][0]["message"]
    document = client.get("/api/v1/openapi.json").get_json()
    assert {"/obligations/{obligation_id}/import", "/obligations/{obligation_id}/import/template"} <= set(document["paths"])

    # The command line: JSON out; a refusal in words with a non-zero exit; nothing stored then.
    runner = app.test_cli_runner()
    (tmp_path / "good.xlsx").write_bytes(_filled(_template(client, world["page"]), {"Sociale activiteiten": [[1]]}))
    (tmp_path / "bad.xlsx").write_bytes(bad)
    (tmp_path / "nope.xlsx").write_bytes(b"niet echt")
    result = runner.invoke(args=["sroi", "import", "--obligation", str(obligation.id), str(tmp_path / "good.xlsx")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stored"] == 1
    result = runner.invoke(args=["sroi", "import", "--obligation", str(obligation.id), str(tmp_path / "bad.xlsx")])
    assert result.exit_code == 2 and json.loads(result.stdout)["problems"][0]["row"] == 3
    result = runner.invoke(args=["sroi", "import", "--obligation", str(obligation.id), str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 2 and "geen Excel-bestand" in result.stderr
    result = runner.invoke(args=["sroi", "import", "--obligation", "999999", str(tmp_path / "good.xlsx")])
    assert result.exit_code == 2 and "geen verplichting" in result.stderr
    db.session.remove()
    assert _count() == 5
