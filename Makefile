# Yanzhen: `make run` serves the platform with the Yongji demo (and runs its background worker);
# `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The pinned, hashed requirements (`make lock` writes them from pyproject.toml): the runtime's
# for a deployment, the runtime's and the development tools' for `make setup` and CI.
LOCK := requirements/dev.txt
RUNTIME_LOCK := requirements/runtime.txt

.PHONY: setup run serve test lint pytest fuzz migrate demo bench lock clean screenshots

# The dependencies come from the lock (pinned, each file checked against its hash); the
# platform itself is installed from the tree on top, with the locked setuptools.
$(BIN)/yanzhen: pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/yanzhen/static/vendor/.stamp: node_modules/.package-lock.json $(BIN)/yanzhen src/yanzhen/assets.py
	$(BIN)/python -m yanzhen.assets node_modules
	touch $@

setup: $(BIN)/yanzhen src/yanzhen/static/vendor/.stamp

# Migrations run without the statement timeout of the web requests (a data migration over a
# large ledger may take longer than 30 s).
migrate: setup
	YANZHEN_STATEMENT_TIMEOUT=0 $(BIN)/yanzhen migrate --noinput

demo: migrate
	HOST=$(HOST) PORT=$(PORT) $(BIN)/yanzhen demo

# The web server and, beside it, the background worker (e-mails, group robots, periodic jobs).
# The worker ignores Ctrl-C (it reaches the web server); when the server ends, the worker is
# stopped too.
run: demo
	@echo "雁阵已启动：http://$(HOST):$(PORT)/（后台任务进程 yanzhen run_worker 一并运行）"
	@$(BIN)/yanzhen run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/yanzhen runserver $(HOST):$(PORT)

# Production serving on this machine: gunicorn with several worker processes (YANZHEN_WORKERS,
# default 2 × CPUs + 1), static files through WhiteNoise, the task worker beside it (as in
# `make run`), PostgreSQL when DATABASE_URL is set, SQLite otherwise, plain HTTP on HOST:PORT
# (loopback; nginx with TLS in front of it sets YANZHEN_PRODUCTION, docs/deploy.md). Metrics on
# 127.0.0.1:YANZHEN_METRICS_PORT when set. No demo is loaded (`make demo` does).
# The task worker runs at a lower CPU priority (nice 10, YANZHEN_WORKER_NICE): on a busy machine
# the web workers' requests win over background jobs (large exports, imports).
serve: migrate
	$(BIN)/yanzhen collectstatic --noinput --verbosity 0
	@echo "雁阵（gunicorn）：http://$(HOST):$(PORT)/（后台任务进程 yanzhen run_worker 一并运行）"
	@YANZHEN_STATEMENT_TIMEOUT=$${YANZHEN_WORKER_STATEMENT_TIMEOUT:-600} nice -n $${YANZHEN_WORKER_NICE:-10} $(BIN)/yanzhen run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config python:yanzhen.serving.appserver yanzhen.wsgi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src tests bench
	$(BIN)/lint-imports
	$(BIN)/bandit -q -ll -ii -r src/yanzhen

pytest: setup
	$(BIN)/pytest -n auto --dist loadfile

test: lint pytest

# The API fuzzing with 100 examples per operation for each user separately, and the pages'
# filters and forms with every hostile value for each parameter (slow).
fuzz: setup
	YANZHEN_FUZZ_PER_ROLE=1 YANZHEN_FUZZ_EXAMPLES=100 $(BIN)/pytest -n auto tests/test_api_fuzz.py tests/test_html_fuzz.py tests/test_html_fuzz_forms.py

# Rewrite the locks from pyproject.toml, keeping the pins that still satisfy it (UPGRADE=1:
# the newest versions that do); hashes of every file of each pinned release.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--allow-unsafe --all-build-deps --no-strip-extras --no-emit-index-url --no-emit-find-links \
	$(if $(UPGRADE),--upgrade)
lock: $(BIN)/yanzhen
	$(PIP_COMPILE) --extra dev -o $(LOCK) pyproject.toml
	$(PIP_COMPILE) -c $(LOCK) -o $(RUNTIME_LOCK) pyproject.toml

bench: setup
	$(BIN)/python bench/ledger.py

clean:
	rm -rf $(VENV) node_modules src/yanzhen/static/vendor var

# The operator's manual's screenshots (docs/manual/img/): the demo platform in a temporary data
# directory, each role signed in, Debian's Chromium driven by Playwright (no browser download).
screenshots: setup
	$(BIN)/python scripts/screenshots.py
