#!/usr/bin/env bash
# make bench: release binaries (sizes, cold start), then measurements against a local stack of
# its own. The stack and the bench itself are built with the `bench-local` profile (optimised
# like release, without the hour-long fat LTO): handler times from debug builds mean nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
cargo build --release -p vitrina-auth -p vitrina-billing -p vitrina-notification -p vitrina-store \
  -p vitrina-order -p vitrina-delivery -p vitrina-payment -p vitrina-orchestra -p vitrina-bench \
  --bin auth --bin billing --bin notification --bin store --bin order --bin delivery --bin payment --bin orchestra --bin hello
cargo build --profile bench-local -p vitrina-local -p vitrina-store -p vitrina-bank -p vitrina-bench --bin vitrina-local --bin vitrina-catalog --bin vitrina-bank --bin vitrina-bench
export RELEASE_DIR="$TARGET/release"
# Holds of «Оплатить заказ» lapse after 3 s here, so an order's cost includes its hold's timer and
# the stock-vanished path can start from a lapsed hold.
export MOTO_PORT=4586 VITRINA_PORT=3020 VITRINA_LAMBDA_PORT=3021 VITRINA_BANK_PORT=3022 VITRINA_OIDC_PORT=3023 STACK_NAME=bench VITRINA_BUILD=bench-local \
  VITRINA_STOCK_HOLD_SECONDS=3
scripts/stack.sh up >/dev/null
trap 'scripts/stack.sh down' EXIT
set -a; . <(scripts/stack.sh env); set +a
export TABLE_NAME=vitrina-Table STORE_SNAPSHOT_FUNCTION=StoreProductSnapshotFunction
export AWS_ENDPOINT_URL_LAMBDA="$VITRINA_LAMBDA_URL"
"$TARGET/bench-local/vitrina-bench"
# Then many clients at once, on a stack of their own (holds as make test's), and the audit.
scripts/stack.sh down
trap - EXIT
env -u VITRINA_STOCK_HOLD_SECONDS scripts/load.sh
