#!/usr/bin/env bash
# Runs the whole suite on SQLite and on PostgreSQL, both at once (the machine has two cores and the
# two halves share nothing: each has its own databases, search indexes, mail folders and browser),
# then prints each half's output in turn. Tests that cannot depend on the database run in one half
# only (browser tests with SQLite, tests without a database with PostgreSQL: tests/conftest.py).
# PostgreSQL is used when it answers at IMPACTMARKT_TEST_POSTGRES_URL (default 127.0.0.1:5432); when CI=true and it does not answer, the
# run fails instead of skipping (see tests/conftest.py).
set -uo pipefail
cd "$(dirname "$0")/.."
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
IMPACTMARKT_TEST_HALVES=1 IMPACTMARKT_TEST_DATABASE=sqlite .venv/bin/pytest "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
IMPACTMARKT_TEST_DATABASE=postgresql .venv/bin/pytest "$@" >"$logs/postgresql.log" 2>&1 &
postgresql_pid=$!
status=0
wait "$sqlite_pid" || status=$?
echo "== tests on SQLite"
cat "$logs/sqlite.log"
wait "$postgresql_pid" || status=$?
echo "== tests on PostgreSQL"
cat "$logs/postgresql.log"
exit $status
