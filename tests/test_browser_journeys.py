"""Issue 26: each role from sign-up (a coordinator: account creation on the command line) to its
main task, then back the next day by login, in real Chromium.

Each role walks its journey twice: on a phone (390 px) in Dutch and on a laptop (1280 px) in
English, so every role is seen at both widths and in both languages. Every page on the way must be
clean for axe-core and HTML_CodeSniffer at WCAG 2.1 AA and, on the phone, no wider than the screen.
Screenshots of every step go to IMPACTMARKT_SCREENSHOTS when it is set (to look at them), else to
the test's own temporary folder.
"""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from marketplace.core import clock
from marketplace.core.extensions import db
from marketplace.organisations.models import Organisation
from marketplace.sroi.models import Contribution
from tests.browser import axe_violations, chromium, live_server, require_chromium
from tests.factories import code, ingest, last_mail_to, pdf, pso
from tests.test_coordinator_review import contractor, obligation, purchase

pytestmark = pytest.mark.browser
SCREENS = {"phone-nl": ({"width": 390, "height": 844}, "nl"), "laptop-en": ({"width": 1280, "height": 800}, "en")}
PASSWORD = "een-heel-goed-wachtwoord"


class Walk:
    """One person's walk through the site: every page checked, every step photographed."""

    def __init__(self, page, base: str, screen: str, role: str, folder: Path) -> None:  # type: ignore[no-untyped-def]
        self.page, self.base, self.screen, self.role = page, base, screen, role
        self.size, self.language = SCREENS[screen]
        self.folder, self.steps, self.problems = folder, 0, []  # type: ignore[var-annotated]

    def look(self, step: str) -> str:
        """Checks the page as it is now and returns the text of its main part."""
        self.steps += 1
        name = f"{self.role}-{self.screen}-{self.steps:02d}-{step}.png"
        self.page.screenshot(path=str(self.folder / name), full_page=True)
        self.problems += [(step, problem) for problem in axe_violations(self.page)]
        if self.size["width"] == 390:
            width = self.page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                self.problems.append((step, f"page is {width} px wide on a 390 px phone"))
        assert self.page.evaluate("document.documentElement.lang") == self.language, step
        return self.page.inner_text("main")

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def submit(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.click(selector)

    def sign_up(self, app: Flask, email: str, role: str, on_the_form: bool = False) -> None:
        """Sign-up in the walk's language, then the confirmation link from the mail."""
        if not on_the_form:
            self.go(f"/taal/{self.language}?next=/registreren")  # the language menu, as a person would
        self.look("sign-up")
        self.page.fill("#name", "Sam de Vries")
        self.page.fill("#email", email)
        self.page.check(f"input[name=role][value={role}]")
        if role == "procurer":
            self.page.fill("#public_body", "Gemeente Enschede")
        self.page.fill("#password", PASSWORD)
        self.page.fill("#password_again", PASSWORD)
        self.submit("main form button[type=submit]")
        self.look("check-your-mail")
        link = re.search(r"https://\S+", last_mail_to(app, email).get_content()).group(0)
        self.go(link.split("impactmarkt.test", 1)[1])

    def log_out(self) -> None:
        self.submit("header form[action='/uitloggen'] button")
        assert self.page.url.rstrip("/") == self.base

    def next_day_login(self, app: Flask, email: str) -> str:
        """Back the next day: a fresh login lands on the role's own start page."""
        app.config["TODAY"] = clock.today() + timedelta(days=1)
        self.go("/inloggen")
        self.page.fill("#email", email)
        self.page.fill("#password", PASSWORD)
        with self.page.expect_navigation():
            self.page.press("#password", "Enter")
        return self.look("next-day")


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("IMPACTMARKT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("screen", SCREENS)
def test_a_procurer_signs_up_finds_suppliers_keeps_a_list_exports_it_and_comes_back(app, screen, screenshots) -> None:
    require_chromium()
    ingest(*[pso(f"{n}-schoon", f"Schoonmaak Team {n}", "Enschede", sectors=["Schoonmaak en glazenwassen"],
                 kvk=(f"{20000000 + n}",)) for n in range(1, 4)])  # fmt: skip
    email = f"inkoop-{screen}@enschede.example"
    with live_server(app) as base, chromium(viewport=SCREENS[screen][0]) as context:
        me = Walk(context.new_page(), base, screen, "procurer", screenshots)
        me.sign_up(app, email, "procurer")
        assert me.page.url.endswith("/inkoper/")
        me.look("start")
        me.go("/organisaties?q=schoonmaak")
        assert "Schoonmaak Team 1" in me.look("search")
        me.page.click("main a:has-text('Schoonmaak Team 1')")
        me.look("profile")
        me.page.fill("#nieuwe-lijst", "Schoonmaak stadhuis")
        me.submit("form[action='/lijsten/toevoegen'] button[type=submit]")
        assert "Schoonmaak Team 1" in me.look("list")
        with me.page.expect_download() as downloaded:
            me.page.click("a[href$='export.csv']")
        rows = list(csv.reader(io.StringIO(Path(downloaded.value.path()).read_text("utf-8-sig")), delimiter=";"))
        assert any("Schoonmaak Team 1" in row for row in rows)
        me.log_out()
        text = me.next_day_login(app, email)
        assert me.page.url.endswith("/inkoper/") and "(1)" in text
    assert me.problems == []


@pytest.mark.parametrize("screen", SCREENS)
def test_a_contractor_signs_up_registers_an_obligation_records_a_purchase_and_comes_back(app, screen, screenshots) -> None:
    require_chromium()
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Utrecht", kvk=["11111111"]))
    email = f"bouw-{screen}@aannemer.example"
    with live_server(app) as base, chromium(viewport=SCREENS[screen][0]) as context:
        me = Walk(context.new_page(), base, screen, "contractor", screenshots)
        me.sign_up(app, email, "contractor")
        assert me.page.url.endswith("/opdrachtnemer/")
        me.look("start")
        me.go("/opdrachtnemer/verplichtingen/nieuw")
        me.look("new-obligation")
        me.page.fill("#title", "Renovatie stadhuis")
        me.page.fill("#contracting_authority", "Gemeente Utrecht")
        me.page.fill("#contract_value_excl_vat", "1.000.000" if me.language == "nl" else "1,000,000")
        me.page.fill("#starts_on", "2026-01-01")
        me.page.fill("#ends_on", "2027-12-31")
        me.page.select_option("#region", "Midden-Utrecht")
        me.submit("main form button[type=submit]")
        assert "/opdrachtnemer/verplichtingen/" in me.page.url
        me.look("obligation")
        me.page.fill("#supplier", "11111111")
        me.page.fill("#invoice_number", "F-1")
        me.page.fill("#invoice_date", "2026-05-02")
        me.page.fill("#amount_excl_vat", "12.000,00" if me.language == "nl" else "12,000.00")
        invoice = screenshots / f"factuur-{screen}.pdf"
        invoice.write_bytes(pdf("Factuur F-1"))
        me.page.set_input_files("#purchase-invoice", str(invoice))
        me.submit("form:has(#invoice_number) button[type=submit]")
        text = me.look("purchase-recorded")
        assert "F-1" in text
        item = db.session.scalar(select(Contribution))
        assert item is not None and item.amount_cents == 1_200_000
        me.log_out()
        text = me.next_day_login(app, email)
        assert me.page.url.endswith("/opdrachtnemer/") and "Renovatie stadhuis" in text
    assert me.problems == []


@pytest.mark.parametrize("screen", SCREENS)
def test_an_entrepreneur_signs_up_from_their_listing_claims_it_edits_it_and_comes_back(app, screen, screenshots) -> None:
    require_chromium()
    ingest(pso("1-uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=("11111111",), website="https://www.deuil.nl"))
    slug = db.session.scalar(select(Organisation.slug))
    email = f"jan-{screen}@deuil.nl"
    with live_server(app) as base, chromium(viewport=SCREENS[screen][0]) as context:
        me = Walk(context.new_page(), base, screen, "entrepreneur", screenshots)
        me.go(f"/taal/{me.language}?next=/organisaties/{slug}")
        me.look("listing")
        me.page.click("main a[href*='/claim']")
        me.look("claim-asks-for-an-account")
        me.page.click("main a[href^='/registreren']")
        me.sign_up(app, email, "entrepreneur", on_the_form=True)
        assert "/claim/" in me.page.url
        me.look("back-at-the-claim")
        me.page.fill("#email", email)
        me.submit("main form button[type=submit]")
        me.look("code-sent")
        found = re.search(r"\b(\d{6})\b", last_mail_to(app, email).get_content()).group(1)
        me.page.fill("#code", found)
        me.submit("main form button[type=submit]")
        me.look("edit-profile")
        me.page.fill("#description", "<p>Wij maken kantoren schoon met statushouders.</p>")
        me.submit("main form button[type=submit]")
        me.look("saved")
        me.log_out()
        text = me.next_day_login(app, email)
        assert me.page.url.endswith("/ondernemer/") and "Schoonmaakbedrijf De Uil" in text
    assert me.problems == []


@pytest.mark.parametrize("screen", SCREENS)
def test_a_coordinator_made_on_the_command_line_decides_the_queue_and_comes_back(app, screen, screenshots) -> None:
    require_chromium()
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"]))
    item = purchase(obligation(contractor()), "11111111", "F-7", "4250.50")
    email = f"twente-{screen}@regio.example"
    made = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", email, "--password", PASSWORD, "--role", "coordinator", "--region", "Twente"])  # fmt: skip
    assert made.exit_code == 0, made.output
    with live_server(app) as base, chromium(viewport=SCREENS[screen][0]) as context:
        me = Walk(context.new_page(), base, screen, "coordinator", screenshots)
        me.go(f"/taal/{me.language}?next=/inloggen")
        me.look("login")
        me.page.fill("#email", email)
        me.page.fill("#password", PASSWORD)
        with me.page.expect_navigation():
            me.page.press("#password", "Enter")
        assert me.page.url.endswith("/coordinator/wachtrij")
        assert "F-7" in me.look("queue")
        me.go(f"/coordinator/bijdragen/{item.id}")
        me.look("contribution")
        me.submit("button[value=approve]")
        db.session.expire_all()
        assert db.session.get(Contribution, item.id).status == "approved"
        me.look("decided")
        me.log_out()
        text = me.next_day_login(app, email)
        assert me.page.url.endswith("/coordinator/wachtrij") and "F-7" not in text
        me.go("/coordinator/logboek")
        assert "F-7" in me.look("audit-log") or "4.250,50" in me.page.inner_text("main")
    assert me.problems == []
