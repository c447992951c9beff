# Resolution Tracker — the two commands a new user needs:
#   make run    set everything up and serve http://127.0.0.1:8000/ with the seed resolution loaded
#   make test   set everything up and run the checks and the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost

.PHONY: run test test-fast setup lint format check migrate serve clean chromium

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the requirements change, so a second run is fast.
$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

# A local secret key, made once and kept out of git.
.secret_key: | $(BIN)/python
	$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

setup: $(VENV)/.installed-runtime .secret_key
	DJANGO_SECRET_KEY=$$(cat .secret_key) $(BIN)/python manage.py migrate --no-input -v 0
	DJANGO_SECRET_KEY=$$(cat .secret_key) $(BIN)/python manage.py load_bundled_data
	DJANGO_SECRET_KEY=$$(cat .secret_key) $(BIN)/python manage.py collectstatic --no-input -v 0

run: setup
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/; stop with Ctrl-C)"
	DJANGO_LOG_FORMAT=$${DJANGO_LOG_FORMAT:-text} DJANGO_SECRET_KEY=$$(cat .secret_key) $(BIN)/python manage.py runserver $(HOST):$(PORT)

check: $(VENV)/.installed-dev
	DJANGO_SECRET_KEY=check-only $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Browser tests drive Debian's Chromium (never Playwright's own download) with the DejaVu fonts alone,
# so that screenshots are the same on every machine (tests/fonts.conf): install them when missing.
CHROMIUM ?= /usr/bin/chromium
chromium:
	@if [ -x "$(CHROMIUM)" ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] \
	&& [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then apt-get update && apt-get install -y chromium fonts-dejavu-core fonts-dejavu-extra; \
	else echo "Chromium or its fonts are missing and installing them needs root: run 'sudo apt-get install -y chromium fonts-dejavu-core fonts-dejavu-extra', then make test again." >&2; exit 1; fi

# Two test processes by default (pytest-xdist), fed in collection order: pytest-django runs the
# transactional tests (browser, live server), which empty the database, after all the others.
TEST_PROCESSES ?= 2
test: check chromium
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist load $(PYTEST_ARGS)

# The inner loop: no corpus, no browser.
test-fast: check
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist load -m "not corpus and not browser" $(PYTEST_ARGS)

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .secret_key
