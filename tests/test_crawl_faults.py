"""The crawl fault matrix: every way a register page can misbehave, on listing and detail pages,
with a cold and a warm HTTP cache. For each: the run's status, its reason, and that no label
changes state wrongly (a page that could not be read never delists anyone).

The matrix runs on a two-page copy of the PSO register (50 certificates) through the real
`impactmarkt crawl` command. It judges spiders, the HTTP cache and the run rules, none of
which depend on the database, so it runs in the SQLite half of `make test`; storing runs on
both databases in test_crawl_lifecycle.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from marketplace.core.extensions import db
from marketplace.core.reasons import explain_all
from marketplace.organisations.models import Label
from marketplace.registers.models import CrawlRun
from scrapers.snapshot_server import SNAPSHOT_DIR
from tests.conftest import BACKEND, make_test_app
from tests.crawling import crawl
from tests.factories import outbox, user
from tests.register_server import serve_register

pytestmark = pytest.mark.skipif(BACKEND != "sqlite", reason="database-independent: runs in the SQLite half")

DETAIL = "/organisatie/92970-achterhoekse-zeepmakerij.html"  # on the first listing page
LISTING = "/register/index.html"
FAILED, COMPLETE = "failed", "complete"
# fault -> (page it hits, expected status, words the reason or summary must contain)
MATRIX = {
    ("500", "listing"): (LISTING, FAILED, "overzichtspagina"),
    ("timeout", "listing"): (LISTING, FAILED, "overzichtspagina"),
    ("truncate", "listing"): (LISTING, FAILED, "onvolledig"),
    ("empty", "listing"): (LISTING, FAILED, "geen leesbare rijen"),
    ("reorder", "listing"): (LISTING, COMPLETE, "ongewijzigd 50"),
    ("rename", "listing"): (LISTING, COMPLETE, "ongewijzigd 50"),
    ("unknown-headers", "listing"): (LISTING, FAILED, "opmaak van het register is veranderd"),
    ("malformed", "listing"): (LISTING, COMPLETE, "ongewijzigd 50"),
    ("500", "detail"): (DETAIL, COMPLETE, "fouten 1"),
    ("timeout", "detail"): (DETAIL, COMPLETE, "fouten 1"),
    ("truncate", "detail"): (DETAIL, COMPLETE, "fouten 1"),
    ("empty", "detail"): (DETAIL, FAILED, "opmaak van het register is veranderd"),
    ("reorder", "detail"): (DETAIL, COMPLETE, "ongewijzigd 50"),
    ("rename", "detail"): (DETAIL, COMPLETE, "ongewijzigd 50"),
    ("unknown-headers", "detail"): (DETAIL, FAILED, "opmaak van het register is veranderd"),
    ("malformed", "detail"): (DETAIL, COMPLETE, "ongewijzigd 50"),
}
# On a detail page there is no table: "empty" is a page without facts, unknown headers are
# facts no longer in dt/dd pairs, and reordering changes nothing.
DETAIL_FAULT = {"empty": "restructure", "unknown-headers": "restructure", "reorder": "rename"}


def small_pso(destination: Path) -> Path:
    """The PSO register cut to its first two listing pages, its stated total to match."""
    folder = destination / "pso"
    shutil.copytree(SNAPSHOT_DIR / "pso", folder)
    for page in (folder / "register").glob("pagina-*.html"):
        if page.name != "pagina-2.html":
            page.unlink()
    for page in (folder / "register").iterdir():
        text = page.read_text(encoding="utf-8").replace("299 certificaten", "50 certificaten")
        if page.name == "pagina-2.html":
            text = re.sub(r'<a href="[^"]+" rel="next">.*?</a>', "", text)
        page.write_text(text, encoding="utf-8")
    return folder


def label_facts() -> dict[str, tuple]:
    db.session.remove()
    return {
        label.record_key: (label.state, label.level, label.valid_until, label.organisation_id, label.content_hash)
        for label in db.session.scalars(select(Label))
    }


@pytest.fixture(scope="module")
def intact_crawl(tmp_path_factory: pytest.TempPathFactory, migrated_database: str) -> Path:
    """One complete crawl of the intact register: its database, search index and HTTP cache,
    copied into each test instead of crawling again (the matrix has 32 cases)."""
    work = tmp_path_factory.mktemp("intact")
    shutil.copyfile(make_url(migrated_database).database or "", work / "test.sqlite")
    app = make_test_app(f"sqlite:///{work / 'test.sqlite'}", work)
    register = small_pso(work / "site")
    with app.app_context(), serve_register(register, "pso") as url:
        first = crawl(app, "pso", url, work / "first")
        assert first.returncode == 0 and "nieuw 50" in first.stdout, first.stdout + first.stderr
        db.engine.dispose()
    return work


def start_from(app, intact: Path, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """This test's database, index and cache become the intact crawl's; returns the register copy."""
    db.session.remove()
    db.engine.dispose()
    shutil.copyfile(intact / "test.sqlite", make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database or "")
    shutil.rmtree(app.config["SEARCH_INDEX_DIR"], ignore_errors=True)
    shutil.copytree(intact / "search-index", app.config["SEARCH_INDEX_DIR"])
    shutil.copytree(intact / "first", tmp_path / "first")
    return intact / "site" / "pso"


@pytest.mark.slow
@pytest.mark.parametrize("cache", ["cold", "warm"])
@pytest.mark.parametrize(("fault", "page"), list(MATRIX))
def test_crawl_fault_matrix(app, intact_crawl: Path, tmp_path: Path, fault: str, page: str, cache: str) -> None:
    path, expected_status, expected_words = MATRIX[(fault, page)]
    served_fault = DETAIL_FAULT.get(fault, fault) if page == "detail" else fault
    register = start_from(app, intact_crawl, tmp_path)
    user("beheer@impactmarkt.test", "admin")
    before = label_facts()
    assert len(before) == 50
    workdir = tmp_path / ("first" if cache == "warm" else "cold")
    with serve_register(register, "pso", {path: served_fault}) as url:
        result = crawl(app, "pso", url, workdir, timeout=1.0)
    run = db.session.scalar(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1))
    said = result.stdout + explain_all(run.failure_reasons or [])
    assert run.status == expected_status, said
    assert result.returncode == (0 if expected_status == COMPLETE else 1), said
    assert expected_words in said
    assert label_facts() == before, "a label changed state although no register change was seen"
    if expected_status == COMPLETE and "fouten 1" in expected_words:
        assert run.errors == 1
        assert DETAIL in said  # the run names the page it could not read
    layout_mails = [m for m in outbox(app) if "opmaak van register" in m["Subject"]]
    if "opmaak" in expected_words:
        assert [m["To"] for m in layout_mails] == ["beheer@impactmarkt.test"]
        assert path.split("/")[-1][:20] in layout_mails[0].get_content()
    else:
        assert layout_mails == []
