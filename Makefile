# Resolution Tracker — the two commands a new user needs:
#   make run    set everything up and serve http://127.0.0.1:8000/ with the seed resolution loaded
#   make test   set everything up and run the checks and the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast setup lint format check migrate serve clean chromium messages

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

# The local settings, made once and kept out of git: a secret key of this copy's own (the one in
# .secret_key, if an earlier make run made that file), local host names. Every manage.py command reads it.
.env: | $(BIN)/python
	$(BIN)/python -m tracker.local_env $@

# Static files are collected only when one changed (a file or folder under a static/ folder, or the
# installed packages, which bring the admin's). Always with the manifest that debug-off pages need.
STATIC_SOURCES := $(shell find static $(wildcard */static) 2>/dev/null)
staticfiles/staticfiles.json: $(STATIC_SOURCES) $(VENV)/.installed-runtime | .env
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --no-input -v 0
	touch $@

# The interface's translations: each catalogue (locale/<code>/LC_MESSAGES/django.po, in git) compiled
# for Django when it changed (the .mo files are not kept in git). GNU gettext's msgfmt does it.
MESSAGES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
messages: $(MESSAGES)
GETTEXT = @command -v msgfmt >/dev/null || { if [ "$$(id -u)" = "0" ]; then apt-get update && apt-get install -y gettext; \
	else echo "GNU gettext (msgfmt) is missing and installing it needs root: run 'sudo apt-get install -y gettext', then make again." >&2; exit 1; fi; }
locale/%.mo: locale/%.po
	$(GETTEXT)
	msgfmt --check-format -o $@ $<
# Chinese: the UN's code is zh, but Django and the apps ship their own words (the admin's, a form's
# errors) as zh_Hans, which Django never reads for zh. Ours first, then theirs, merged into zh's one.
# (The installed packages are looked for when the rule runs: in a fresh clone they are installed by then.)
ZH_HANS_APPS = django/conf django/contrib/admin django/contrib/auth django/contrib/contenttypes django/contrib/humanize \
	import_export simple_history
locale/zh/LC_MESSAGES/django.mo: locale/zh/LC_MESSAGES/django.po $(VENV)/.installed-runtime
	$(GETTEXT)
	msgfmt --check-format -o /dev/null $<
	msgcat --use-first $< $$(for app in $(ZH_HANS_APPS); do ls $(VENV)/lib/python3*/site-packages/$$app/locale/zh_Hans/LC_MESSAGES/django.po; done) \
		| msgfmt -o $@ -

setup: $(VENV)/.installed-runtime .env staticfiles/staticfiles.json messages
	$(BIN)/python manage.py setup_database

# HOST other than the loopback address (HOST=0.0.0.0): the machine's own names and addresses are allowed hosts.
LOOPBACK := 127.0.0.1 localhost
# Set up and serve from one process: Django starts once (no reloader: restart after changing code).
run: $(VENV)/.installed-runtime .env staticfiles/staticfiles.json messages
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/; stop with Ctrl-C)"
	$(if $(filter-out $(LOOPBACK),$(HOST)),@echo "Answering to this machine's names and addresses ($$(hostname)); another name: add it to DJANGO_ALLOWED_HOSTS in .env")
	$(if $(filter-out $(LOOPBACK),$(HOST)),DJANGO_ALLOW_MACHINE_HOSTS=1) $(BIN)/python manage.py setup_database --serve $(HOST):$(PORT)

# Settings of its own, whatever a developer's .env says (as in the tests: pyproject.toml).
check: $(VENV)/.installed-dev messages
	TRACKER_ENV_FILE= DJANGO_SECRET_KEY=check-only DJANGO_ALLOWED_HOSTS=localhost \
		$(BIN)/python manage.py makemigrations --check --dry-run
	@# Every string marked for translation is translated in every catalogue (locale/): makemessages
	@# run over a copy; a new or changed string left untranslated fails here.
	TRACKER_ENV_FILE= DJANGO_SECRET_KEY=check-only DJANGO_ALLOWED_HOSTS=localhost \
		$(BIN)/python manage.py check_messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Browser tests drive Debian's Chromium (never Playwright's own download) with the DejaVu fonts alone,
# so that screenshots are the same on every machine (tests/fonts.conf): install them when missing.
# Pango too, which WeasyPrint needs for the implementation report's PDF (resolutions/report_pdf.py),
# and poppler-utils, whose pdftotext reads that PDF back in the tests (tests/test_report_views.py).
CHROMIUM ?= /usr/bin/chromium
TEST_PACKAGES = chromium fonts-dejavu-core fonts-dejavu-extra libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
chromium:
	@if [ -x "$(CHROMIUM)" ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] \
	&& [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf ] \
	&& [ -n "$$(ls /usr/lib/*/libpangoft2-1.0.so.0 /usr/lib/libpangoft2-1.0.so.0 2>/dev/null)" ] \
	&& command -v pdftotext >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then apt-get update && apt-get install -y $(TEST_PACKAGES); \
	else echo "Chromium, its fonts, Pango or pdftotext are missing and installing them needs root: run 'sudo apt-get install -y $(TEST_PACKAGES)', then make test again." >&2; exit 1; fi

# Two test processes by default (pytest-xdist), fed in collection order: pytest-django runs the
# transactional tests (browser, live server), which empty the database, after all the others.
TEST_PROCESSES ?= 2
test: check chromium messages
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist load $(PYTEST_ARGS)

# The inner loop: no corpus, no browser.
test-fast: check messages
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist load -m "not corpus and not browser and not readme" $(PYTEST_ARGS)

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# .env is kept: it holds this copy's secret key and whatever settings were edited into it.
clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
