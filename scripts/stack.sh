#!/usr/bin/env bash
# Starts and stops the local AWS (moto, via the project's launcher), the bank sandbox, the
# OpenID provider and the local runtime.
#   stack.sh up    start them in the background (pid files under .local/<STACK_NAME>/), wait until ready
#   stack.sh down  stop both
#   stack.sh run   start both, the runtime in the foreground; Ctrl-C stops both
#   stack.sh env   print the environment that tests need to reach this stack
set -euo pipefail
cd "$(dirname "$0")/.."

MOTO_PORT=${MOTO_PORT:-4566}
VITRINA_PORT=${VITRINA_PORT:-3000}
VITRINA_LAMBDA_PORT=${VITRINA_LAMBDA_PORT:-3001}
VITRINA_BANK_PORT=${VITRINA_BANK_PORT:-3002}
VITRINA_OIDC_PORT=${VITRINA_OIDC_PORT:-3003}
STACK_NAME=${STACK_NAME:-run}
# Which cargo profile's binaries to run (its directory under the target dir).
VITRINA_BUILD=${VITRINA_BUILD:-debug}
DIR=.local/$STACK_NAME
mkdir -p "$DIR"

export AWS_ENDPOINT_URL=http://127.0.0.1:$MOTO_PORT
export AWS_REGION=${AWS_REGION:-us-east-1}
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-local}
export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-local}
export MOTO_PORT VITRINA_PORT VITRINA_LAMBDA_PORT VITRINA_BANK_PORT VITRINA_OIDC_PORT
# The bank sandbox notifies the shop's webhook route, as YooKassa notifies the one URL a shop
# sets in its dashboard.
export VITRINA_BANK_WEBHOOK_URL=${VITRINA_BANK_WEBHOOK_URL:-http://127.0.0.1:$VITRINA_PORT/api/payments/webhook}
export VITRINA_LAMBDA_ENDPOINT=http://127.0.0.1:$VITRINA_LAMBDA_PORT

wait_for() { # url, what, pid
  for _ in $(seq 1 150); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "$2 exited; its log:" >&2; cat "$DIR/$2.log" >&2; return 1; fi
    sleep 0.2
  done
  echo "$2 did not answer at $1; its log:" >&2; cat "$DIR/$2.log" >&2; return 1
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_moto() {
  if port_busy "$MOTO_PORT"; then echo "port $MOTO_PORT is taken: is another stack running? (make test uses 4576, make run 4566)" >&2; exit 1; fi
  .venv/bin/python local/python/moto_launcher.py >"$DIR/moto.log" 2>&1 &
  echo $! >"$DIR/moto.pid"
  wait_for "http://127.0.0.1:$MOTO_PORT/_vitrina/faults" moto "$(cat "$DIR/moto.pid")"
}

start_bank() {
  if port_busy "$VITRINA_BANK_PORT"; then echo "port $VITRINA_BANK_PORT is taken: is another stack running?" >&2; exit 1; fi
  "${CARGO_TARGET_DIR:-target}/$VITRINA_BUILD/vitrina-bank" >"$DIR/bank.log" 2>&1 &
  echo $! >"$DIR/bank.pid"
  wait_for "http://127.0.0.1:$VITRINA_BANK_PORT/_sandbox/health" bank "$(cat "$DIR/bank.pid")"
}

# The OpenID provider single sign-on signs in against (local/oidc/provider.mjs).
start_oidc() {
  if port_busy "$VITRINA_OIDC_PORT"; then echo "port $VITRINA_OIDC_PORT is taken: is another stack running?" >&2; exit 1; fi
  node local/oidc/provider.mjs >"$DIR/oidc.log" 2>&1 &
  echo $! >"$DIR/oidc.pid"
  wait_for "http://127.0.0.1:$VITRINA_OIDC_PORT/.well-known/openid-configuration" oidc "$(cat "$DIR/oidc.pid")"
}

start_runtime_bg() {
  "${CARGO_TARGET_DIR:-target}/$VITRINA_BUILD/vitrina-local" >"$DIR/runtime.log" 2>&1 &
  echo $! >"$DIR/runtime.pid"
  wait_for "http://127.0.0.1:$VITRINA_PORT/_local/health" runtime "$(cat "$DIR/runtime.pid")"
}

# The seed catalog goes in when the table has none, then the first search index is awaited.
seed_catalog() {
  "${CARGO_TARGET_DIR:-target}/$VITRINA_BUILD/vitrina-catalog" import data/catalog.seed.jsonl --if-empty
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$VITRINA_PORT/api/categories" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "the search index was not built within 60 s; runtime log:" >&2; tail -20 "$DIR/runtime.log" >&2; return 1
}

stop() {
  for p in runtime oidc bank moto; do
    if [ -f "$DIR/$p.pid" ]; then
      kill "$(cat "$DIR/$p.pid")" 2>/dev/null || true
      rm -f "$DIR/$p.pid"
    fi
  done
}

case "${1:-}" in
  up)
    start_moto
    start_bank
    start_oidc
    start_runtime_bg
    seed_catalog
    echo "stack up: shop http://127.0.0.1:$VITRINA_PORT, AWS $AWS_ENDPOINT_URL, bank sandbox http://127.0.0.1:$VITRINA_BANK_PORT, OpenID provider http://127.0.0.1:$VITRINA_OIDC_PORT (logs in $DIR/)"
    ;;
  down) stop ;;
  run)
    trap stop EXIT INT TERM
    start_moto
    start_bank
    start_oidc
    start_runtime_bg
    seed_catalog
    echo "The shop is at http://127.0.0.1:$VITRINA_PORT (mailbox: /_local/mail). Ctrl-C stops it."
    tail -n +1 -f "$DIR/runtime.log" &
    wait "$(cat "$DIR/runtime.pid")"
    ;;
  env)
    cat <<ENV
AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL
AWS_REGION=$AWS_REGION
AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID
AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
VITRINA_URL=http://127.0.0.1:$VITRINA_PORT
VITRINA_LAMBDA_URL=http://127.0.0.1:$VITRINA_LAMBDA_PORT
VITRINA_RESOURCE_PREFIX=vitrina-
VITRINA_BANK_URL=http://127.0.0.1:$VITRINA_BANK_PORT
VITRINA_OIDC_URL=http://127.0.0.1:$VITRINA_OIDC_PORT
ENV
    ;;
  *) echo "usage: $0 up|down|run|env" >&2; exit 2 ;;
esac
