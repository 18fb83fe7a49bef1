#!/usr/bin/env bash
# CPU per request of the gateway for four operations, to see which layer costs what:
# `{ __typename }` (HTTP and Yoga only), a `thread` query (one Graph GET), `addThread` (one POST) and
# `addThread` selecting toRecipients (POST, then GET). Needs `npm run build` first. The fake Graph
# runs on CPU 0 with the load generator, the gateway on CPU 1; everything listens on 127.0.0.1 and
# is stopped at the end. Extra Node.js flags for the gateway can be passed in NODE_OPTIONS.
set -euo pipefail
cd "$(dirname "$0")/.."

fake_port=4711
gateway_port=4712
group=5d1a7c3e-2b4f-4e8a-9c6d-0f1e2a3b4c5d
conversation=AAQkyBx3T-daKpZMK4oI0vlREFTKI5Hlz-LrhiiaXA5ibrpt9vAlHM9csFfgIR2djb-zQfw-FT6XHUg=
thread=AAQkyBx3T-daKpZMK4oI0vlREFTKI5Hlz-LrhiiaXA5ibrpt9vAlHM9csFfgIR2djb-zQfw-FT6XHUhpyIx1U_O4lwzp4Ev_1kcSDvHuig==

NODE_OPTIONS= taskset -c 0 node dist/fake-graph/main.js --port "$fake_port" >/dev/null &
fake_pid=$!
taskset -c 1 env PORT="$gateway_port" GRAPH_BASE_URL="http://127.0.0.1:$fake_port/v1.0" LOG_LEVEL=warn GRAPHIQL=false \
  NODE_ENV=production GRAPH_MAILBOX_CONCURRENCY=100 node dist/main.js >/dev/null 2>&1 &
gateway_pid=$!
trap 'kill "$gateway_pid" "$fake_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$gateway_port/health" && break
  sleep 0.05
done

body_file=$(mktemp)
load() {
  NODE_OPTIONS= taskset -c 0 npx autocannon "$@" -c 20 -m POST -H 'content-type: application/json' \
    -H 'authorization: Bearer bench' -i "$body_file" "http://127.0.0.1:$gateway_port/graphql" 2>/dev/null
}
measure() {
  local name=$1
  printf '%s' "$2" >"$body_file"
  load -q -d 2 >/dev/null
  local before after requests
  before=$(awk '{print $14 + $15}' "/proc/$gateway_pid/stat")
  requests=$(load -j -d 4 | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const r=JSON.parse(s);console.log(r.requests.total)})")
  after=$(awk '{print $14 + $15}' "/proc/$gateway_pid/stat")
  # /proc/<pid>/stat counts CPU time in clock ticks of 10 ms.
  echo "$name: $requests requests, $(((after - before) * 10000 / requests)) µs CPU per request"
}

create_input="{\"groupId\":\"$group\",\"conversationId\":\"$conversation\",\"topic\":\"t\",\"posts\":[{\"body\":{\"contentType\":\"TEXT\",\"content\":\"x\"}}]}"
measure '{ __typename }' '{"query":"{ __typename }"}'
measure 'thread query' "{\"query\":\"{ thread(groupId: \\\"$group\\\", id: \\\"$thread\\\") { id topic toRecipients { emailAddress { address } } } }\"}"
measure 'addThread' "{\"query\":\"mutation(\$i: AddThreadInput!){ addThread(input:\$i){ ... on AddThreadSuccess { thread { id topic lastDeliveredDateTime isLocked } } } }\",\"variables\":{\"i\":$create_input}}"
measure 'addThread with toRecipients' "{\"query\":\"mutation(\$i: AddThreadInput!){ addThread(input:\$i){ ... on AddThreadSuccess { thread { id topic toRecipients { emailAddress { address } } lastDeliveredDateTime isLocked } } } }\",\"variables\":{\"i\":$create_input}}"
grep -E 'VmHWM' "/proc/$gateway_pid/status"
rm -f "$body_file"
