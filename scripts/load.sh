#!/usr/bin/env bash
# make load (and the end of make bench): the bounded load run on a stack of its own, then the
# whole-table audit on that stack. VITRINA_LOAD_CLIENTS (10) clients × VITRINA_LOAD_ORDERS (3)
# orders; VITRINA_BUILD names the functions' build (debug for make load, bench-local for bench).
set -euo pipefail
unset VITRINA_BANK_WEBHOOK_URL AWS_ENDPOINT_URL
cd "$(dirname "$0")/.."
export MOTO_PORT=4596 VITRINA_PORT=3030 VITRINA_LAMBDA_PORT=3031 VITRINA_BANK_PORT=3032 VITRINA_OIDC_PORT=3033 STACK_NAME=load
scripts/stack.sh up >/dev/null
trap 'scripts/stack.sh down' EXIT
set -a; . <(scripts/stack.sh env); set +a
cargo test -q -p vitrina-tests --test suite -- --ignored --nocapture load::
cargo test -q -p vitrina-tests --test suite -- --ignored --nocapture audit::
