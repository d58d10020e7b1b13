# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Development defaults; production reads its own environment (see docs/deploy.md).
export DEBUG ?= true
# The machines have 2 cores: the suite runs in two workers (pytest-xdist).
TEST_WORKERS ?= 2
# The slow families run once in CI, `make test-slow`: the browser tests (Chromium, about five
# minutes on 2 cores), the web fuzz corpus, the stateful API runs.
TEST_MARKERS ?= not slow and not browser

.PHONY: run test test-slow setup install messages node pdf-tools database demo lint check clean

# The web server and one task worker (huey, its queue in tasks.sqlite3 unless REDIS_URL is
# set); Ctrl-C stops both (the worker also when the server exits on its own).
run: setup database demo
	@echo "Serving on http://127.0.0.1:8000/ (admin: /admin/) with one task worker. Stop both with Ctrl-C."
	@$(BIN)/python manage.py run_huey --workers 1 & worker=$$!; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The JavaScript answer contract runs under Node's own test runner, its files named.
JS_TESTS := tests/js/answers.test.js

test: setup
	node --test $(JS_TESTS)
	$(BIN)/python -m pytest --ds=config.test_settings -n $(TEST_WORKERS) -m "$(TEST_MARKERS)" $(PYTEST_ARGS)

test-slow: setup
	$(BIN)/python -m pytest --ds=config.test_settings -n $(TEST_WORKERS) -m "slow or browser" $(PYTEST_ARGS)

setup: install messages node pdf-tools

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@echo "Installing the Python packages into $(VENV) (a minute or two, once)..."
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@# setuptools' notes on editable installs are for packagers, not for a first run.
	@PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Translations are compiled at set-up; GNU gettext comes from Debian.
messages:
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext >/dev/null; \
	  else echo "Please install GNU gettext (apt-get install gettext)"; exit 1; fi; }
	@$(BIN)/python manage.py compilemessages --ignore=.venv -v0

# Node runs the JavaScript tests (no npm packages); Debian's nodejs when it is missing.
node:
	@command -v node >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs >/dev/null; \
	  else echo "Please install Node.js (apt-get install nodejs)"; exit 1; fi; }

# The records (WeasyPrint) need Pango, a Times-compatible serif with Vietnamese glyphs
# (Liberation Serif 2.x: the older fonts-liberation has none), HarfBuzz-Subset (without it
# WeasyPrint subsets fonts with fontTools, which stamps the time into each font: the same
# record would not be the same bytes) and, for the tests, poppler-utils.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 poppler-utils
pdf-tools:
	@{ ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libharfbuzz-subset \
	  && [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] \
	  && command -v pdftotext >/dev/null; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	  else echo "Please install $(PDF_PACKAGES) (apt-get install ...)"; exit 1; fi; }

database:
	@$(BIN)/python manage.py migrate --no-input -v0
	@$(BIN)/python manage.py load_catalogue

demo:
	@$(BIN)/python manage.py load_demo_data

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports --no-cache

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm tasks.sqlite3* staticfiles
