"""Every public page passes axe-core's WCAG 2.1 AA rules in headless Chromium, and search,
filtering and paging work with the keyboard alone and without JavaScript."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.core.extensions import db
from marketplace.organisations.models import Label, Organisation
from tests.browser import axe_violations, chromium, live_server, require_chromium
from tests.factories import code, ingest, pso, senl

pytestmark = pytest.mark.browser


def seed_many() -> None:
    records = [
        pso(f"{n}-schoon", f"Schoonmaak Team {n}", "Enschede" if n % 2 else "Zwolle", "Trede 3" if n % 3 else "Trede 2",
            kvk=(f"{10000000 + n}",), sectors=["Schoonmaak en glazenwassen"])
        for n in range(1, 46)
    ]  # fmt: skip
    ingest(
        *records,
        code(
            "koffie",
            "Koffiebranderij Twente",
            "Enschede",
            mission="Wij branden koffie en bieden werk aan statushouders.",
        ),
        senl("stof", "Stof & Zo", "Hoofddorp", "BOOST", sectors=["Mode & textiel"]),
    )
    label = db.session.scalar(select(Label).where(Label.record_key == "/register/koffie/"))
    label.state, label.grace_since = "grace", label.last_seen - timedelta(days=2)
    db.session.commit()


PUBLIC_PAGES = [
    "/",
    "/organisaties",
    "/organisaties?q=schoonmaak&region=Twente",
    "/organisaties?q=kofiebrandrij",
    "/organisaties?q=schoonmaak&pagina=2",
    "/organisaties/koffiebranderij-twente",
    "/organisaties/stof-zo",
    "/inloggen",
    "/bestaat-niet",
    "/?lang=en",
    "/organisaties?q=schoonmaak&lang=en",
    "/over",
    "/over/crawler?lang=en",
    "/privacy",
    "/toegankelijkheid?lang=en",
    "/contact",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_wcag_21_aa_violations(app, path: str) -> None:
    require_chromium()
    seed_many()
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        page.goto(base + path)
        assert page.locator("main h1").count() == 1
        violations = axe_violations(page)
    assert violations == [], violations


@pytest.mark.parametrize("java_script", [True, False], ids=["with-javascript", "without-javascript"])
def test_search_filter_and_page_with_the_keyboard_alone(app, java_script: bool) -> None:
    require_chromium()
    seed_many()
    with live_server(app) as base, chromium(java_script=java_script) as context:
        page = context.new_page()
        page.goto(base + "/")
        page.keyboard.press("Tab")  # the skip link comes first
        assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
        page.focus("#q")
        page.keyboard.type("schoonmaak")
        page.keyboard.press("Enter")
        page.wait_for_url("**/organisaties?q=schoonmaak*")
        assert "45 organisaties gevonden" in page.inner_text("[role=status]")

        if not page.evaluate("document.querySelector('details.filters').open"):
            page.focus("details.filters > summary")  # without JavaScript the panel waits closed
            page.keyboard.press("Enter")
        page.focus("input[name=region][value=Twente]")
        page.keyboard.press("Space")
        page.focus("text=Filters toepassen")
        page.keyboard.press("Enter")
        page.wait_for_url("**region=Twente*")
        assert "23 organisaties gevonden" in page.inner_text("[role=status]")

        page.focus("a[rel=next]")
        page.keyboard.press("Enter")
        page.wait_for_url("**pagina=2*")
        assert "region=Twente" in page.url and "q=schoonmaak" in page.url
        assert page.is_checked("input[name=region][value=Twente]")
        assert "Pagina 2 van 2" in page.inner_text("main")


def test_profile_explains_a_label_in_grace_in_plain_words(app) -> None:
    require_chromium()
    seed_many()
    slug = db.session.scalar(select(Organisation.slug).where(Organisation.name == "Koffiebranderij Twente"))
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        page.goto(f"{base}/organisaties/{slug}")
        text = page.inner_text("main")
    assert "herbevestiging loopt" in text and "Vaak is dat een herbevestiging" in text


def test_entrepreneur_journey_register_confirm_claim_edit_in_the_browser(app) -> None:
    import re

    from tests.factories import last_mail_to

    require_chromium()
    ingest(
        pso(
            "1-uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=("11111111",), website="https://www.deuil.nl"
        )
    )
    slug = db.session.scalar(select(Organisation.slug))
    found = []
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        page.goto(base + "/registreren")
        found += axe_violations(page)
        page.fill("#name", "Jan Jansen")
        page.fill("#email", "jan@deuil.nl")
        page.check("input[name=role][value=entrepreneur]")
        page.fill("#password", "een-heel-goed-wachtwoord")
        page.fill("#password_again", "een-heel-goed-wachtwoord")
        page.click("button[type=submit] >> text=Account maken")
        assert "Kijk in uw e-mail" in page.inner_text("main")
        link = re.search(r"https://\S+", last_mail_to(app, "jan@deuil.nl").get_content()).group(0)
        page.goto(base + link.split("impactmarkt.test", 1)[1])
        assert "bevestigd" in page.inner_text("main")

        page.goto(f"{base}/organisaties/{slug}")
        page.click("text=Dit is mijn onderneming")
        found += axe_violations(page)
        page.fill("#email", "jan@deuil.nl")
        page.click("text=Stuur mij een code")
        found += axe_violations(page)
        code = re.search(r"\b(\d{6})\b", last_mail_to(app, "jan@deuil.nl").get_content()).group(1)
        page.fill("#code", code)
        page.click("button:has-text('Bevestigen')")
        assert "bewerken" in page.inner_text("h1")
        found += axe_violations(page)
        page.fill("#description", "<p>Wij maken kantoren <strong>schoon</strong> met statushouders.</p>")
        page.fill("#contact_email", "info@deuil.nl")
        page.click("button:has-text('Opslaan')")
        assert "Opgeslagen" in page.inner_text("main")

        page.goto(f"{base}/organisaties/{slug}")
        text = page.inner_text("main")
        found += axe_violations(page)
    assert "Wij maken kantoren schoon met statushouders." in text and "info@deuil.nl" in text
    assert found == [], found


def test_contractor_registers_an_obligation_adds_a_purchase_and_a_hire_and_sees_why(app, tmp_path) -> None:
    from datetime import date

    from tests.factories import PASSWORD, pdf, user

    files = {}
    for name in ("factuur", "verklaring", "contract"):  # each document the rule set asks for (issue 23)
        files[name] = tmp_path / f"{name}.pdf"
        files[name].write_bytes(pdf(name))

    require_chromium()
    ingest(
        code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12))
    )
    user("bouw@aannemer.example", "contractor")
    # V05 names no full-time week: Twente's coordinator has set 36 hours (issue 28).
    from marketplace.core.extensions import db
    from marketplace.sroi.rulesets import services as sroi_rulesets

    oost = {**sroi_rulesets.version_row("oost-nederland-bouwblokken-v05").data, "fulltime_hours_per_week": 36}
    sroi_rulesets.save_version(oost, None, "voltijd 36 uur, vastgesteld door de coördinator")
    db.session.commit()
    found = []
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        page.goto(base + "/inloggen")
        page.fill("#email", "bouw@aannemer.example")
        page.fill("#password", PASSWORD)
        page.press("#password", "Enter")
        page.goto(base + "/opdrachtnemer/")
        found += axe_violations(page)
        page.click("text=Nieuwe verplichting registreren")
        found += axe_violations(page)
        page.fill("#title", "Renovatie stadhuis")
        page.fill("#contracting_authority", "Gemeente Enschede")
        page.fill("#contract_value_excl_vat", "1.000.000")
        page.fill("#starts_on", "2026-01-01")
        page.fill("#ends_on", "2027-12-31")
        page.select_option("#region", "Twente")
        page.click("button[type=submit] >> text=Registreren")
        assert "De verplichting is geregistreerd." in page.inner_text("main")
        page.fill("#supplier", "11111111")
        page.fill("#invoice_number", "F-1")
        page.fill("#invoice_date", "2026-05-02")
        page.fill("#amount_excl_vat", "12.000,00")
        page.set_input_files("#purchase-invoice", str(files["factuur"]))
        page.click("text=Inkoop vastleggen")
        page.click("summary >> text=Aanstelling (in dienst nemen)")
        page.select_option("#block", "participatiewet_over_2y")
        page.fill("#hours_per_week", "18")
        page.fill("#start", "2026-01-01")
        page.fill("#end", "2026-12-31")
        page.set_input_files("#hire-target-group-statement", str(files["verklaring"]))
        page.set_input_files("#hire-employment-contract", str(files["contract"]))
        page.click("text=Aanstelling vastleggen")
        main = page.inner_text("main")
        # The sums as issue 28 shows them: the share of the invoice, and the hours and calendar months.
        assert "100% van €\xa012.000,00 excl. btw" in main and "× 18/36 uur ×" in main
        assert page.locator("progress").count() == 1
        found += axe_violations(page)
        page.goto(page.url + "?lang=en")
        assert "purchase from Code Sociale Ondernemingen" in page.inner_text("main")
        found += axe_violations(page)
        page.goto(base + "/opdrachtnemer/verplichtingen/nieuw")
        found += axe_violations(page)
    assert found == [], found


@pytest.mark.parametrize("language", ["nl", "en"])
def test_coordinator_rule_set_pages_have_no_wcag_21_aa_violations(app, language: str) -> None:
    from tests.factories import PASSWORD, user

    require_chromium()
    user("coordinator@twente.example", "coordinator", regions=("Twente",))
    found = []
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        page.goto(f"{base}/inloggen?lang={language}")
        page.fill("#email", "coordinator@twente.example")
        page.fill("#password", PASSWORD)
        page.press("#password", "Enter")
        for path in ("/coordinator/regelsets", "/coordinator/regelsets/oost-nederland-bouwblokken-v05",
                     "/coordinator/regelsets/rijnvicus-bouwblokken"):  # fmt: skip
            page.goto(base + path)
            assert page.locator("main h1").count() == 1
            found += axe_violations(page)
    assert found == [], found


def _coordinator_world() -> None:
    """A Twente obligation with a purchase and a hire waiting, one approved purchase, one obligation at risk."""
    from datetime import date

    from sqlalchemy import select

    from marketplace.accounts.models import User
    from marketplace.core.extensions import db
    from marketplace.sroi.obligations import services as obligations
    from tests.factories import user

    ingest(
        code("uil", "Schoonmaakbedrijf De Uil", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12))
    )
    user("coordinator@twente.example", "coordinator", regions=("Twente",))
    user("bouw@aannemer.example", "contractor")
    owner = db.session.scalar(select(User).where(User.email == "bouw@aannemer.example"))
    contract = {
        "contracting_authority": "Gemeente Enschede",
        "contract_value_excl_vat": "1000000",
        "region": "Twente",
    }
    running = obligations.create_obligation(owner, {**contract, "title": "Renovatie stadhuis",
                                                    "starts_on": "2026-01-01", "ends_on": "2027-12-31"})  # fmt: skip
    obligations.create_obligation(owner, {**contract, "title": "Bijna klaar", "starts_on": "2025-01-01",
                                          "ends_on": "2026-11-30"})  # fmt: skip
    for number, amount in (("F-1", "12.000,00"), ("F-2", "800,00")):
        obligations.add_contribution(running, {"kind": "purchase", "supplier": "11111111", "invoice_number": number,
                                               "invoice_date": "2026-05-02", "amount_excl_vat": amount})  # fmt: skip
    obligations.add_contribution(running, {"kind": "hire", "block": "participatiewet_over_2y", "hours_per_week": "18",
                                           "start": "2026-01-01", "end": "2026-12-31"})  # fmt: skip


def _sign_in(page, base: str, email: str, language: str = "nl") -> None:  # type: ignore[no-untyped-def]
    from tests.factories import PASSWORD

    page.goto(f"{base}/inloggen?lang={language}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_load_state()


def test_coordinator_rejects_a_contribution_with_a_reason_and_the_contractor_sees_it(app) -> None:
    require_chromium()
    _coordinator_world()
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        _sign_in(page, base, "coordinator@twente.example")
        page.goto(base + "/coordinator/")
        page.click("text=wachten op uw beoordeling")
        item = page.locator("section.queue-item", has_text="F-1")
        item.locator("textarea[name=reason]").fill("De factuur hoort bij een andere opdracht")
        item.locator("textarea[name=reason]").focus()
        page.keyboard.press("Tab")  # to "Waardering corrigeren", then the two buttons: keyboard only
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Afwijzen"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Afgewezen. De opdrachtnemer ziet de reden" in page.inner_text("main")
        assert "F-1" not in page.inner_text("main")
        contractor = context.browser.new_context(locale="nl-NL")
        try:
            other = contractor.new_page()
            _sign_in(other, base, "bouw@aannemer.example")
            other.goto(base + "/opdrachtnemer/")
            other.click("text=Renovatie stadhuis")
            assert (
                "afgewezen door de SROI-coördinator: De factuur hoort bij een andere opdracht"
                in other.inner_text("main")
            )
        finally:
            contractor.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_coordinator_queue_monitor_and_reports_have_no_wcag_21_aa_violations(app, language: str) -> None:
    require_chromium()
    _coordinator_world()
    found = []
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        _sign_in(page, base, "coordinator@twente.example", language)
        for path in ("/coordinator/", "/coordinator/wachtrij", "/coordinator/monitor", "/coordinator/logboek",
                     *(f"/coordinator/rapportages?weergave={view}" for view in
                       ("authority", "region", "period", "label", "kind", "spend", "hires")),
                     "/open-data"):  # fmt: skip
            page.goto(base + path)
            assert page.locator("main h1").count() == 1, path
            found += [(path, violation) for violation in axe_violations(page)]
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base + "/coordinator/wachtrij")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert found == [], found


def _marketplace_world() -> dict:
    """A contractor with an obligation that needs cleaning, a procurer with a list and a request."""
    from datetime import date

    from sqlalchemy import select

    from marketplace.accounts.models import User
    from marketplace.core.extensions import db
    from marketplace.organisations.models import Organisation
    from marketplace.procurement import purchase_requests, shortlists
    from marketplace.sroi.obligations import services as obligations
    from tests.factories import user

    ingest(code("glans", "Glans Schoonmaak", "Enschede", kvk=["11111111"], valid_from=date(2021, 3, 12),
                sectors=["Schoonmaak"], mission="Schoonmaak van kantoren"),
           senl("veeg", "Veegwerk", "Hengelo", kvk=["33333333"], mission="schoonmaakdiensten"))  # fmt: skip
    user("bouw@aannemer.example", "contractor")
    user("inkoper@enschede.nl", "procurer")
    contractor = db.session.scalar(select(User).where(User.email == "bouw@aannemer.example"))
    procurer = db.session.scalar(select(User).where(User.email == "inkoper@enschede.nl"))
    obligation = obligations.create_obligation(contractor, {
        "title": "Renovatie stadhuis", "contracting_authority": "Gemeente Enschede", "contract_value_excl_vat": "1000000",
        "starts_on": "2026-01-01", "ends_on": "2027-12-31", "region": "Twente", "needs": "schoonmaak van kantoren"})  # fmt: skip
    shortlist = shortlists.create(procurer, "Schoonmaak")
    glans = db.session.scalar(select(Organisation.id).where(Organisation.name == "Glans Schoonmaak"))
    shortlists.add(procurer, shortlist, glans)
    asked = purchase_requests.create(procurer, {"title": "Lunch voor 40 mensen", "region": "Twente"})
    return {"obligation": obligation.id, "list": shortlist.id, "request": asked.id}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_supplier_ranking_lists_and_requests_have_no_wcag_21_aa_violations(app, language: str) -> None:
    require_chromium()
    world = _marketplace_world()
    found = []
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        _sign_in(page, base, "bouw@aannemer.example", language)
        for path in (f"/opdrachtnemer/verplichtingen/{world['obligation']}/leveranciers",
                     f"/opdrachtnemer/verplichtingen/{world['obligation']}/leveranciers?besteding=20000&budget=60000"):  # fmt: skip
            page.goto(base + path)
            found += [(path, v) for v in axe_violations(page)]
        procurer = context.browser.new_context(locale="nl-NL", bypass_csp=True)
        try:
            other = procurer.new_page()
            _sign_in(other, base, "inkoper@enschede.nl", language)
            for path in ("/inkoper/", "/lijsten/", f"/lijsten/{world['list']}", "/inkoopvragen/", "/inkoopvragen/nieuw",
                         f"/inkoopvragen/{world['request']}"):  # fmt: skip
                other.goto(base + path)
                assert other.locator("main h1").count() == 1, path
                found += [(path, v) for v in axe_violations(other)]
        finally:
            procurer.close()
    assert found == [], found


def test_a_contractor_keeps_a_ranked_supplier_with_the_keyboard_alone(app) -> None:
    require_chromium()
    world = _marketplace_world()
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        _sign_in(page, base, "bouw@aannemer.example")
        page.goto(f"{base}/opdrachtnemer/verplichtingen/{world['obligation']}/leveranciers")
        assert re.search(r"biedt \W*[Ss]choonmaak", page.inner_text("main"))  # the supplier's own words
        page.locator("button", has_text="Op mijn lijst zetten").first.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Glans Schoonmaak staat op uw lijst." in page.inner_text("main")
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_report_prints_on_a4_without_the_controls(app) -> None:
    require_chromium()
    _coordinator_world()
    with live_server(app) as base, chromium() as context:
        page = context.new_page()
        _sign_in(page, base, "coordinator@twente.example")
        page.goto(base + "/coordinator/rapportages?weergave=authority")
        page.set_viewport_size({"width": 718, "height": 1000})  # A4 less 15 mm margins at 96 dpi
        page.emulate_media(media="print")
        assert page.locator("form.filters-inline").is_hidden() and page.locator("header nav").first.is_hidden()
        assert page.locator("table#rapport").is_visible() and page.locator("svg.chart").is_visible()
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 718)"
            ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        )
        assert wide == [], wide
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 1000
