#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: plan.sh [--yes] --action provision|teardown|rebuild --out DIR

Plans what the infra phase of a provision, teardown or rebuild would do,
without changing anything, and saves that plan so that the apply runs exactly
what was reviewed: build-cluster.sh --phase infra --plan DIR/plan.bin
(provision), cleanup.sh --phase infra --plan DIR/plan.bin (teardown, and the
destroy half of a rebuild). An apply whose state changed since the plan is
refused with "Saved plan is stale" and changes nothing.

Writes into DIR (created if missing):
  plan.bin         the saved plan: aws 'terraform plan -out' in infra/terraform
                   (with -destroy for teardown and rebuild); sandbox: its own
                   saved plan, recording the state version it was planned on
  plan.json        'terraform show -json plan.bin' (aws), or the same format
                   (format_version, resource_changes[].change.actions) made by
                   the sandbox from its state
  components.json  [{kind, namespace, name}] that cleanup.sh --phase components
                   would delete (teardown and rebuild; [] for provision)

Options:
  --action ACTION  provision, teardown or rebuild
  --out DIR        where to write the three files
  --yes, -y        accepted for symmetry with the other scripts (a plan changes
                   nothing, so it never asks)
  --help, -h       show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER (default growbin),
SANDBOX_STATE (sandbox), TF_STATE_BUCKET, AWS_REGION, TF_LOCK_TIMEOUT (60s),
KUBECONFIG (aws, for the components list).

Exit codes: 0 planned, 1 failed, 2 wrong usage, 130 interrupted.
HELP
}

ACTION="" OUT=""
while (($# > 0)); do
  case "$1" in
    --yes | -y) ASSUME_YES=1 ;;
    --action | --out)
      (($# >= 2)) || usage_error "$1 needs a value"
      if [[ "$1" == --action ]]; then ACTION="$2"; else OUT="$2"; fi
      shift
      ;;
    --action=*) ACTION="${1#--action=}" ;;
    --out=*) OUT="${1#--out=}" ;;
    --help | -h) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
  shift
done
check_target
[[ -n "$ACTION" ]] || usage_error "--action is required (provision, teardown or rebuild)"
contains "$ACTION" provision teardown rebuild || usage_error "unknown action '$ACTION' (actions: provision teardown rebuild)"
[[ -n "$OUT" ]] || usage_error "--out DIR is required"
mkdir -p "$OUT" || die "cannot create the plan folder $OUT"
OUT="$(cd "$OUT" && pwd)"

log "planning $ACTION (TARGET=$TARGET, CLUSTER=$CLUSTER) into $OUT"
if [[ "$TARGET" == sandbox ]]; then
  sandbox_up
  sandbox_exec plan --action "$ACTION" --out "$OUT"
fi

require_cmds terraform aws
refuse_if_state_locked
tf_init
exit_if_interrupted
tf_var_args
TF_ARGS+=("-lock-timeout=$TF_LOCK_TIMEOUT" "-out=$OUT/plan.bin")
[[ "$ACTION" == provision ]] || TF_ARGS+=(-destroy)
rm -f "$OUT/plan.bin" "$OUT/plan.json" "$OUT/components.json"
# In the foreground of the process group: an interrupt reaches terraform once, and it stops cleanly.
terraform -chdir="$TF_DIR" plan "${TF_ARGS[@]}" || { exit_if_interrupted; die "terraform plan failed (see above); nothing was saved"; }
exit_if_interrupted
terraform -chdir="$TF_DIR" show -json "$OUT/plan.bin" >"$OUT/plan.json.tmp" || die "terraform show -json $OUT/plan.bin failed"
mv "$OUT/plan.json.tmp" "$OUT/plan.json"
if [[ "$ACTION" == provision ]]; then
  printf '[]\n' >"$OUT/components.json"
else
  "$SCRIPTS_DIR/cleanup.sh" --phase components --dry-run --json >"$OUT/components.json.tmp" ||
    { rm -f "$OUT/plan.bin" "$OUT/components.json.tmp"; die "could not list the components cleanup would delete; no plan was saved"; }
  mv "$OUT/components.json.tmp" "$OUT/components.json"
fi
log "saved the plan to $OUT/plan.bin (plan.json, components.json beside it)"
