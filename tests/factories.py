"""Build test data through the real services (ingest, accounts), never by faking them."""

from __future__ import annotations

import io
import re
from datetime import date

from flask.testing import FlaskClient

from marketplace.accounts import services as accounts
from marketplace.registers.ingest import IngestOutcome, ingest_report
from matching.records import RegisterRecord
from scrapers.report import CrawlReport

PASSWORD = "een-lang-wachtwoord-42"


def pso(
    key: str, name: str, city: str, level: str = "Trede 2", kvk: tuple[str, ...] = (), **extra
) -> RegisterRecord:
    dates = {"valid_from": date(2025, 1, 1), "valid_until": date(2027, 1, 1)} | extra
    return RegisterRecord(
        register="pso", record_key=f"/organisatie/{key}.html", name=name, level=level, kvk=list(kvk), city=city,
        source_url=f"https://pso.example/organisatie/{key}.html", **dates,
    )  # fmt: skip


def code(key: str, name: str, city: str, level: str = "Toegelaten", **extra) -> RegisterRecord:
    return RegisterRecord(
        register="code", record_key=f"/register/{key}/", name=name, level=level, city=city,
        source_url=f"https://code.example/register/{key}/", **extra,
    )  # fmt: skip


def senl(key: str, name: str, city: str, level: str = "Lid", **extra) -> RegisterRecord:
    return RegisterRecord(
        register="senl", record_key=f"/leden/{key}/", name=name, level=level, membership=level, city=city,
        source_url=f"https://senl.example/leden/{key}/", **extra,
    )  # fmt: skip


def ingest(*records: RegisterRecord) -> list[IngestOutcome]:
    """Store records as complete runs, one per register, through the crawl ingest service."""
    outcomes = []
    for register in ("pso", "code", "senl"):
        mine = [record for record in records if record.register == register]
        if mine:
            report = CrawlReport(register=register, start_url=f"https://{register}.example/")
            report.records = mine
            report.links_found = len(mine)
            report.detail_pages = len(mine)
            report.listing_pages = 1
            outcomes.append(ingest_report(report))
    return outcomes


def user(email: str, *roles: str, regions: tuple[str, ...] = ()) -> None:
    accounts.create_user(email, PASSWORD, list(roles), list(regions))


def csrf_token(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD):
    token = csrf_token(client, "/inloggen")
    return client.post("/inloggen", data={"email": email, "password": password, "csrf_token": token})


def outbox(app) -> list:  # type: ignore[no-untyped-def]
    """Messages the app 'sent' (written to its outbox folder), oldest first."""
    from email import message_from_bytes, policy
    from pathlib import Path

    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml"), key=lambda f: f.stat().st_mtime_ns) if folder.exists() else []
    return [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def last_mail_to(app, address: str):  # type: ignore[no-untyped-def]
    found = [m for m in outbox(app) if m["To"] == address]
    assert found, f"no mail to {address}"
    return found[-1]


def post_form(client: FlaskClient, path: str, data: dict, page: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
    """POST a form the way a browser would: with the CSRF token from the page it is on."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page or path)}, **kwargs)


def pdf(text: str = "Factuur F-1") -> bytes:
    """A real one-page PDF (written by pypdf), as an invoice upload."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})  # fmt: skip
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
