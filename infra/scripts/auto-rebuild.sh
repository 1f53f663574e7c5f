#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: auto-rebuild.sh [--yes]

Rebuilds the Growbin cluster from scratch: deletes it (cleanup.sh), builds it
again (build-cluster.sh), then checks the cluster, etcd and the monitoring
stack. DESTRUCTIVE: everything on the cluster is lost (the image bucket is
kept). On AWS it takes 40-50 minutes, and it refuses to start while another run
holds the cluster's Terraform state lock.

On a terminal it asks you to type the cluster name first. From a pipeline
(stdin not a terminal) it needs --yes, and refuses with exit code 2 without it.

Options:
  --yes, -y   do not ask for confirmation
  --help, -h  show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER (default growbin),
SANDBOX_STATE (sandbox); for aws see build-cluster.sh --help.

Exit codes: 0 rebuilt and healthy, 1 a step failed or the cluster is unhealthy,
2 wrong usage or refused, 130 interrupted.
HELP
}

while (($# > 0)); do
  case "$1" in
    --yes | -y) ASSUME_YES=1 ;;
    --help | -h) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
  shift
done
check_target
if [[ "$TARGET" == aws ]]; then
  require_cmds terraform ansible-playbook kubectl aws
  # Refuse before deleting anything: a second run would fight the first.
  refuse_if_state_locked
fi
confirm "DESTROY and rebuild cluster $CLUSTER"

start=$SECONDS
if [[ "$TARGET" == sandbox ]]; then sandbox_up; export SANDBOX_UP_DONE=1; fi
step "1/3 cleanup"
"$SCRIPTS_DIR/cleanup.sh" --yes
exit_if_interrupted
step "2/3 build"
"$SCRIPTS_DIR/build-cluster.sh" --yes
exit_if_interrupted
step "3/3 verify"
failed=0
for check in check-cluster-health check-etcd-health check-monitoring-status; do
  "$SCRIPTS_DIR/$check.sh" || failed=1
  exit_if_interrupted
done
((failed == 0)) || die "cluster $CLUSTER was rebuilt but is not healthy (see the checks above)"
log "cluster $CLUSTER rebuilt and healthy in $((SECONDS - start))s"
