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
    # A secret with a colour code inside it, and one written in two pieces with a pause between.
    printf 'colour %s\033[1m%s\033[0m end\n' "${CANARY_TOKEN:0:8}" "${CANARY_TOKEN:8}"
    printf 'split %s' "${CANARY_TOKEN:0:10}"; sleep 0.2; printf '%s end\n' "${CANARY_TOKEN:10}"
    echo "encoded $(printf '%s' "$CANARY_TOKEN" | base64 -w0)"
    echo "vault ${CANARY_VAULT_PASS}"
    echo "kubeadm join 10.0.1.10:6443 --token canary.0123456789abcdef --discovery-token-ca-cert-hash sha256:canary0hash0000000000000000000000000000000000000000000000000000"
    echo "notify https://hooks.slack.com/services/T0CANARY/B0CANARY/canaryslackpath0123"
    echo "mirror https://bot:${CANARY_URL_PASSWORD}@x@git.internal/repo.git"
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
