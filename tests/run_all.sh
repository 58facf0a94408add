#!/usr/bin/env bash
# Runs the whole suite on SQLite and on PostgreSQL at once, in six processes on the machine's two
# cores (they share nothing: each has its own databases, search indexes, mail folders and browser).
# Many slow tests mostly wait (a crawl's time-out, a worker's retry, a lock's lease, Chromium), so
# six processes keep both cores busy where three left them idle:
#   SQLite: the fast tests; the browser tests; the crawl fault matrix; the other crawl and worker tests;
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

faults="tests/test_crawl_faults.py"
# database|marks|title|where (pytest's own arguments: files to run, or files to leave out)
parts=(
  "sqlite|not (browser or slow)|SQLite, fast tests|"
  "sqlite|browser|SQLite, browser tests|"
  "sqlite|slow and not browser|SQLite, the crawl fault matrix|$faults"
  "sqlite|slow and not browser|SQLite, other real crawls and workers|--ignore=$faults"
  "postgresql|not slow|PostgreSQL, fast tests|"
  "postgresql|slow|PostgreSQL, real crawls and workers|"
)
pids=()
for index in "${!parts[@]}"; do
  IFS="|" read -r database marks _title where <<<"${parts[$index]}"
  # shellcheck disable=SC2086  # $where is empty or one word
  IMPACTMARKT_TEST_HALVES=1 IMPACTMARKT_TEST_DATABASE="$database" \
    .venv/bin/pytest --durations=10 -p no:cacheprovider -m "$marks" $where "$@" >"$logs/$index.log" 2>&1 &
  pids+=("$!")
done
status=0
for index in "${!parts[@]}"; do
  IFS="|" read -r _database _marks title _where <<<"${parts[$index]}"
  wait "${pids[$index]}"
  code=$?
  # pytest exits 5 when a part selects no test (a browser-less machine still runs the rest)
  if [ "$code" -ne 0 ] && [ "$code" -ne 5 ]; then status=$code; fi
  echo "== $title"
  cat "$logs/$index.log"
done
exit $status
