#!/usr/bin/env bash
# Test stand-in for a step that outlives a database restart: half its lines, then it waits for the test's
# gate file (the test creates it once PostgreSQL is back), then the other half.
set -euo pipefail
n="${FIXTURE_LINES:-90}"
for i in $(seq 1 "$n"); do echo "before $i"; done
while [ ! -e "$FIXTURE_GATE" ]; do sleep 0.05; done
for i in $(seq 1 "$n"); do echo "after $i"; done
