#!/usr/bin/env bash
# make fuzz (part of make test): Schemathesis against the running stack ($VITRINA_URL), every
# operation of the document the shop serves at /api/openapi.json, with the five checks — no 5xx,
# only documented statuses, content types, headers and bodies that match their schemas. Three
# runs: as an anonymous caller; as a registered client (a fresh user's session cookie); and last
# the three routes that end that session. Examples per operation, workers and the seed are fixed
# so a run is bounded and repeatable: VITRINA_FUZZ_EXAMPLES (10), VITRINA_FUZZ_SEED.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${VITRINA_URL:?run it with the environment of scripts/stack.sh env}
st=${SCHEMATHESIS:-.venv-fuzz/bin/schemathesis}
examples=${VITRINA_FUZZ_EXAMPLES:-10}
seed=${VITRINA_FUZZ_SEED:-20261206}
reports=.local/fuzz
mkdir -p "$reports"

run() {
  local name=$1
  shift
  echo "schemathesis: $name"
  "$st" run "$url/api/openapi.json" --url "$url" --no-color \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
    --max-examples "$examples" --seed "$seed" --workers 1 \
    --phases examples,coverage,fuzzing,stateful \
    --report junit --report-junit-path "$reports/$name.xml" \
    "$@" >"$reports/$name.log" 2>&1 || {
    cat "$reports/$name.log"
    echo "schemathesis: the $name run failed (its log: $reports/$name.log)" >&2
    return 1
  }
  sed -n '/^Test cases:/,/^$/p' "$reports/$name.log" | sed -n 2p | sed 's/^ */  /'
}

# A client of its own, registered the way the web client does it; each login is a new session.
user="fuzz$(date +%s)$RANDOM"
password="Fuzz-$RANDOM-2026"
curl -sf -o /dev/null -X POST "$url/api/register" -H 'content-type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"$password\",\"email\":\"$user@example.ru\",\"firstName\":\"Фаззер\",\"lastName\":\"Тестов\"}"
session() {
  local cookie
  cookie=$(curl -sf -D - -o /dev/null -X POST "$url/api/login" -H 'content-type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\"}" |
    sed -n 's/^[Ss]et-[Cc]ookie: sessionId=\([^;]*\);.*/\1/p' | head -n1)
  [ -n "$cookie" ] || { echo "fuzz: no session cookie from POST /api/login" >&2; return 1; }
  echo "Cookie: sessionId=$cookie"
}

run anonymous
run client -H "$(session)" \
  --exclude-operation-id logout --exclude-operation-id logout-post --exclude-operation-id logout-all
# What ends a session, each with a session of its own (no links among them: no stateful phase).
for op in logout logout-post logout-all; do
  run "$op" -H "$(session)" --include-operation-id "$op" --phases examples,coverage,fuzzing
done
