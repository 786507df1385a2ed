# vitrina — the two commands are `make run` and `make test`; everything else is their parts.
# Both install what is missing (venvs, npm packages, Chromium) and start/stop what they need.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV       := .venv
TOOLS      := .venv-tools
FUZZ       := .venv-fuzz
STAMP      := .local/stamps
PY         ?= python3
export SAM_CLI_TELEMETRY := 0

# make run: the usual ports. make test: its own, so both can run at once.
RUN_ENV  := MOTO_PORT=4566 VITRINA_PORT=3000 VITRINA_LAMBDA_PORT=3001 VITRINA_BANK_PORT=3002 VITRINA_OIDC_PORT=3003
TEST_ENV := MOTO_PORT=4576 VITRINA_PORT=3010 VITRINA_LAMBDA_PORT=3011 VITRINA_BANK_PORT=3012 VITRINA_OIDC_PORT=3013 \
            VITRINA_BANK_CONFIRMATION_TTL_SECONDS=20 VITRINA_BANK_WEBHOOK_PAUSE_MS=200 \
            VITRINA_PAYMENT_HOLD_SECONDS=30 VITRINA_STOCK_HOLD_SECONDS=20 \
            VITRINA_EXTRA_TEMPLATES=tests/fixtures/platform.yaml STACK_NAME=test

.PHONY: help setup run test build web lint unit validate integration browser fuzz least-privilege audit load stack-up stack-down sam-build idle-sam-build bench clean openapi

help:
	@echo "make run   - the whole shop locally on http://127.0.0.1:3000 (AWS emulated by moto)"
	@echo "make test  - everything CI runs: lint, unit, template/ASL validation, emulator and browser tests"
	@echo "make bench - binary sizes, cold start and handler latency (numbers, no asserts)"
	@echo "make audit - the whole table checked: money and stock add up (run after make run or make test)"
	@echo "make load  - N clients at once placing, paying, cancelling on a stack of their own, then the audit"
	@echo "make openapi - docs/openapi.json and docs/schemas/ rewritten from the code, web/src/api.gen.ts from the document (the unit tests fail while any differs)"
	@echo "make fuzz  - Schemathesis against a running stack (part of make test; scripts/fuzz.sh)"

# ---------------------------------------------------------------- installation
setup: $(STAMP)/moto $(STAMP)/tools $(STAMP)/fuzz $(STAMP)/npm $(STAMP)/chromium

# The venvs are kept in the machine's cache, keyed by their requirements (scripts/venv.sh).
$(STAMP)/moto: local/python/requirements-moto.txt
	@mkdir -p $(STAMP)
	PY=$(PY) scripts/venv.sh $(VENV) $<
	@touch $@

$(STAMP)/tools: local/python/requirements-tools.txt
	@mkdir -p $(STAMP)
	PY=$(PY) scripts/venv.sh $(TOOLS) $<
	@touch $@

$(STAMP)/fuzz: tests/fuzz/requirements.txt
	@mkdir -p $(STAMP)
	PY=$(PY) scripts/venv.sh $(FUZZ) $<
	@touch $@

$(STAMP)/npm: package.json package-lock.json
	@mkdir -p $(STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMP)/chromium:
	@mkdir -p $(STAMP)
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; \
	fi
	@touch $@

# ---------------------------------------------------------------- build
build: web
	cargo build -p vitrina-local -p vitrina-store -p vitrina-billing -p vitrina-delivery -p vitrina-bank

web: $(STAMP)/npm
	npx tsc -p web
	npx vite build web --logLevel warn
	@# The API's OpenAPI document and Swagger UI over it, served beside the app (CloudFront's
	@# /api/openapi.json and /api/docs behaviours).
	mkdir -p web/dist/api/docs && cp docs/openapi.json web/dist/api/openapi.json
	cp web/api-docs/* $(addprefix node_modules/swagger-ui-dist/,swagger-ui.css index.css swagger-ui-bundle.js swagger-ui-standalone-preset.js favicon-32x32.png) web/dist/api/docs/

# The API's OpenAPI document from the code, the web client's types from the document (types
# only), and the internal contracts' JSON Schemas (functions others invoke, the saga's tasks,
# queue messages). The unit tests fail while any of them differs from what this writes.
openapi: $(STAMP)/npm
	cargo run -q -p vitrina-openapi > docs/openapi.json
	cargo run -q -p vitrina-openapi -- --schemas docs/schemas
	npx openapi-typescript docs/openapi.json -o web/src/api.gen.ts

# ---------------------------------------------------------------- run
run: $(STAMP)/moto $(STAMP)/npm build
	@$(RUN_ENV) scripts/stack.sh run

# ---------------------------------------------------------------- test
# The release build of every function (sam-build) runs beside the integration suite at the
# lowest CPU priority: the suite mostly waits (timers, queues, the emulated AWS), so the build
# takes the idle CPU and leaves the critical path (beside the browser suite and the fuzzer it
# slowed both). The browser suite and the fuzzer run side by side, each with users of its own.
test: setup lint unit validate build
	@$(TEST_ENV) scripts/stack.sh up
	@set -o pipefail; trap '$(TEST_ENV) scripts/stack.sh down' EXIT; \
	  $(TEST_ENV) scripts/stack.sh env > .local/test.env && set -a && . .local/test.env && set +a && \
	  $(MAKE) --no-print-directory -j2 --output-sync=target integration idle-sam-build && \
	  $(MAKE) --no-print-directory -j2 --output-sync=target browser fuzz && \
	  $(MAKE) --no-print-directory least-privilege audit

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

unit:
	cargo test --workspace --exclude vitrina-tests
	node --test tests/template/

validate: $(STAMP)/tools $(STAMP)/npm
	$(TOOLS)/bin/cfn-lint template.yaml
	$(TOOLS)/bin/sam validate --lint --template-file template.yaml --region us-east-1
	npx redocly lint --format=summary docs/openapi.json
	npx asl-validator --no-arn-check $(addprefix --json-path ,$(wildcard statemachines/*.asl.json tests/fixtures/*.asl.json))

integration:
	cargo test -p vitrina-tests -- --test-threads=4

browser:
	node --test tests/browser/

# Schemathesis over every operation of the served OpenAPI document, anonymous and logged in:
# no 5xx, and every status, content type, header and body as documented (scripts/fuzz.sh).
# Before least-privilege and the audit, so what it made is checked by both.
fuzz: $(STAMP)/fuzz
	@if [ -z "$${VITRINA_URL:-}" ]; then set -a; . <($(RUN_ENV) scripts/stack.sh env); set +a; fi; \
	  scripts/fuzz.sh

# After the whole suite: every AWS call a function made, checked against its policy (local/src/iam.rs).
least-privilege:
	cargo test -p vitrina-tests --test suite -- --ignored --nocapture least_privilege::

# After the whole suite too: the whole table read at once and every cross-service invariant of
# money and stock checked (tests/tests/suite/audit.rs). Against `make run`: `make audit` with the run
# stack's environment (scripts/stack.sh env).
audit:
	@if [ -z "$${AWS_ENDPOINT_URL:-}" ]; then set -a; . <($(RUN_ENV) scripts/stack.sh env); set +a; fi; \
	  cargo test -p vitrina-tests --test suite -- --ignored --nocapture audit::

# ---------------------------------------------------------------- CI extras
# Release builds of every function through cargo-lambda, as `sam deploy` would ship them.
# For the host's own target cargo-lambda needs no zig; with zig, its linker wrapper sits at a
# path derived from this clone's venv, cargo counts a changed linker as a changed setting, and
# every release dependency was rebuilt in each fresh clone (~18 min of CI).
sam-build: $(STAMP)/tools
	PATH="$(CURDIR)/$(TOOLS)/bin:$$PATH" CARGO_LAMBDA_COMPILER=cargo $(TOOLS)/bin/sam build --beta-features \
	  --parameter-overrides Architecture=x86_64 --build-dir .aws-sam/build

idle-sam-build:
	nice -n 19 $(MAKE) --no-print-directory sam-build

bench: setup build
	@scripts/bench.sh

load: setup build
	@scripts/load.sh

clean:
	rm -rf .local .aws-sam web/dist
