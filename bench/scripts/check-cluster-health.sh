#!/usr/bin/env bash
# Benchmark stand-in for a verify step: prints BENCH_LINES lines at BENCH_RATE lines/s.
set -euo pipefail
exec node "$(dirname "$0")/emit-lines.mjs" "${BENCH_LINES:-1000}" "${BENCH_RATE:-5000}"
