"""The life of a label through crawls, and crawls that must not delist anyone.

Every test first crawls the intact register so there is something to lose, then crawls
again under the condition being tested, through the real `impactmarkt crawl` command.

What a crawl stores (new, changed, into grace, expired, back again) runs on both databases. A
register that misbehaves is judged by the spiders and the run rules before anything is stored
(the run fails and changes nothing, or reads every record unchanged): like the fault matrix in
test_crawl_faults, those cases run in the SQLite half only.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from marketplace.core.database import utcnow
from marketplace.core.extensions import db
from marketplace.core.reasons import explain_all
from marketplace.organisations.models import Label, Organisation
from marketplace.registers.models import CrawlRun
from scrapers.snapshot_server import SNAPSHOT_DIR
from tests.conftest import BACKEND, make_test_app
from tests.crawling import crawl
from tests.register_server import editable_copy, serve_register

pytestmark = pytest.mark.slow
database_independent = pytest.mark.skipif(
    BACKEND != "sqlite", reason="database-independent: runs in the SQLite half"
)

PSO = SNAPSHOT_DIR / "pso"
DE_VONK = "/organisatie/10223-maatschap-testlab-de-vonk.html"
BRUG = "/organisatie/92970-achterhoekse-zeepmakerij.html"


def label_facts() -> dict[str, tuple]:
    db.session.remove()
    return {
        label.record_key: (label.state, label.level, label.organisation_id, label.content_hash)
        for label in db.session.scalars(select(Label))
    }


def crawl_ok(app, register: str, folder: Path, workdir: Path):
    with serve_register(folder, register) as url:
        result = crawl(app, register, url, workdir)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def intact_crawls(tmp_path_factory: pytest.TempPathFactory, migrated_database: str) -> Callable[[str], Path]:
    """Per register, one complete crawl of its intact snapshot through the real command, made once:
    on SQLite each test starts from a copy of its database, search index and HTTP cache instead of
    crawling the whole register again (as the fault matrix does)."""
    made: dict[str, Path] = {}

    def intact(register: str) -> Path:
        if register not in made:
            work = tmp_path_factory.mktemp(f"intact-{register}")
            shutil.copyfile(make_url(migrated_database).database or "", work / "test.sqlite")
            app = make_test_app(f"sqlite:///{work / 'test.sqlite'}", work)
            with app.app_context():
                crawl_ok(app, register, SNAPSHOT_DIR / register, work)
                db.session.remove()
                db.engine.dispose()
            made[register] = work
        return made[register]

    return intact


def start_intact(app, register: str, workdir: Path, intact_crawls: Callable[[str], Path]) -> None:  # type: ignore[no-untyped-def]
    """The test's database, search index and HTTP cache (in `workdir`) become those of a complete crawl
    of the intact register: a copy of the one crawl on SQLite, a crawl of its own on PostgreSQL."""
    if BACKEND != "sqlite":
        crawl_ok(app, register, SNAPSHOT_DIR / register, workdir)
        return
    work = intact_crawls(register)
    db.session.remove()
    db.engine.dispose()
    shutil.copyfile(work / "test.sqlite", make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database or "")
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"], ignore_errors=True)
    shutil.copytree(work / "search-index", app.config["SEARCH_INDEX_DIR"])
    shutil.copytree(work / "crawl-cache", workdir / "crawl-cache", dirs_exist_ok=True)


def remove_pso_entry(folder: Path, key: str) -> None:
    """Take one certificate out of a register copy, as the register would (count included)."""
    for page in (folder / "register").iterdir():
        text = page.read_text(encoding="utf-8")
        text = re.sub(rf'<tr><td><a href="{re.escape(key)}">.*?</tr>\n', "", text)
        text = text.replace("299 certificaten", "298 certificaten")
        page.write_text(text, encoding="utf-8")


def test_crawling_twice_changes_nothing_and_revalidates_conditionally(app, tmp_path: Path) -> None:
    with serve_register(PSO, "pso") as url:
        first = crawl(app, "pso", url, tmp_path)
        assert first.returncode == 0 and "nieuw 299" in first.stdout
        before = label_facts()
        organisations_before = db.session.scalar(select(db.func.count()).select_from(Organisation))
        requests = serve_register.last_handler.requests  # type: ignore[attr-defined]
        requests.clear()
        second = crawl(app, "pso", url, tmp_path)
    assert second.returncode == 0
    assert "nieuw 0, gewijzigd 0, ongewijzigd 299, naar herbevestiging 0" in second.stdout
    assert label_facts() == before
    assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == organisations_before
    detail_requests = [(path, since) for path, since in requests if path.startswith("/organisatie/")]
    assert len(detail_requests) == 299
    assert all(since is not None for _, since in detail_requests), "a re-crawl should ask If-Modified-Since"


def test_a_vanished_label_goes_into_grace_then_expires_and_its_profile_stays(
    app, client, tmp_path: Path, intact_crawls
) -> None:
    start_intact(app, "pso", tmp_path, intact_crawls)
    copy = editable_copy(SNAPSHOT_DIR, "pso", tmp_path / "site")
    remove_pso_entry(copy, BRUG)
    result = crawl_ok(app, "pso", copy, tmp_path)
    assert "naar herbevestiging 1," in result.stdout
    label = db.session.scalar(select(Label).where(Label.record_key == BRUG))
    assert label.state == "grace"
    slug = label.organisation.slug
    profile = client.get(f"/organisaties/{slug}")
    assert profile.status_code == 200 and "herbevestiging loopt" in profile.text
    assert slug in client.get("/organisaties?q=Zeepmakerij").text

    # Ninety days later the register still does not list it: the label expires.
    label.grace_since = utcnow() - timedelta(days=91)
    db.session.commit()
    result = crawl_ok(app, "pso", copy, tmp_path)
    assert "verlopen 1," in result.stdout
    db.session.remove()
    assert db.session.scalar(select(Label.state).where(Label.record_key == BRUG)) == "expired"
    assert slug not in client.get("/organisaties?q=Zeepmakerij").text
    profile = client.get(f"/organisaties/{slug}")
    assert profile.status_code == 200 and "verlopen" in profile.text

    # Back in the register: listed again.
    crawl_ok(app, "pso", PSO, tmp_path)
    db.session.remove()
    assert db.session.scalar(select(Label.state).where(Label.record_key == BRUG)) == "active"


def test_a_changed_record_updates_register_facts_and_keeps_the_owners_text(
    app, tmp_path: Path, intact_crawls
) -> None:
    start_intact(app, "pso", tmp_path, intact_crawls)
    organisation = db.session.scalar(select(Label).where(Label.record_key == BRUG)).organisation
    organisation.description = "Onze eigen tekst, geschreven door de eigenaar."
    db.session.commit()
    copy = editable_copy(SNAPSHOT_DIR, "pso", tmp_path / "site")
    page = copy / BRUG.lstrip("/")
    page.write_text(
        page.read_text(encoding="utf-8").replace("<dd>Trede 2</dd>", "<dd>Trede 3</dd>"), encoding="utf-8"
    )
    result = crawl_ok(app, "pso", copy, tmp_path)
    assert "nieuw 0, gewijzigd 1, ongewijzigd 298" in result.stdout
    db.session.remove()
    label = db.session.scalar(select(Label).where(Label.record_key == BRUG))
    assert label.level == "Trede 3"
    assert label.organisation.description == "Onze eigen tekst, geschreven door de eigenaar."


def test_a_past_valid_until_shows_expired_while_the_register_still_lists_it(
    app, client, tmp_path: Path, intact_crawls
) -> None:
    start_intact(app, "pso", tmp_path, intact_crawls)
    label = db.session.scalar(select(Label).where(Label.record_key == DE_VONK))
    assert label.state == "active"  # the register lists it ...
    profile = client.get(f"/organisaties/{label.organisation.slug}")
    assert "verlopen" in profile.text  # ... but its certificate ran until 31 March 2026
    assert label.organisation.slug not in client.get("/organisaties?q=Vonk").text


FAULTS = {
    "a 500 on one listing page": ("pso", {"/register/pagina-3.html": "500"}, "overzichtspagina"),
    "a time-out on one listing page": ("pso", {"/register/pagina-2.html": "timeout"}, "overzichtspagina"),
    "truncated listing HTML": ("pso", {"/register/index.html": "truncate"}, "onvolledig"),
    "an empty listing": ("pso", {"/register/index.html": "empty"}, "geen leesbare rijen"),
    "a changed detail layout": ("pso", {"/organisatie/*": "restructure"}, "opmaak van het register is veranderd"),
    "a Code page without its facts": ("code", {"/register/*": "unlabelled"}, "opmaak van het register is veranderd"),
    "a 500 on the JSON endpoint": ("senl", {"/wp-json/senl/v1/leden/page-2.json": "500"}, "overzichtspagina"),
    "JSON without its items": ("senl", {"/wp-json/*": "layout"}, "geen geldige ledenlijst"),
}


@database_independent
@pytest.mark.parametrize("case", list(FAULTS))
def test_a_misbehaving_register_loses_no_label_and_says_why(app, tmp_path: Path, case: str, intact_crawls) -> None:
    register, faults, expected_reason = FAULTS[case]
    start_intact(app, register, tmp_path, intact_crawls)
    before = label_facts()
    with serve_register(SNAPSHOT_DIR / register, register, faults) as url:
        result = crawl(app, register, url, tmp_path / "bad", timeout=1.0)
    assert result.returncode == 1
    assert "MISLUKT" in result.stdout and expected_reason in result.stdout
    assert label_facts() == before
    run = db.session.scalar(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1))
    assert run.status == "failed" and expected_reason in explain_all(run.failure_reasons or [])


@database_independent
def test_a_suspiciously_small_register_delists_nobody(app, tmp_path: Path, intact_crawls) -> None:
    start_intact(app, "pso", tmp_path, intact_crawls)
    before = label_facts()
    copy = editable_copy(SNAPSHOT_DIR, "pso", tmp_path / "site")
    for number in range(6, 13):
        (copy / "register" / f"pagina-{number}.html").unlink()
    page5 = copy / "register" / "pagina-5.html"
    page5.write_text(re.sub(r'<a href="[^"]+" rel="next">.*?</a>', "", page5.read_text(encoding="utf-8")))
    for page in (copy / "register").iterdir():
        page.write_text(page.read_text(encoding="utf-8").replace("299 certificaten", "125 certificaten"))
    with serve_register(copy, "pso") as url:
        result = crawl(app, "pso", url, tmp_path)
    assert result.returncode == 1
    assert "minder dan 70%" in result.stdout
    assert label_facts() == before


@database_independent
@pytest.mark.parametrize(
    ("register", "faults"),
    [("senl", {"/wp-json/*": "senl-renamed"}), ("pso", {"/register/*": "reorder", "/organisatie/*": "rename"}),
     ("code", {"/register/*": "layout"})],  # renamed CSS classes of the card grid and the facts block
)
def test_a_register_that_renames_or_reorders_its_fields_is_still_read_completely(
    app, tmp_path: Path, register: str, faults: dict, intact_crawls
) -> None:
    start_intact(app, register, tmp_path, intact_crawls)
    before = label_facts()
    with serve_register(SNAPSHOT_DIR / register, register, faults) as url:
        result = crawl(app, register, url, tmp_path / "renamed")
    assert result.returncode == 0 and "VOLLEDIG" in result.stdout, result.stdout
    assert label_facts() == before


def test_register_links_point_at_the_register_not_at_the_copy_it_was_read_from(
    app, client, tmp_path: Path, intact_crawls
) -> None:
    start_intact(app, "pso", tmp_path, intact_crawls)
    label = db.session.scalar(select(Label).where(Label.record_key == DE_VONK))
    assert label.source_url == "https://www.pso-nederland.nl" + DE_VONK
    assert label.register_data["fetched_url"].startswith("http://127.0.0.1:")
    page = client.get(f"/organisaties/{label.organisation.slug}").get_data(as_text=True)
    assert f'href="https://www.pso-nederland.nl{DE_VONK}"' in page
    assert "127.0.0.1" not in page
