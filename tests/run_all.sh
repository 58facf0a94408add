#!/usr/bin/env bash
# Runs the whole suite on SQLite and on PostgreSQL at once, in five processes on the machine's two
# cores (they share nothing: each has its own databases, search indexes, mail folders and browser).
# Many slow tests mostly wait (a crawl's time-out, a worker's retry, a lock's lease, Chromium), so
# five processes keep both cores busy where three left them idle:
#   SQLite: the fast tests; the browser tests; the real-crawl and worker tests;
#   PostgreSQL: the fast tests; the real-crawl and worker tests.
# Then it prints each part's output in turn, with its slowest tests. Tests that cannot depend on
# the database run in one half only (browser tests and the crawl fault matrix with SQLite, tests
# without a database with PostgreSQL: tests/conftest.py).
# PostgreSQL is used when it answers at IMPACTMARKT_TEST_POSTGRES_URL (default 127.0.0.1:5432);
# when CI=true and it does not answer, the run fails instead of skipping (see tests/conftest.py).
set -uo pipefail
cd "$(dirname "$0")/.."
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

parts=(
  "sqlite|not (browser or slow)|SQLite, fast tests"
  "sqlite|browser|SQLite, browser tests"
  "sqlite|slow and not browser|SQLite, real crawls and workers"
  "postgresql|not slow|PostgreSQL, fast tests"
  "postgresql|slow|PostgreSQL, real crawls and workers"
)
pids=()
for index in "${!parts[@]}"; do
  IFS="|" read -r database marks _title <<<"${parts[$index]}"
  IMPACTMARKT_TEST_HALVES=1 IMPACTMARKT_TEST_DATABASE="$database" \
    .venv/bin/pytest --durations=10 -p no:cacheprovider -m "$marks" "$@" >"$logs/$index.log" 2>&1 &
  pids+=("$!")
done
status=0
for index in "${!parts[@]}"; do
  IFS="|" read -r _database _marks title <<<"${parts[$index]}"
  wait "${pids[$index]}"
  code=$?
  # pytest exits 5 when a part selects no test (a browser-less machine still runs the rest)
  if [ "$code" -ne 0 ] && [ "$code" -ne 5 ]; then status=$code; fi
  echo "== $title"
  cat "$logs/$index.log"
done
exit $status
