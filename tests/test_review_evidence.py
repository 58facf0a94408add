"""Issue 23: evidence a coordinator can open. Files are checked by real parsers (pypdf, Pillow)
before they are kept, kept only once their contribution is committed (a refused submission leaves
nothing on disk), served as downloads with their real type to the contractor and the region's
coordinators only, and every opening of a hire document is in the audit log."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from sqlalchemy import func, select

from marketplace.core.audit_model import AuditLogEntry
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import Contribution
from marketplace.sroi.obligations import evidence
from tests.factories import code, ingest, login, pdf, post_form, user

CONTRACTOR = "bouw@aannemer.example"
OTHER_CONTRACTOR = "ander@aannemer.example"
TWENTE = "twente@regio.example"
UTRECHT = "utrecht@regio.example"


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _base() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    return writer


def with_javascript() -> bytes:
    """A document-level script in the catalogue's name tree (what add_js wrote in older pypdf)."""
    writer = _base()
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert('hallo');")})  # fmt: skip
    names = ArrayObject([TextStringObject("hallo"), writer._add_object(script)])
    tree = DictionaryObject({NameObject("/Names"): names})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    return _written(writer)


def with_open_action() -> bytes:
    writer = _base()
    action = DictionaryObject({NameObject("/S"): NameObject("/URI"),
                               NameObject("/URI"): TextStringObject("https://evil.example")})  # fmt: skip
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def encrypted() -> bytes:
    writer = _base()
    writer.encrypt("geheim")
    return _written(writer)


def with_attachment() -> bytes:
    writer = _base()
    writer.add_attachment("virus.exe", b"MZ\x90\x00")
    return _written(writer)


def polyglot() -> bytes:
    """A PDF that is also a web page: markup in a comment after the header."""
    real = pdf()
    header, rest = real.split(b"\n", 1)
    return header + b"\n%<html><body><script>alert(document.cookie)</script></body></html>\n" + rest


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [with_javascript(), with_open_action(), encrypted(), with_attachment(), polyglot(),
     b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", b"%PDF-1.7\nniets\n%%EOF", png()[:60],
     b"<html><script>alert(1)</script></html>", b"", b"GIF89a<script>"],
    ids=["javascript", "open-action", "encrypted", "embedded-file", "pdf-html-polyglot", "no-pages",
         "not-parseable", "cut-off-png", "html", "empty", "fake-gif"],
)  # fmt: skip
def test_pypdf_and_pillow_refuse_what_is_not_a_plain_document(app, data: bytes) -> None:
    with pytest.raises(ServiceError):
        evidence.check(data)


def test_plain_pdfs_and_images_pass(app) -> None:
    assert evidence.check(pdf()).extension == "pdf"
    assert evidence.check(png()).extension == "png"


def _files(app) -> list[Path]:
    folder = Path(app.instance_path) / "evidence"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def page(app, client) -> str:
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"]))
    user(CONTRACTOR, "contractor")
    user(OTHER_CONTRACTOR, "contractor")
    user(TWENTE, "coordinator", regions=("Twente",))
    user(UTRECHT, "coordinator", regions=("Midden-Utrecht",))
    login(client, CONTRACTOR)
    created = post_form(client, "/opdrachtnemer/verplichtingen/nieuw", {
        "title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede",
        "contract_value_excl_vat": "1.000.000", "starts_on": "2026-01-01", "ends_on": "2027-12-31",
        "region": "Twente", "cpv": "90910000"})  # fmt: skip
    assert created.status_code == 302
    return created.headers["Location"]


def _purchase(client, page: str, number: str, upload: bytes, **changes):  # type: ignore[no-untyped-def]
    data = {"supplier": "11111111", "invoice_number": number, "invoice_date": "2026-05-02",
            "amount_excl_vat": "1.000,00", "document_invoice": (io.BytesIO(upload), "factuur.pdf"), **changes}  # fmt: skip
    return post_form(client, f"{page}/bijdragen/purchase", data, page=page, content_type="multipart/form-data")


def test_a_refused_submission_leaves_no_file_behind(app, client, page) -> None:
    before = _files(app)  # the instance folder may hold other tests' files
    refusals = [
        ("F-1", pdf(), {"supplier": "Niemand B.V."}),  # a good file, a bad contribution
        ("F-2", pdf(), {"amount_excl_vat": "-5"}),
        ("F-3", with_javascript(), {}),  # a bad file
        ("F-4", polyglot(), {}),
    ]
    for number, upload, changes in refusals:
        assert _purchase(client, page, number, upload, **changes).status_code == 400
    assert _files(app) == before
    assert _purchase(client, page, "F-5", pdf()).status_code == 302
    assert _purchase(client, page, "F-5", pdf()).status_code == 400  # the same invoice twice
    assert len(_files(app)) == len(before) + 1
    assert db.session.scalar(select(func.count()).select_from(Contribution)) == 1


def test_the_contractor_and_the_regions_coordinators_open_the_file_and_nobody_else(app, client, page) -> None:
    upload = pdf("Factuur F-9")
    assert _purchase(client, page, "F-9", upload).status_code == 302
    stored = db.session.scalar(select(Contribution))
    invoice = stored.documents[0]
    assert invoice.document == "invoice"
    path = f"/opdrachtnemer/bijdragen/{stored.id}/documenten/{invoice.id}"
    own = client.get(path)
    assert own.status_code == 200 and own.data == upload
    assert own.mimetype == "application/pdf"
    assert own.headers["Content-Disposition"].startswith("attachment;")
    assert own.headers["X-Content-Type-Options"] == "nosniff"
    assert path in client.get(page).get_data(as_text=True)
    client.post("/uitloggen", data={})
    client.delete_cookie("session")

    login(client, TWENTE)
    queue = client.get("/coordinator/wachtrij").get_data(as_text=True)
    link = f"/coordinator/bijdragen/{stored.id}/documenten/{invoice.id}"
    assert link in queue and ">Factuur<" in queue  # the document by its name
    opened = client.get(link)
    assert opened.status_code == 200 and opened.data == upload
    assert opened.headers["Content-Disposition"].startswith("attachment;")
    assert opened.headers["X-Content-Type-Options"] == "nosniff"
    client.delete_cookie("session")

    for outsider in (UTRECHT, OTHER_CONTRACTOR):
        login(client, outsider)
        assert client.get(link).status_code in (403, 404)
        assert client.get(path).status_code in (403, 404)
        client.delete_cookie("session")
    login(client, UTRECHT)
    assert client.get(link).status_code == 404  # a coordinator elsewhere: as if it did not exist
    client.delete_cookie("session")
    login(client, OTHER_CONTRACTOR)
    assert client.get(path).status_code == 404
    signed_out = app.test_client()
    assert signed_out.get(link).status_code == 302 and signed_out.get(path).status_code == 302


def test_every_opening_of_a_hire_document_is_in_the_audit_log(app, client, page) -> None:
    hired = post_form(client, f"{page}/bijdragen/hire", {
        "block": "participatiewet_over_2y", "hours_per_week": "18", "start": "2026-01-01", "end": "2026-12-31",
        "document_target_group_statement": (io.BytesIO(pdf("Doelgroepverklaring")), "verklaring.pdf"),
        "document_employment_contract": (io.BytesIO(pdf("Arbeidscontract")), "contract.pdf")},
        page=page, content_type="multipart/form-data")  # fmt: skip
    assert hired.status_code == 302, hired.get_data(as_text=True)
    stored = db.session.scalar(select(Contribution).where(Contribution.kind == "hire"))
    statement, contract = stored.documents
    client.delete_cookie("session")
    login(client, TWENTE)
    for document in (statement, contract):
        assert client.get(f"/coordinator/bijdragen/{stored.id}/documenten/{document.id}").status_code == 200
    openings = db.session.scalar(
        select(func.count()).select_from(AuditLogEntry).where(
            AuditLogEntry.action == "evidence.opened", AuditLogEntry.subject_id == str(stored.id)
        )
    )
    assert openings == 2
