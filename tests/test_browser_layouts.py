"""The pages people meet first, on a phone (390 x 844) and a laptop (1280 x 800), in headless
Chromium: no WCAG 2.1 AA violations (axe-core), nothing wider than the screen, results before
filters on a phone, choices beside their labels, and keyboard-only journeys.

Screenshots land in build/screenshots/ (not kept in git) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import axe_violations, chromium, live_server, require_chromium
from tests.factories import PASSWORD, code, ingest, pso, senl, user

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
SCREENS = {"390x844": PHONE, "1280x800": LAPTOP}


def seed() -> None:
    ingest(
        *[
            pso(f"{n}-schoon", f"Schoonmaak Team {n}", "Enschede" if n % 2 else "Zwolle",
                ("Trede 1", "Trede 2", "Trede 3")[n % 3], kvk=(f"{20000000 + n}",), sectors=["Schoonmaak en glazenwassen"])
            for n in range(1, 31)
        ],
        code("koffie", "Koffiebranderij Twente", "Enschede", mission="Wij branden koffie en bieden werk aan statushouders."),
        senl("stof", "Stof & Zo", "Hoofddorp", "BOOST", sectors=["Mode & textiel"]),
    )  # fmt: skip
    user("an@gemeente.example", "procurer")


PAGES = {
    "home": "/",
    "search": "/organisaties?q=schoonmaker",
    "profile": "/organisaties/koffiebranderij-twente",
    "sign-up": "/registreren",
    "account": "/account",
}


def sign_in(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/inloggen")
    page.fill("#email", "an@gemeente.example")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(base + "/inkoper/")  # a procurer starts at search and their lists


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_first_pages_on_a_phone_and_a_laptop(app, screen: str, language: str) -> None:
    require_chromium()
    seed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    with live_server(app) as base, chromium(viewport=SCREENS[screen]) as context:
        page = context.new_page()
        page.goto(f"{base}/taal/{language}")
        for name, path in PAGES.items():
            if name == "account":
                sign_in(page, base)
            page.goto(base + path)
            assert page.locator("main h1").count() == 1, name
            assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS[screen]["width"], name
            page.screenshot(path=str(SHOTS / f"{name}-{screen}-{language}.png"), full_page=True)
            found[name] = axe_violations(page)
    assert all(violations == [] for violations in found.values()), found


def test_on_a_phone_results_come_first_and_filters_apply_from_where_they_are(app) -> None:
    require_chromium()
    seed()
    with live_server(app) as base, chromium(viewport=PHONE) as context:
        page = context.new_page()
        page.goto(base + "/organisaties?q=schoonmaak")
        assert not page.evaluate("document.querySelector('details.filters').open")
        first_result = page.locator(".results li").first.bounding_box()
        assert first_result["y"] < PHONE["height"]  # a result is on the first screen
        # Keyboard only: open "Filters", choose "PSO Trede 2 of hoger", apply without scrolling down.
        page.focus("details.filters > summary")
        page.keyboard.press("Enter")
        page.focus("#pso-4")
        page.keyboard.press("Space")
        apply = page.get_by_role("button", name="Filters toepassen")
        box = apply.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]  # sticky at the bottom of the screen
        apply.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**pso_vanaf=Trede+2*")
        assert "20 organisaties gevonden" in page.inner_text("[role=status]")
        labels = page.locator(".results li").first.locator(".hit-labels").inner_text()
        assert re.search(r"PSO Trede [23]", labels)


def test_sign_up_choices_stand_beside_their_labels_on_a_phone(app) -> None:
    require_chromium()
    with live_server(app) as base, chromium(viewport=PHONE) as context:
        page = context.new_page()
        page.goto(base + "/registreren")
        for radio in page.locator("input[name=role]").all():
            label = page.locator(f"label[for={radio.get_attribute('id')}]")
            box, text = radio.bounding_box(), label.bounding_box()
            assert box["width"] < 40, "a radio button is its own size, not a wide box with the circle in it"
            gap = text["x"] - (box["x"] + box["width"])
            assert 0 <= gap < 16, f"the choice stands right before its label, not {gap:.0f} px away"
            assert abs((box["y"] + box["height"] / 2) - (text["y"] + min(text["height"], 30) / 2)) < 16


def test_account_name_change_with_the_keyboard_alone(app) -> None:
    require_chromium()
    seed()
    with live_server(app) as base, chromium(viewport=PHONE) as context:
        page = context.new_page()
        sign_in(page, base)
        page.goto(base + "/account")
        page.focus("#name")
        page.keyboard.press("Control+A")
        page.keyboard.type("An Jansen")
        with page.expect_navigation():  # the POST, then its redirect back to /account
            page.keyboard.press("Enter")
        assert "Uw naam is gewijzigd." in page.inner_text("main")
        assert page.input_value("#name") == "An Jansen"


def test_admin_jobs_page_has_no_wcag_violations_and_starts_a_job_from_the_keyboard(app) -> None:
    require_chromium()
    seed()
    user("beheer@impactmarkt.example", "admin")
    with live_server(app) as base, chromium(viewport=PHONE) as context:
        page = context.new_page()
        page.goto(base + "/inloggen")
        page.fill("#email", "beheer@impactmarkt.example")
        page.fill("#password", PASSWORD)
        page.press("#password", "Enter")
        page.wait_for_url(base + "/beheer/")  # an admin starts at the admin pages
        page.goto(base + "/beheer/taken")
        assert axe_violations(page) == []
        page.select_option("#kind", "reindex")
        page.get_by_role("button", name="Starten", exact=True).focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "klaar" in page.inner_text("table") and "documents: 32" in page.inner_text("table")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
