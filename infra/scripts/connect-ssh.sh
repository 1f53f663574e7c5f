#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: connect-ssh.sh NODE [-- COMMAND...]

Opens a shell on a node of the cluster through AWS Systems Manager Session
Manager: no SSH key and no open port 22 are needed, only AWS credentials with
ssm:StartSession and the session-manager-plugin. With -- COMMAND, runs that
command on the node instead of an interactive shell.

NODE is one of: ${NODES[*]}

On TARGET=sandbox the nodes are simulated and have no shell: it prints the
node's status instead.

Options:
  --help, -h  show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER, AWS_REGION.

Exit codes: the session's exit code; 1 failed, 2 wrong usage.
HELP
}

NODE=""
COMMAND=()
while (($# > 0)); do
  case "$1" in
    --help | -h) usage; exit 0 ;;
    --) shift; COMMAND=("$@"); break ;;
    -*) usage_error "unknown option: $1" ;;
    *) [[ -z "$NODE" ]] || usage_error "only one NODE"; NODE="$1" ;;
  esac
  shift
done
check_target
[[ -n "$NODE" ]] || usage_error "NODE is required (one of: ${NODES[*]})"
contains "$NODE" "${NODES[@]}" || usage_error "unknown node '$NODE' (one of: ${NODES[*]})"

if [[ "$TARGET" == sandbox ]]; then
  log "sandbox nodes have no shell; status of node $NODE:"
  info="$(sandbox_node "$NODE")" || die "could not read node $NODE from the sandbox"
  read -r _ ready role tier iid <<<"$info"
  printf 'node %s: %s, role %s, tier %s, instance %s\n' "$NODE" "$ready" "${role:--}" "${tier:--}" "${iid:--}"
  exit 0
fi

require_cmds aws session-manager-plugin
iid="$(instance_id "$NODE")"
log "connecting to $NODE ($iid) through Session Manager"
if ((${#COMMAND[@]} > 0)); then
  params="$(node -e 'process.stdout.write(JSON.stringify({command: [process.argv[1]]}))' "${COMMAND[*]}")"
  exec aws ssm start-session --region "$AWS_REGION" --target "$iid" \
    --document-name AWS-StartInteractiveCommand --parameters "$params"
fi
exec aws ssm start-session --region "$AWS_REGION" --target "$iid"
