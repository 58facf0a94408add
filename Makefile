# Impactmarkt: `make run` serves the marketplace, `make test` runs the tests on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast install lint translations browser bytecode clean

$(STAMP): setup.cfg setup.py pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d marketplace/translations -D messages >/dev/null

run: install
	$(BIN)/impactmarkt db upgrade
	$(BIN)/impactmarkt refdata load
	$(BIN)/impactmarkt registers fill
	IMPACTMARKT_DEVELOPMENT=1 $(BIN)/impactmarkt serve --host 127.0.0.1 --port 5000

# Bytecode is compiled once first: this environment sets PYTHONDONTWRITEBYTECODE, so without it
# every command the tests start (a crawl, a worker, an app server) compiled the project again.
test: install browser bytecode
	bash tests/run_all.sh

bytecode: $(STAMP)
	$(BIN)/python -m compileall -q -j 0 marketplace matching scrapers tests benchmarks >/dev/null

# The fast set for a developer's loop: no browser, no real crawl commands, SQLite only.
test-fast: install
	IMPACTMARKT_TEST_DATABASE=sqlite $(BIN)/pytest -q -m "not slow and not browser"

# Browser tests drive the system Chromium; install Debian's package when it is missing and we may.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium from Debian's packages for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "No Chromium and no way to install it here: browser tests will be skipped"; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
