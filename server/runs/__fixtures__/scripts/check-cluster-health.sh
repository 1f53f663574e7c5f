#!/usr/bin/env bash
# Test stand-in for a pipeline step. FIXTURE_MODE picks a behaviour; see server/worker/*.test.ts.
set -euo pipefail
case "${FIXTURE_MODE:-ok}" in
  ok) echo "cluster ok"; echo "warning on stderr" >&2 ;;
  fail) echo "something broke" >&2; exit 3 ;;
  lines) seq 1 "${FIXTURE_LINES:-1000}" | sed 's/^/line /' ;;
  flood) head -c "${FIXTURE_BYTES:-100000000}" /dev/zero | tr '\0' 'x' | fold -w 99 ;;
  secrets)
    echo "token is ${CANARY_TOKEN}"
    echo "connecting to postgresql://admin:${CANARY_URL_PASSWORD}@db.internal:5432/app"
    echo "aws key AKIAZZZZCANARY123456 in use"
    printf '%s\n' "-----BEGIN RSA PRIVATE KEY-----" "MIIEcanaryPEMline1" "canaryPEMline2" "-----END RSA PRIVATE KEY-----"
    echo "Authorization: Bearer canarybearertoken0123456789"
    echo "done" ;;
  escapes)
    # A step that tries to rewrite the operator's terminal: erase the line, retitle the window.
    printf 'real error\033[2K\rFAKE: all good\033]0;pwned\007 \033[31mred\033[0m\n' ;;
  sleep)
    # A step that runs until stopped, with a grandchild in its process group.
    sleep 300 &
    echo "started $$ with child $!"
    [ -n "${FIXTURE_PIDFILE:-}" ] && echo "$$ $!" > "$FIXTURE_PIDFILE"
    wait ;;
  stubborn)
    # Counts SIGINTs and ignores them, like a Terraform still saving state: only SIGKILL ends it.
    trap 'echo INT >> "$FIXTURE_SIGNALS"; echo "got SIGINT, saving state"' INT
    echo "running"
    for _ in $(seq 1 600); do sleep 0.1 || true; done ;;
esac
