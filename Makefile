# Impactmarkt: `make run` serves the marketplace, `make test` runs the tests on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install lint translations browser clean

$(STAMP): setup.cfg pyproject.toml
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
	$(BIN)/impactmarkt run --host 127.0.0.1 --port 5000

test: install
	bash tests/run_all.sh

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
