"""The audit log holds against the database's own clients (issue 22): entries are hash-chained
and `impactmarkt audit verify` names the first that does not fit; SQLite refuses INSERT OR
REPLACE over an entry and PostgreSQL refuses TRUNCATE."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from marketplace.core import audit
from marketplace.core.extensions import db


def _dialect() -> str:
    return db.engine.dialect.name


def _three_entries() -> list[int]:
    entries = [audit.record(None, "test.decision", "contribution", n, amount="12.50", n=n) for n in (1, 2, 3)]
    db.session.commit()
    return [entry.id for entry in entries]


def _as_the_owner(*statements: str) -> None:
    """What someone with the owner's rights does: lift the append-only triggers, change, restore."""
    if _dialect() == "postgresql":
        db.session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        for statement in statements:
            db.session.execute(text(statement))
        db.session.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
    else:
        kept = db.session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
        ).all()
        for name, _sql in kept:
            db.session.execute(text(f"DROP TRIGGER {name}"))
        for statement in statements:
            db.session.execute(text(statement))
        for _name, sql in kept:
            db.session.execute(text(sql))
    db.session.commit()


def _verify(app) -> tuple[int, dict, str]:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_an_untouched_log_verifies(app) -> None:
    ids = _three_entries()
    code, report, _ = _verify(app)
    assert code == 0 and report["intact"] is True and report["checked"] == len(ids) == 3
    assert report["first_broken_entry"] is None


def test_a_changed_entry_is_named(app) -> None:
    _first, second, _third = _three_entries()
    _as_the_owner(f"UPDATE audit_log SET subject_id = '99' WHERE id = {second}")
    code, report, words = _verify(app)
    assert code == 2 and report["intact"] is False
    assert (report["first_broken_entry"], report["problem"]) == (second, "hash")
    assert f"Logboekregel {second} is veranderd" in words


def test_a_removed_entry_breaks_the_link_of_the_next(app) -> None:
    _first, second, third = _three_entries()
    _as_the_owner(f"DELETE FROM audit_log WHERE id = {second}")
    code, report, words = _verify(app)
    assert code == 2 and (report["first_broken_entry"], report["problem"]) == (third, "link")
    assert f"Logboekregel {third} sluit niet aan" in words


def test_an_entry_inserted_past_the_app_is_named(app) -> None:
    _three_entries()
    db.session.execute(text(
        "INSERT INTO audit_log (at, action, subject_type, subject_id, details) "
        "VALUES (CURRENT_TIMESTAMP, 'forged', 'organisation', '1', '{}')"
    ))  # fmt: skip
    db.session.commit()
    code, report, _ = _verify(app)
    assert code == 2 and report["problem"] == "unchained"


def test_sqlite_refuses_insert_or_replace_over_an_entry(app) -> None:
    if _dialect() != "sqlite":
        pytest.skip("SQLite's INSERT OR REPLACE")
    first, *_ = _three_entries()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text(
            "INSERT OR REPLACE INTO audit_log (id, at, action, subject_type, subject_id, details) "
            f"VALUES ({first}, CURRENT_TIMESTAMP, 'rewritten', 'organisation', '1', '{{}}')"
        ))  # fmt: skip
    db.session.rollback()
    assert (
        db.session.execute(text(f"SELECT action FROM audit_log WHERE id = {first}")).scalar_one()
        == "test.decision"
    )
    assert _verify(app)[0] == 0


def test_postgresql_refuses_truncate_even_for_the_owner(app) -> None:
    if _dialect() != "postgresql":
        pytest.skip("PostgreSQL's TRUNCATE")
    _three_entries()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_log CASCADE"))
    db.session.rollback()
    assert db.session.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 3
