# Thi Đua — the two commands that matter:
#   make run    start Kafka, a database, the four services and demo data; print the URLs
#   make test   install whatever is missing and run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run stop status screenshot test chromium test-unit lint typecheck compose-check bench kafka-jars postgres clean help asyncapi asyncapi-check asyncapi-kcat kcat

help:
	@sed -n '1,4p' Makefile; echo; grep -E '^[a-z-]+:.*##' Makefile | sed 's/:.*##/\t/'

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed ## start everything on PostgreSQL (THIDUA_DATABASE=sqlite: SQLite files)
	$(PY) deploy/local/run_local.py up

stop: $(VENV)/.installed ## stop the services and the broker
	$(PY) deploy/local/run_local.py down

status: $(VENV)/.installed
	$(PY) deploy/local/run_local.py status

screenshot: $(VENV)/.installed chromium ## the README's picture of the dashboard (with `make run` up)
	$(PY) deploy/local/screenshot.py

kafka-jars: ## fetch the broker's jars from Maven Central (once)
	deploy/local/kafka.sh fetch

postgres: ## make sure a local PostgreSQL answers (installs it from Debian if missing)
	deploy/local/postgres.sh start >/dev/null

kcat: ## Debian's kcat, the stock Kafka client the AsyncAPI tests read the topics with
	deploy/local/kcat.sh >/dev/null

chromium: ## Debian's Chromium for the browser tests (portal, dashboard; installed where missing)
	deploy/local/chromium.sh >/dev/null

test: $(VENV)/.installed kafka-jars postgres chromium kcat helm-tools ## the whole suite on real Kafka and PostgreSQL
	$(PY) -m pytest

test-unit: $(VENV)/.installed helm-tools
	$(PY) -m pytest tests/unit

lint: $(VENV)/.installed ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy shared services tests deploy bench

asyncapi: $(VENV)/.installed ## the events' AsyncAPI 3.0 document and its page (docs/asyncapi.*), from the code
	$(PY) -m shared.contracts.asyncapi

# CI: the committed document (docs/asyncapi.yaml; its page is a build output) is what the code
# generates, and the AsyncAPI CLI (pinned, from npm, installed under .tools/) finds it valid;
# warnings fail too.
asyncapi-check: $(VENV)/.installed ## docs/asyncapi.yaml equals a fresh generation; the AsyncAPI CLI validates
	$(PY) -m shared.contracts.asyncapi --check
	cli=$$(deploy/local/asyncapi-cli.sh) && ASYNCAPI_METRICS_CONFIG_PATH=$(CURDIR)/.tools/asyncapi-cli/analytics.json \
		"$$cli" validate docs/asyncapi.yaml --fail-severity=warn

asyncapi-kcat: $(VENV)/.installed kcat ## kcat reads every topic of `make run` (KAFKA=host:port) and checks each record against docs/asyncapi.yaml
	$(PY) -m tests.support.kcat --bootstrap $(or $(KAFKA),127.0.0.1:9092)

compose-check: ## validate docker-compose.yml and the Prometheus files without Docker
	deploy/check-compose.sh

bench: $(VENV)/.installed kafka-jars ## benchmarks (not tests): ratios against a baseline of the same run
	$(PY) -m bench.initiative_flow
	$(PY) -m bench.submission_http
	$(PY) -m bench.notification_burst
	$(PY) -m bench.scoring_replay
	$(PY) -m bench.reporting_scale
	$(PY) -m bench.national_year --initiatives 100000 --units 1000 --budget 600

# The issue's full national year (1,000,000 initiatives, ~6.2 million records): an hour or more
# on two shared cores; NATIONAL_ARGS to change it (e.g. --budget 600 --replicas 1).
NATIONAL_ARGS ?=
.PHONY: bench-national
bench-national: $(VENV)/.installed kafka-jars ## a national year (1M initiatives) through the three consumers, 1 and 2 replicas
	$(PY) -m bench.national_year $(NATIONAL_ARGS)

.PHONY: helm-tools helm-check
helm-tools: $(VENV)/.installed ## helm, kubeconform (go install) and Kubernetes' schemas into .tools/, once
	deploy/helm/check.sh tools

helm-check: $(VENV)/.installed ## the Helm chart: files/ fresh, helm lint --strict, kubeconform -strict per values file
	deploy/helm/check.sh

.PHONY: chaos
CHAOS_SIZE ?= 300
chaos: $(VENV)/.installed kafka-jars ## fault injection on a stack of its own (CHAOS_SIZE=100000: the big run)
	CHAOS_SIZE=$(CHAOS_SIZE) $(PY) -m tests.chaos

clean: ## stop the local stack and forget it: its PostgreSQL databases and .run
	if [ -x $(PY) ]; then $(PY) deploy/local/run_local.py clean; else rm -rf .run; fi
