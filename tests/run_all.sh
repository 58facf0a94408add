#!/usr/bin/env bash
# Runs the whole suite on SQLite and on PostgreSQL at once, in three processes on the machine's two
# cores (they share nothing: each has its own databases, search indexes, mail folders and browser):
# SQLite's fast tests, SQLite's browser and real-crawl tests (the slowest third), and PostgreSQL;
# then prints each part's output in turn, with its slowest tests. Tests that cannot depend on the
# database run in one half only (browser tests with SQLite, tests without a database with
# PostgreSQL: tests/conftest.py).
# PostgreSQL is used when it answers at IMPACTMARKT_TEST_POSTGRES_URL (default 127.0.0.1:5432);
# when CI=true and it does not answer, the run fails instead of skipping (see tests/conftest.py).
set -uo pipefail
cd "$(dirname "$0")/.."
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
slow="browser or slow"
IMPACTMARKT_TEST_HALVES=1 IMPACTMARKT_TEST_DATABASE=sqlite .venv/bin/pytest --durations=15 -m "not ($slow)" "$@" \
  >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
IMPACTMARKT_TEST_HALVES=1 IMPACTMARKT_TEST_DATABASE=sqlite .venv/bin/pytest --durations=15 -m "$slow" "$@" \
  >"$logs/sqlite-slow.log" 2>&1 &
sqlite_slow_pid=$!
IMPACTMARKT_TEST_DATABASE=postgresql .venv/bin/pytest --durations=15 "$@" >"$logs/postgresql.log" 2>&1 &
postgresql_pid=$!
status=0
wait "$sqlite_pid" || status=$?
echo "== tests on SQLite (without the browser and real-crawl tests)"
cat "$logs/sqlite.log"
wait "$sqlite_slow_pid" || status=$?
echo "== browser and real-crawl tests on SQLite"
cat "$logs/sqlite-slow.log"
wait "$postgresql_pid" || status=$?
echo "== tests on PostgreSQL"
cat "$logs/postgresql.log"
exit $status
