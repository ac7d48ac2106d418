# Thuisfront — `make demo` serves the embedded demo, `make test` runs the whole suite.
# Both create their own virtual environment and install what they need.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The test suite runs on real services (see README): PostgreSQL and Redis on this machine.
TEST_DATABASE_URL ?= postgres://root@127.0.0.1:5432/thuisfront
TEST_REDIS_URL ?= redis://127.0.0.1:6379/14
PYTEST_ARGS ?=
# The browser tests drive Debian's Chromium (Playwright cannot download its own build here).
CHROMIUM ?= /usr/bin/chromium

.PHONY: install demo lint test test-later serve clean browser messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# `make demo PORT=8080` serves elsewhere; the printed URLs and the providers' callback origin follow.
PORT ?= 8000
DEMO_ENV = env -u REDIS_URL -u DATABASE_URL PUBLIC_BASE_URL=$(or $(PUBLIC_BASE_URL),http://127.0.0.1:$(PORT))

# One web process: the embedded worker, its in-memory broker and beat live inside it, and the
# SQLite file takes one writer at a time (README "Services mode" runs one a core).
demo: $(STAMP)
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py demo_seed
	$(DEMO_ENV) $(BIN)/python manage.py demo_history
	$(DEMO_ENV) $(BIN)/uvicorn config.asgi:application --host 127.0.0.1 --port $(PORT)

# Services mode's web tier (README "Services mode"): one uvicorn worker process a core, each
# with its pool of PostgreSQL connections. The environment (REDIS_URL, DATABASE_URL, SECRET_KEY,
# the providers) is the caller's; `make serve WEB_WORKERS=8 HOST=0.0.0.0`.
WEB_WORKERS ?= $(shell nproc)
HOST ?= 127.0.0.1
serve: $(STAMP)
	@test -n "$$REDIS_URL" || (echo "make serve is services mode: set REDIS_URL, DATABASE_URL, SECRET_KEY (README)"; exit 1)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	DATABASE_POOL_SIZE=$${DATABASE_POOL_SIZE:-16} $(BIN)/uvicorn config.asgi:application \
		--host $(HOST) --port $(PORT) --workers $(WEB_WORKERS) --proxy-headers --no-access-log

browser:
	@test -x $(CHROMIUM) || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Recompile the inbox translations after editing locale/*/LC_MESSAGES/django.po (the .mo is committed).
messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore '$(VENV)/*'

# Style and the dependency rules between the apps (pyproject.toml: [tool.ruff], [tool.importlinter]);
# a broken import contract fails with its name. `make test` runs this first.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

test: $(STAMP) browser lint
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) SECRET_KEY=test-only \
	CHANNEL_LAYER_PREFIX=thuisfront-test PUBLIC_BASE_URL=http://testserver \
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite with the machine's clock moved (default: 400 days ahead); see README "Tests".
# Only the calendar moves: the monotonic clock stays true, as timed waits in threads rely on it,
# and tests/faketime/sitecustomize.py stands in for time.sleep, which libfaketime breaks.
SHIFT ?= +400
test-later:
	@command -v faketime >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime)
	PYTHONPATH=$(CURDIR)/tests/faketime FAKETIME_DONT_FAKE_MONOTONIC=1 faketime '$(SHIFT) days' $(MAKE) test

clean:
	rm -rf $(VENV) var .pytest_cache
