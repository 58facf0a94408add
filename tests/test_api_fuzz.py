"""Schemathesis fuzzes the public API from its own OpenAPI document: every operation, all checks
(no server errors, responses match their schemas, status codes and content types documented)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.factories import code, ingest, pso, senl


def seed() -> None:
    ingest(
        pso("1-uil", "Coöperatie Schoonmaakbedrijf De Uil", "Enschede", "Trede 3", kvk=("11111111",), pso30plus=True),
        code("koffie", "Koffiebranderij Twente", "Enschede", mission="Wij branden koffie."),
        senl("fietsen", "Fietsen voor Iedereen", "Zwolle", "BOOST"),
    )  # fmt: skip


def test_the_api_keeps_its_openapi_promises(app) -> None:
    # schemathesis.pytest.from_fixture does not run on this pytest; the same checks, driven by hand.
    seed()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 2
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate()

        check()
