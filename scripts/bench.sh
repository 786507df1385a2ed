#!/usr/bin/env bash
# make bench: release binaries, then measurements against a local stack of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p vitrina-auth -p vitrina-billing -p vitrina-notification -p vitrina-bench
export RELEASE_DIR="${CARGO_TARGET_DIR:-target}/release"
export MOTO_PORT=4586 VITRINA_PORT=3020 VITRINA_LAMBDA_PORT=3021 STACK_NAME=bench
scripts/stack.sh up >/dev/null
trap 'scripts/stack.sh down' EXIT
set -a; . <(scripts/stack.sh env); set +a
"${CARGO_TARGET_DIR:-target}/release/vitrina-bench"
