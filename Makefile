# Sunshine Console: `make run` serves the demo on http://127.0.0.1:8080, `make test` tests.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app run
export APP_CONFIG ?= development
# Two test processes (pytest-xdist): each builds its own seeded template database.
PYTEST_ARGS ?= -n 2

.PHONY: run test lint translations compile-translations install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

compile-translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d translations

run: install compile-translations
	$(FLASK) db upgrade
	$(FLASK) roles sync
	$(FLASK) demo seed --if-empty
	$(FLASK) calendar load-official
	$(FLASK) run --host 127.0.0.1 --port 8080

test: install-dev compile-translations
	$(BIN)/ruff check .
	APP_CONFIG=testing $(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

translations: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k gettext -k _ \
		--no-location --sort-output --project "Sunshine Console" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l zh --no-fuzzy-matching
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l en --no-fuzzy-matching
	$(BIN)/python -m app.i18n_tools fill-english translations/en/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile --statistics -d translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
