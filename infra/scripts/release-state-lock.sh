#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: release-state-lock.sh LOCK_ID --reason TEXT [--yes]

Releases the Terraform state lock of the cluster when the run that took it died
(a crashed worker, a killed laptop) and left it behind. build-cluster.sh,
cleanup.sh and auto-rebuild.sh refuse to start while it is held, and name it.
Releasing the lock of a run that is still going corrupts the state: check first
that no run of this cluster is active (the portal's run list, the lock's Who).

It releases only the lock whose ID you give: if the lock was released or taken
by another run meanwhile, it refuses. Before releasing, it writes an audit
record next to the state:
  s3://TF_STATE_BUCKET/clusters/CLUSTER/lock-releases/<time>-<ID>.json
with the lock, the caller's AWS identity and the reason. Then it runs
terraform force-unlock.

On a terminal it asks you to type the cluster name first. From a pipeline
(stdin not a terminal) it needs --yes, and refuses with exit code 2 without it.

Options:
  --reason TEXT  why the lock is released (required; goes into the audit record)
  --yes, -y      do not ask for confirmation
  --help, -h     show this help

Environment: TARGET=aws|sandbox (default aws; the sandbox has no Terraform
state, so there is nothing to release), CLUSTER (default growbin),
TF_STATE_BUCKET, AWS_REGION.

Exit codes: 0 released (or nothing to release), 1 failed or the lock is not the
one named, 2 wrong usage or refused, 130 interrupted.
HELP
}

lock_id="" reason=""
while (($# > 0)); do
  case "$1" in
    --yes | -y) ASSUME_YES=1 ;;
    --reason)
      (($# >= 2)) || usage_error "--reason needs a value"
      reason="$2"
      shift
      ;;
    --reason=*) reason="${1#--reason=}" ;;
    --help | -h) usage; exit 0 ;;
    -*) usage_error "unknown argument: $1" ;;
    *)
      [[ -z "$lock_id" ]] || usage_error "unexpected argument: $1"
      lock_id="$1"
      ;;
  esac
  shift
done
check_target
[[ -n "$lock_id" ]] || usage_error "give the ID of the lock to release (the refusing script printed it)"
[[ "$lock_id" =~ ^[0-9a-fA-F-]{8,64}$ ]] || usage_error "'$lock_id' does not look like a Terraform lock ID"
[[ -n "$reason" ]] || usage_error "--reason is required: it goes into the audit record"

if [[ "$TARGET" == sandbox ]]; then
  log "the sandbox keeps no Terraform state, so it has no state lock to release"
  exit 0
fi

require_cmds terraform aws
rc=0
lock="$(tf_read_lock)" || rc=$?
if ((rc == 3)); then
  log "the state of cluster $CLUSTER is not locked; nothing to release"
  exit 0
fi
((rc == 0)) || exit "$EXIT_FAIL"
held_id="$(printf '%s' "$lock" | json_eval 's.ID')"
if [[ "$held_id" != "$lock_id" ]]; then
  die "the lock now held is $held_id, not $lock_id: it was released or taken by another run meanwhile; nothing was changed"
fi
printf 'Lock of cluster %s:\n%s\n' "$CLUSTER" "$lock"
confirm "release the Terraform state lock $lock_id"

who="$(aws sts get-caller-identity --query Arn --output text)" || die "could not read the caller's AWS identity for the audit record"
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
record="$(node -e '
  const [lock, who, reason, at, cluster] = process.argv.slice(1);
  process.stdout.write(JSON.stringify({ event: "state-lock-released", cluster, at, releasedBy: who, reason, lock: JSON.parse(lock) }, null, 2));
' "$lock" "$who" "$reason" "$now" "$CLUSTER")"
printf '%s\n' "$record" | aws s3 cp --region "${TF_STATE_REGION:-$AWS_REGION}" - \
  "s3://$TF_STATE_BUCKET/clusters/$CLUSTER/lock-releases/$now-$lock_id.json" ||
  die "could not write the audit record; the lock was not released"
log "audit record written: s3://$TF_STATE_BUCKET/clusters/$CLUSTER/lock-releases/$now-$lock_id.json"
tf_init >/dev/null
terraform -chdir="$TF_DIR" force-unlock -force "$lock_id"
log "released the state lock $lock_id of cluster $CLUSTER"
