"""Issue 24's evidence: one obligation lived whole in real Chromium, as the people would, through
the pages. The contractor proposes a plan and the region's coordinator approves it; the contractor
invites a subcontractor, who accepts from the mail link and records a purchase with its invoice;
the contractor fills the downloaded Excel template and uploads it; the coordinator approves the
contributions in the queue and records meerwerk, and the required amount follows; after the end
date the coordinator settles, and the contractor's settlement letter (a real PDF, read with
pypdf) states the approved total and the required amount to the cent as the obligation page and
the council report show them. No WCAG 2.1 AA violations on the pages on the way (1280 px; one at
390 px too)."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.core.extensions import db
from marketplace.core.refusals import ServiceError
from marketplace.sroi.models import Contribution
from marketplace.sroi.obligations import services as obligations
from marketplace.sroi.settlement import services as settlement
from tests.browser import axe_violations, chromium, live_server, require_chromium
from tests.factories import PASSWORD, code, ingest, last_mail_to, pdf, user

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
CONTRACTOR, SUBCONTRACTOR, COORDINATOR = "bouw@aannemer.example", "onder@installatie.example", "twente@regio.example"
BLOCK_NL = "Werkervaringsplek of proefplaatsing"
MONEY = r"€ ?[\d.]+,\d\d"
# What counts, each valued under the Twente rule set (V05): a purchase at De Uil counts its whole
# invoice; a work experience placement of three months counts 3 x 750.
SUB_PURCHASE, BULK_PURCHASES, BULK_PLACEMENT = "4.250,50", ("12000", "1234.56"), "2.250,00"
APPROVED = "€ 19.735,06"  # 4.250,50 + 12.000,00 + 1.234,56 + 2.250,00
MEERWERK = "123.456,78"
REQUIRED_BEFORE, REQUIRED_AFTER = "€ 50.000,00", "€ 56.172,84"  # 5% of 1.000.000,00 and of 1.123.456,78
SHORTFALL = "36.437,78"


def plain(text: str) -> str:
    """Text as a reader compares it: one space for every run of (non-breaking) white space."""
    return " ".join(text.replace("\xa0", " ").split())


def cents(shown: str) -> int:
    """An amount as a Dutch reader sees it ("€ 56.172,84") in cents, for a comparison to the cent."""
    found = re.search(r"(-?[\d.]+),(\d\d)", plain(shown))
    assert found, shown
    return int(found.group(1).replace(".", "")) * 100 + int(found.group(2))


def clean(page, name: str) -> None:  # type: ignore[no-untyped-def]
    found = axe_violations(page)
    assert found == [], (name, found)


def sign_in(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/inloggen")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")


def fact(page, label: str) -> str:  # type: ignore[no-untyped-def]
    """The first amount in the <dd> after the <dt> that reads exactly `label`."""
    shown = page.locator(f"xpath=//main//dt[normalize-space()='{label}']/following-sibling::dd[1]").first.inner_text()
    found = re.search(MONEY, plain(shown))
    assert found, (label, shown)
    return found.group(0)


def report_row(page, first_cell: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The council report's row starting with `first_cell`, as header -> cell text."""
    return page.evaluate(
        """(first) => {
          const table = document.querySelector('#rapport');
          const headers = [...table.querySelectorAll('thead th')].map((th) => th.innerText.trim());
          const row = [...table.querySelectorAll('tbody tr')].find((tr) => tr.cells[0].innerText.trim() === first);
          return row ? Object.fromEntries(headers.map((h, i) => [h, row.cells[i].innerText])) : {};
        }""",
        first_cell,
    )


def letter_amount(text: str, label: str) -> str:
    found = re.search(re.escape(label) + " (" + MONEY + ")", text)
    assert found, (label, text[:1500])
    return found.group(1)


def test_an_agreed_amount_is_read_as_people_type_it_and_as_the_page_shows_it(app) -> None:
    """The defect the browser walk found: the settle form refused "36.437,78", the shortfall exactly
    as the settlement page shows it, while every other amount field takes it."""
    user(CONTRACTOR, "contractor")
    user(COORDINATOR, "coordinator", regions=("Twente",))
    main, coordinator = (db.session.scalar(select(User).where(User.email == e)) for e in (CONTRACTOR, COORDINATOR))
    ended = obligations.create_obligation(main, {
        "title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede", "contract_value_excl_vat": "1000000",
        "starts_on": "2025-01-01", "ends_on": "2026-06-30", "region": "Twente"})  # fmt: skip
    agreed = {"consequence": "compensation", "consequence_text": "Compensatie volgens art. 7"}
    for typed in ("€ 36.437,78x", "veel", "-5", "36437,789"):
        with pytest.raises(ServiceError):
            settlement.settle(coordinator, ended.id, {**agreed, "consequence_amount": typed})
    assert settlement.current(ended.id) is None
    row = settlement.settle(coordinator, ended.id, {**agreed, "consequence_amount": "€\xa036.437,78"})
    assert row.consequence_cents == 3643778


@pytest.mark.browser
def test_an_obligation_from_plan_to_settlement_letter_in_a_browser(app, tmp_path: Path) -> None:
    require_chromium()
    ingest(code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12)))
    user(CONTRACTOR, "contractor")
    user(SUBCONTRACTOR, "contractor")
    user(COORDINATOR, "coordinator", regions=("Twente",))
    main = db.session.scalar(select(User).where(User.email == CONTRACTOR))
    # Registered after award; today is 2026-11-01 (tests/conftest.py), two months before the end.
    target = obligations.create_obligation(main, {
        "title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede", "contract_value_excl_vat": "1000000",
        "starts_on": "2025-01-01", "ends_on": "2026-12-31", "region": "Twente"})  # fmt: skip
    invoice = tmp_path / "factuur-S-1.pdf"
    invoice.write_bytes(pdf("Factuur S-1"))
    mine = f"/opdrachtnemer/verplichtingen/{target.id}"
    theirs = f"/coordinator/verplichtingen/{target.id}"
    today = app.config["TODAY"]
    try:
        with (
            live_server(app) as base,
            chromium(viewport=LAPTOP) as contractor_context,
            chromium(viewport=LAPTOP) as sub_context,
            chromium(viewport=LAPTOP) as coordinator_context,
        ):
            owner, sub, coordinator = (c.new_page() for c in (contractor_context, sub_context, coordinator_context))
            sign_in(owner, base, CONTRACTOR)
            sign_in(coordinator, base, COORDINATOR)

            # 1. The plan: a purchase at De Uil in year 1, a work experience placement in year 2.
            owner.goto(base + mine)
            with owner.expect_navigation():
                owner.click("text=Een plan voorstellen")
            assert owner.url == f"{base}{mine}/plan"
            clean(owner, "plan form")
            owner.select_option("#r0-jaar", "1")
            owner.select_option("#r0-soort", "purchase")
            owner.fill("#r0-leverancier", "11111111")
            owner.fill("#r0-bedrag", "10.000,00")
            owner.select_option("#r1-jaar", "2")
            owner.select_option("#r1-soort", "hire")
            owner.select_option("#r1-bouwblok", label=BLOCK_NL)
            owner.fill("#r1-uren_per_week", "36")
            owner.fill("#r1-maanden", "6")
            owner.fill("#toelichting", "Inkoop bij De Uil en een werkervaringsplek.")
            with owner.expect_navigation():
                owner.click("text=Plan versturen")
            assert "Uw plan is verstuurd" in owner.inner_text("main"), owner.inner_text("main")[:800]

            # 2. The coordinator approves it on the obligation's page.
            coordinator.goto(base + theirs)
            text = plain(coordinator.inner_text("main"))
            assert "Inkoop bij De Uil en een werkervaringsplek." in text and BLOCK_NL in text
            assert "werkervaringsplek_proefplaatsing" not in text
            clean(coordinator, "coordinator obligation page, plan proposed")
            coordinator.fill("#toelichting", "Akkoord.")
            with coordinator.expect_navigation():
                coordinator.click("button[value=goedkeuren]")
            assert "Het plan is goedgekeurd." in coordinator.inner_text("main")
            owner.goto(base + mine)
            assert "Plan versie 1: goedgekeurd" in plain(owner.inner_text("main"))

            # 3. The chain: the contractor invites a subcontractor, who accepts from the mail's link.
            with owner.expect_navigation():
                owner.click("text=Onderaannemers uitnodigen en beheren")
            clean(owner, "chain page")
            owner.fill("main form input[name=email]", SUBCONTRACTOR)
            owner.fill("main form input[name=company]", "Installatiebedrijf Onder")
            with owner.expect_navigation():
                owner.click("text=Uitnodiging versturen")
            assert "uitgenodigd, nog niet aangenomen" in owner.inner_text("main")
            body = last_mail_to(app, SUBCONTRACTOR).get_content()
            link = re.search(r"https://impactmarkt\.test(/opdrachtnemer/keten/uitnodiging/\S+)", body)
            assert link, body
            sub.goto(base + link.group(1))
            assert "Renovatie stadhuis" in sub.inner_text("main")
            clean(sub, "invitation page")
            with sub.expect_navigation():
                sub.click("main >> text=Inloggen")
            sub.fill("#email", SUBCONTRACTOR)
            sub.fill("#password", PASSWORD)
            with sub.expect_navigation():
                sub.press("#password", "Enter")
            assert sub.url.startswith(base + link.group(1)), sub.url  # back at the invitation
            with sub.expect_navigation():
                sub.click("text=Uitnodiging aannemen")
            clean(sub, "subcontractor's page")
            purchase = sub.locator("form[action$='/bijdragen/purchase']")
            purchase.locator("[name=supplier]").fill("11111111")
            purchase.locator("[name=invoice_number]").fill("S-1")
            purchase.locator("[name=invoice_date]").fill("2026-05-02")
            purchase.locator("[name=amount_excl_vat]").fill(SUB_PURCHASE)
            purchase.locator("input[type=file]").first.set_input_files(str(invoice))
            with sub.expect_navigation():
                purchase.locator("button[type=submit]").click()
            assert "S-1" in sub.inner_text("main"), sub.inner_text("main")[:800]

            # 4. Bulk entry: the contractor fills the obligation's own template and uploads it.
            owner.goto(base + mine)
            with owner.expect_navigation():
                owner.click("text=Veel bijdragen tegelijk vastleggen met een Excel-bestand")
            clean(owner, "bulk page")
            with owner.expect_download() as downloaded:
                owner.click("text=Download het Excel-sjabloon voor deze verplichting")
            template = tmp_path / downloaded.value.suggested_filename
            assert template.suffix == ".xlsx", template
            downloaded.value.save_as(template)
            book = load_workbook(template)
            book["Inkoop"].append(["11111111", "F-1", date(2026, 5, 2), float(BULK_PURCHASES[0])])
            book["Inkoop"].append(["Schoonmaakbedrijf De Uil", "F-2", date(2026, 6, 1), float(BULK_PURCHASES[1])])
            book["Aanstellingen"].append([BLOCK_NL, 20, date(2026, 2, 1), date(2026, 4, 30), None, "P-2"])
            filled = tmp_path / "bijdragen.xlsx"
            book.save(filled)
            owner.set_input_files("main form input[type=file]", str(filled))
            with owner.expect_navigation():
                owner.click("text=Uploaden en controleren")
            assert "3 bijdragen vastgelegd" in owner.inner_text("main"), owner.inner_text("main")[:800]
            text = plain(owner.inner_text("main"))
            assert "ingevoerd door onderaannemer" in text and "S-1" in text  # the subcontractor's counts too

            # 5. The coordinator approves all four in the queue: the sub's invoice is there.
            coordinator.goto(f"{base}/coordinator/wachtrij")
            assert plain(coordinator.inner_text("main")).count(f"ingevoerd door onderaannemer {SUBCONTRACTOR}") == 1
            clean(coordinator, "queue")
            boxes = coordinator.locator("input[type=checkbox][name=selected]")
            assert boxes.count() == 4
            for index in range(4):
                boxes.nth(index).check()
            with coordinator.expect_navigation():
                coordinator.click("text=Geselecteerde bijdragen goedkeuren")
            db.session.expire_all()
            stored = db.session.scalars(select(Contribution).where(Contribution.obligation_id == target.id)).all()
            assert sorted(c.status for c in stored) == ["approved"] * 4

            # 6. Meerwerk: the required amount follows on the pages.
            coordinator.goto(base + theirs)
            assert fact(coordinator, "Verplicht") == REQUIRED_BEFORE
            coordinator.click("text=Contractwijziging vastleggen")
            coordinator.select_option("#w-soort", "extra_work")
            coordinator.fill("#w-bedrag", MEERWERK)
            coordinator.fill("#w-datum", "2026-10-15")
            coordinator.fill("#w-reden", "Extra verdieping")
            with coordinator.expect_navigation():
                coordinator.click("main button:has-text('Wijziging vastleggen')")
            assert "De contractwijziging is vastgelegd" in coordinator.inner_text("main")
            assert (fact(coordinator, "Verplicht bij de start"), fact(coordinator, "Verplicht nu")) == (
                REQUIRED_BEFORE, REQUIRED_AFTER)  # fmt: skip
            assert "Extra verdieping" in coordinator.inner_text("main")
            clean(coordinator, "coordinator obligation page, changed")

            # 7. The obligation has ended; the coordinator settles it on the settlement page.
            app.config["TODAY"] = date(2027, 1, 15)
            coordinator.goto(f"{base}{theirs}/afrekening")
            assert (fact(coordinator, "Verplicht"), fact(coordinator, "Gerealiseerd (goedgekeurd)"),
                    fact(coordinator, "Tekort")) == (REQUIRED_AFTER, APPROVED, "€ " + SHORTFALL)  # fmt: skip
            clean(coordinator, "settlement page")
            coordinator.check("#gevolg-compensation")
            coordinator.fill("#afspraak", "Compensatie volgens art. 7 van het contract")
            coordinator.fill("#bedrag", SHORTFALL)
            with coordinator.expect_navigation():
                coordinator.click("text=Afrekening vastleggen")
            assert "De afrekening is vastgelegd." in coordinator.inner_text("main")
            assert "Afgerekend op 15 jan 2027" in plain(coordinator.inner_text("main"))

            # 8. What the obligation page and the council report show...
            owner.goto(base + mine)
            shown_approved, shown_required = fact(owner, "Goedgekeurd"), fact(owner, "Verplicht")
            assert (shown_approved, shown_required) == (APPROVED, REQUIRED_AFTER)
            clean(owner, "contractor obligation page, settled")
            owner.set_viewport_size(PHONE)
            owner.goto(base + mine)
            clean(owner, "contractor obligation page at 390 px")
            assert owner.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            owner.set_viewport_size(LAPTOP)
            coordinator.goto(f"{base}/coordinator/rapportages?weergave=authority")
            by_authority = report_row(coordinator, "Gemeente Enschede")
            clean(coordinator, "council report")
            coordinator.goto(f"{base}/coordinator/rapportages?weergave=obligation")
            by_obligation = report_row(coordinator, "Renovatie stadhuis")
            on_page = (cents(shown_required), cents(shown_approved))
            assert (cents(by_authority["Verplicht"]), cents(by_authority["Goedgekeurd"])) == on_page, by_authority
            assert (cents(by_obligation["Verplicht nu"]), cents(by_obligation["Goedgekeurd"])) == on_page, by_obligation

            # 9. ...is what the contractor's settlement letter says, to the cent.
            owner.goto(f"{base}{mine}/impact")
            clean(owner, "impact page")
            with owner.expect_download() as downloaded:
                owner.click("text=Afrekeningsbrief (PDF)")
            letter = Path(downloaded.value.path()).read_bytes()
            assert letter.startswith(b"%PDF")
            pages = PdfReader(io.BytesIO(letter)).pages
            assert abs(float(pages[0].mediabox.width) - 595.28) < 1 and abs(float(pages[0].mediabox.height) - 841.89) < 1
            text = plain(" ".join(page.extract_text() for page in pages))
            assert text.startswith("Afrekening social return") and "Gemeente Enschede" in text
            assert cents(letter_amount(text, "Verplicht")) == cents(shown_required) == 5617284
            assert cents(letter_amount(text, "Gerealiseerd (goedgekeurd)")) == cents(shown_approved) == 1973506
            assert letter_amount(text, "Tekort") == "€ " + SHORTFALL
            assert letter_amount(text, "Afgesproken bedrag:") == "€ " + SHORTFALL
            # Both totals lines (per kind, and the list of counted contributions) say the same.
            totals = re.findall(r"Totaal (?:\d+ )?(" + MONEY + ")", text)
            assert [cents(total) for total in totals] == [cents(shown_approved)] * 2, totals
            assert "S-1" in text and "F-1" in text and "F-2" in text and BLOCK_NL in text
    finally:
        app.config["TODAY"] = today
    current = settlement.current(target.id)
    assert (current.required_cents, current.realised_cents, current.consequence_cents) == (5617284, 1973506, 3643778)
