#!/usr/bin/env bash
# S6: the same S1 workload through a pinned LiteLLM proxy, in the same run as the direct and service paths.
# Installs LiteLLM into a throwaway virtualenv (target/litellm-venv), points it at the bench's mock
# upstream on a fixed port, and runs the benchmark with --litellm-url. Needs PyPI; no API key.
# Usage: bash bench/litellm.sh [extra bench flags, e.g. --turns 50]
set -euo pipefail
cd "$(dirname "$0")/.."
# Pinned: 1.106 and later require a certifi newer than the package registry here carries.
LITELLM_VERSION=1.100.5
MOCK_PORT=${MOCK_PORT:-18999}
PROXY_PORT=${PROXY_PORT:-14000}
VENV=target/litellm-venv
if [ ! -x "$VENV/bin/litellm" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "litellm[proxy]==$LITELLM_VERSION"
fi
CONFIG=$(mktemp --suffix=.yaml)
cat > "$CONFIG" <<YAML
model_list:
  - model_name: mock
    litellm_params:
      model: openai/mock
      api_base: http://127.0.0.1:$MOCK_PORT/v1
      api_key: none
litellm_settings:
  drop_params: true
YAML
"$VENV/bin/litellm" --config "$CONFIG" --host 127.0.0.1 --port "$PROXY_PORT" --num_workers 1 >target/litellm.log 2>&1 &
PROXY_PID=$!
trap 'kill $PROXY_PID 2>/dev/null || true; rm -f "$CONFIG"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PROXY_PORT/health/liveliness" >/dev/null 2>&1 && break
  sleep 1
done
cargo run --release -p mock-interviewer-bench -- --only S1 --mock-port "$MOCK_PORT" \
  --litellm-url "http://127.0.0.1:$PROXY_PORT/v1" --litellm-pid "$PROXY_PID" --litellm-model mock \
  --out target/bench/litellm.json "$@"
