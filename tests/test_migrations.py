"""The models and the one Alembic chain agree, and the chain runs both ways on this backend."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from marketplace.core.extensions import db
from tests.conftest import make_test_app


def test_autogenerate_finds_no_difference_after_upgrade(empty_database_url, tmp_path: Path) -> None:
    app = make_test_app(empty_database_url(), tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"render_as_batch": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_upgrade_downgrade_upgrade_round_trip(empty_database_url, tmp_path: Path) -> None:
    app = make_test_app(empty_database_url(), tmp_path)
    with app.app_context():
        upgrade()
        assert "organisations" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


def test_audit_log_refuses_update_and_delete_in_the_database(app) -> None:
    from sqlalchemy.exc import DBAPIError

    db.session.execute(
        text(
            "INSERT INTO audit_log (at, action, subject_type, subject_id, details) "
            "VALUES (CURRENT_TIMESTAMP, 'test', 'organisation', '1', '{}')"
        )
    )
    db.session.commit()
    for statement in ("UPDATE audit_log SET action = 'changed'", "DELETE FROM audit_log"):
        try:
            db.session.execute(text(statement))
            db.session.commit()
        except DBAPIError:
            db.session.rollback()
        else:  # pragma: no cover - the assertion below reports it
            raise AssertionError(f"the database accepted: {statement}")
    assert db.session.execute(text("SELECT action FROM audit_log")).scalar_one() == "test"


def test_links_to_a_local_register_copy_become_the_registers_own_pages(empty_database_url, tmp_path: Path) -> None:
    app = make_test_app(empty_database_url(), tmp_path)
    with app.app_context():
        upgrade(revision="0009")
        db.session.execute(
            text(
                "INSERT INTO organisations (id, slug, name, sectors, created_at, updated_at, regions_served, "
                "field_sources) VALUES (1, 'a', 'A', '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '[]', '{}')"
            )
        )
        for label_id, register, url in [
            (1, "pso", "http://127.0.0.1:39817/organisatie/10223-de-vonk.html"),
            (2, "code", "http://localhost:8002/register/de-uil/"),
            (3, "senl", "https://www.social-enterprise.nl/leden/glans/"),
        ]:
            db.session.execute(
                text(
                    "INSERT INTO labels (id, organisation_id, register, record_key, name_as_registered, "
                    "kvk_numbers, pso30plus, state, first_seen, last_seen, source_url, register_data) VALUES "
                    "(:id, 1, :register, :id, 'A', '[]', false, 'active', CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP, :url, '{}')"
                ),
                {"id": label_id, "register": register, "url": url},
            )
        db.session.commit()
        upgrade()
        urls = dict(db.session.execute(text("SELECT id, source_url FROM labels")).all())
        db.session.remove()
        db.engine.dispose()
    assert urls == {
        1: "https://www.pso-nederland.nl/organisatie/10223-de-vonk.html",
        2: "https://www.codesocialeondernemingen.nl/register/de-uil/",
        3: "https://www.social-enterprise.nl/leden/glans/",
    }
