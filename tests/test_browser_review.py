"""Issue 23 in a real browser: a contractor records a purchase with a PDF invoice; the
coordinator downloads it from the queue and asks a question; the contractor answers with a second
file; the coordinator approves; both see the thread. No WCAG 2.1 AA violations (axe-core) on the
contribution pages in Dutch and English, at 390 and 1280 pixels, and nothing wider than a phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.sroi.models import Contribution
from tests.browser import axe_violations, chromium, live_server, require_chromium
from tests.factories import PASSWORD, code, ingest, pdf, user
from tests.test_coordinator_review import contractor, obligation

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
COORDINATOR = "twente@regio.example"
CONTRACTOR = "bouw@aannemer.example"


def sign_in(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/inloggen")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")


def clean_everywhere(page, url: str) -> None:  # type: ignore[no-untyped-def]
    for language in ("nl", "en"):
        for size in (PHONE, LAPTOP):
            page.set_viewport_size(size)
            page.goto(f"{url}?lang={language}")
            assert axe_violations(page) == [], (url, language, size)
            if size is PHONE:
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], (url, language, width)
    page.goto(f"{url}?lang=nl")


def test_the_whole_conversation_in_a_browser(app, tmp_path: Path) -> None:
    require_chromium()
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"]))
    user(COORDINATOR, "coordinator", regions=("Twente",))
    target = obligation(contractor())
    invoice, answer = tmp_path / "factuur.pdf", tmp_path / "pakbon.pdf"
    invoice.write_bytes(pdf("Factuur F-1"))
    answer.write_bytes(pdf("Pakbon"))
    with live_server(app) as base, chromium(viewport=PHONE) as theirs, chromium(viewport=PHONE) as ours:
        owner = theirs.new_page()
        sign_in(owner, base, CONTRACTOR)
        owner.goto(f"{base}/opdrachtnemer/verplichtingen/{target.id}")
        owner.fill("#supplier", "11111111")
        owner.fill("#invoice_number", "F-1")
        owner.fill("#invoice_date", "2026-05-02")
        owner.fill("#amount_excl_vat", "4.250,50")
        owner.set_input_files("#purchase-invoice", str(invoice))  # the invoice, by its name
        with owner.expect_navigation():
            owner.click("text=Inkoop vastleggen")
        assert "Vastgelegd" in owner.inner_text("main")
        item = db.session.scalar(select(Contribution))
        mine = f"{base}/opdrachtnemer/bijdragen/{item.id}"

        coordinator = ours.new_page()
        sign_in(coordinator, base, COORDINATOR)
        coordinator.goto(f"{base}/coordinator/wachtrij")
        with coordinator.expect_download() as downloaded:
            coordinator.click(f"a[href='/coordinator/bijdragen/{item.id}/documenten/{item.documents[0].id}']")
        assert Path(downloaded.value.path()).read_bytes() == invoice.read_bytes()
        page = f"{base}/coordinator/bijdragen/{item.id}"
        coordinator.goto(page)
        coordinator.fill("#reason", "Kunt u de pakbon sturen?")
        with coordinator.expect_navigation():
            coordinator.click("button[value=ask]")
        assert "Vraag verstuurd" in coordinator.inner_text("main")

        owner.goto(mine)
        assert "Kunt u de pakbon sturen?" in owner.inner_text("main")
        clean_everywhere(owner, mine)
        owner.fill("#body", "Hierbij de pakbon.")
        owner.set_input_files("#evidence", str(answer))
        with owner.expect_navigation():
            owner.click("text=Antwoord versturen")
        assert "Uw antwoord is verstuurd" in owner.inner_text("main")

        coordinator.goto(page)
        assert "Hierbij de pakbon." in coordinator.inner_text("main")
        clean_everywhere(coordinator, page)
        with coordinator.expect_navigation():
            coordinator.click("button[value=approve]")
        db.session.expire_all()
        assert db.session.get(Contribution, item.id).status == "approved"

        owner.goto(mine)
        text = owner.inner_text("main")
        assert "goedgekeurd" in text and "Kunt u de pakbon sturen?" in text and "Hierbij de pakbon." in text
        clean_everywhere(owner, mine)
        clean_everywhere(owner, f"{base}/opdrachtnemer/verplichtingen/{target.id}")
