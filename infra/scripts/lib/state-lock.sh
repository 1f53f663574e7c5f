#!/usr/bin/env bash
# The Terraform state lock of a cluster (S3-native locking, use_lockfile):
# reading it, and refusing to start while another run holds it. Sourced by
# common.sh, never run.

# How long terraform waits for a state lock held by another run before failing.
TF_LOCK_TIMEOUT="${TF_LOCK_TIMEOUT:-60s}"

# S3-native locking (use_lockfile): the lock is an object beside the state.
tf_lock_key() {
  printf 'clusters/%s/terraform.tfstate.tflock' "$CLUSTER"
}

# tf_read_lock: prints the lock's JSON and returns 0 when a run holds the state
# lock; returns 3 when the state is free; dies (1) when the lock cannot be read.
tf_read_lock() {
  local out err
  [[ -n "${TF_STATE_BUCKET:-}" ]] || die "TF_STATE_BUCKET is not set (the S3 bucket that holds the Terraform state)"
  err="$(mktemp)"
  if out="$(aws s3 cp --region "${TF_STATE_REGION:-$AWS_REGION}" "s3://$TF_STATE_BUCKET/$(tf_lock_key)" - 2>"$err")"; then
    rm -f "$err"
    printf '%s\n' "$out"
    return 0
  fi
  if grep -qE '\(404\)|Not Found|NoSuchKey|does not exist' "$err"; then
    rm -f "$err"
    return 3
  fi
  local msg
  msg="$(tr '\n' ' ' <"$err")"
  rm -f "$err"
  die "cannot read the state lock s3://$TF_STATE_BUCKET/$(tf_lock_key): $msg"
}

# refuse_if_state_locked: exit 1 naming the run that holds this cluster's state
# lock (who, what, since when) and how to release it if that run is dead.
refuse_if_state_locked() {
  local lock summary rc=0
  lock="$(tf_read_lock)" || rc=$?
  ((rc != 3)) || return 0
  ((rc == 0)) || exit "$EXIT_FAIL" # tf_read_lock said why
  # The ${...} are JavaScript template literals for json_eval, not shell expansions.
  # shellcheck disable=SC2016
  summary="$(printf '%s' "$lock" | json_eval '`ID ${s.ID}, ${s.Operation} by ${s.Who} since ${s.Created}`' 2>/dev/null || printf '%s' "$lock")"
  printf '%s: error: the Terraform state of cluster %s is locked by another run (%s; s3://%s/%s).\n' \
    "$SCRIPT_NAME" "$CLUSTER" "$summary" "$TF_STATE_BUCKET" "$(tf_lock_key)" >&2
  printf '%s: if that run is still going, wait for it. If it crashed, release the lock (audited): infra/scripts/release-state-lock.sh <ID>\n' "$SCRIPT_NAME" >&2
  exit "$EXIT_FAIL"
}
