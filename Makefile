# The two commands a newcomer needs: `make run` and `make test`.
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PYTHON := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: run test install lint messages bench soak faults clean

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --quiet

# The web server and a worker (e-mails, large exports, clean-ups); Ctrl-C stops both.
run: install
	DJANGO_DEBUG=1 $(PYTHON) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PYTHON) manage.py load_demo
	@DJANGO_DEBUG=1 $(PYTHON) manage.py run_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  DJANGO_DEBUG=1 $(PYTHON) manage.py runserver 127.0.0.1:8000

test: install
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	DJANGO_DEBUG=1 $(PYTHON) manage.py makemigrations --check --dry-run
	@# axe-core (pinned in tests/browser/package-lock.json) for the accessibility crawl.
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --silent; \
	  else echo "npm not found: the accessibility crawl will be skipped"; fi
	@# One test process per core (four at most), each with its own test database and
	@# Redis database; a module's tests stay in one process, its data built once.
	@# pytest exits 5 when it collects no test: say so rather than fail.
	$(PYTHON) -m pytest -n auto --maxprocesses 4 --dist loadscope $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "No tests were collected."; exit 0; fi; exit $$status

# Refresh the French catalogue after changing strings (needs GNU gettext).
messages: install
	DJANGO_DEBUG=1 $(PYTHON) manage.py makemessages -l fr --no-obsolete --ignore=.venv --ignore=.tools
	DJANGO_DEBUG=1 $(PYTHON) manage.py compilemessages -l fr --ignore=.venv --ignore=.tools

# Measure the portal at scale against its ceilings (PostgreSQL on 127.0.0.1, wrk,
# Chromium); not part of `make test`. See "Measuring at scale" in the README.
bench: install
	@command -v wrk >/dev/null || apt-get install -y wrk
	$(PYTHON) -m bench

# Mixed journeys for 30 minutes (SOAK_MINUTES, SOAK_USERS), every write counted after;
# PostgreSQL and Redis of its own. See "Measuring under faults" in the README.
soak: install
	$(PYTHON) -m bench.soak

# Processes killed mid-write, SMTP, PostgreSQL and Redis down, full disks: one line a
# case. Needs root for its small file systems. See "Measuring under faults".
faults: install
	$(PYTHON) -m bench.faults

clean:
	rm -rf .venv $(TOOLS) db.sqlite3 staticfiles
