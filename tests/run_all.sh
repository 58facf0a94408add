#!/usr/bin/env bash
# Runs the whole suite on SQLite, then again on PostgreSQL.
# PostgreSQL is used when it answers at IMPACTMARKT_TEST_POSTGRES_URL (default 127.0.0.1:5432);
# when CI=true and it does not answer, the run fails instead of skipping (see tests/conftest.py).
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
echo "== tests on SQLite"
IMPACTMARKT_TEST_DATABASE=sqlite .venv/bin/pytest "$@" || status=$?
echo "== tests on PostgreSQL"
IMPACTMARKT_TEST_DATABASE=postgresql .venv/bin/pytest "$@" || status=$?
exit $status
