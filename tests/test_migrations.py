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


def _purchase(row_id: int, number: str, status: str = "approved", key: str | None = None) -> None:
    """A purchase row as written by the SQL of its revision (before 0016 there is no key)."""
    key_column, key_value = (", invoice_key", ", :key") if key else ("", "")
    db.session.execute(
        text(
            "INSERT INTO contributions (id, obligation_id, kind, organisation_id, amount_cents, counted_cents, "
            f"ruleset_version, status, created_at, invoice_number, supplements, ruleset_id, reasons, "
            f"review_reasons{key_column}) VALUES (:id, 1, 'purchase', 1, 10000, 10000, 1, :status, "
            f"CURRENT_TIMESTAMP, :number, '[]', 'r', '[]', '[]'{key_value})"
        ),
        {"id": row_id, "number": number, "status": status, "key": key},
    )


def _revision() -> str:
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def test_0016_keys_live_invoices_only_and_its_downgrade_refuses_in_words_what_it_cannot_undo(
    empty_database_url, tmp_path: Path, capfd
) -> None:
    """0016 puts a unique index on the invoice number's normal form. Its downgrade puts back the
    index on the number as written, which live doubles of one number make impossible: it refuses
    then, naming them and changing nothing, and works once they are set aside."""
    app = make_test_app(empty_database_url(), tmp_path)
    with app.app_context():
        upgrade(revision="0014")
        for statement in (
            "INSERT INTO users (id, email, display_name, locale, created_at) "
            "VALUES (1, 'a@b.example', 'A', 'nl', CURRENT_TIMESTAMP)",
            "INSERT INTO labour_market_regions (id, name, slug) VALUES (1, 'Twente', 'twente')",
            "INSERT INTO organisations (id, slug, name, sectors, created_at, updated_at, regions_served, "
            "field_sources) VALUES (1, 'a', 'A', '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '[]', '{}')",
            "INSERT INTO obligations (id, contractor_id, title, contracting_authority, contract_reference, "
            "contract_value_cents, percentage, region_id, ruleset_id, starts_on, ends_on, created_at, needs, "
            "cpv_codes) VALUES (1, 1, 'Werk', 'Gemeente', 'C-1', 100000000, 5, 1, 'r', '2026-01-01', "
            "'2027-12-31', CURRENT_TIMESTAMP, '', '[]')",
        ):
            db.session.execute(text(statement))
        _purchase(1, "INV-7", status="rejected")  # rejected, then entered again: one live invoice
        _purchase(2, "INV-7")
        _purchase(3, "inv-8")  # one invoice in two spellings, both live before 0016
        _purchase(4, "INV 8")
        db.session.commit()
        upgrade(revision="0016")
        keys = dict(db.session.execute(text("SELECT id, invoice_key FROM contributions")).all())
        # The live entry of INV-7 holds the plain key (the rejected one is outside the index), so
        # another spelling of it is refused; of the two live spellings of 8 the later stays apart.
        assert keys == {1: "inv7", 2: "inv7", 3: "inv8", 4: "inv8~4"}
        db.session.execute(
            text("UPDATE contributions SET status = 'rejected', invoice_key = 'inv8' WHERE id = 3")
        )
        # Now "INV 8" can be entered live again: two live rows under the same number as written.
        _purchase(5, "INV 8", key="inv8")
        db.session.commit()
        capfd.readouterr()
        try:
            downgrade(revision="0014")
        except SystemExit as exit_:  # Flask-Migrate logs the refusal and exits non-zero
            assert exit_.code == 1
        else:  # pragma: no cover - the assertion below reports it
            raise AssertionError("the downgrade went ahead over live doubles")
        said = capfd.readouterr().err
        assert "Cannot go below revision 0016" in said and "supplier 1, invoice 'INV 8': 2 times" in said
        db.session.remove()
        assert _revision() == "0016"
        assert "invoice_key" in {c["name"] for c in inspect(db.engine).get_columns("contributions")}

        db.session.execute(text("UPDATE contributions SET status = 'withdrawn' WHERE id = 5"))
        db.session.commit()
        downgrade(revision="0014")
        db.session.remove()
        assert _revision() == "0014"
        assert "invoice_key" not in {c["name"] for c in inspect(db.engine).get_columns("contributions")}
        db.session.remove()
        db.engine.dispose()
