#!/usr/bin/env bash
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<HELP
Usage: get-instances.sh [--json]

Lists the cluster's EC2 instances (found by their Cluster tag) with node name,
tier, role, instance type, state, private and public IP, and instance id.
On TARGET=sandbox it lists the sandbox's nodes. Read-only.

Options:
  --json      print JSON instead of a table
  --help, -h  show this help

Environment: TARGET=aws|sandbox (default aws), CLUSTER, SANDBOX_STATE (sandbox),
AWS_REGION (aws, default ap-northeast-2).

Exit codes: 0 listed, 1 failed, 2 wrong usage.
HELP
}

JSON=0
while (($# > 0)); do
  case "$1" in
    --json) JSON=1 ;;
    --help | -h) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
  shift
done
check_target

if [[ "$TARGET" == sandbox ]]; then
  if ((JSON)); then sandbox_exec status --json; fi
  sandbox_exec status
fi

require_cmds aws
filters=("Name=tag:Cluster,Values=$CLUSTER" "Name=instance-state-name,Values=pending,running,stopping,stopped")
# The backquotes below are JMESPath string literals, not command substitution.
# shellcheck disable=SC2016
if ((JSON)); then
  exec aws ec2 describe-instances --region "$AWS_REGION" --filters "${filters[@]}" \
    --query 'Reservations[].Instances[].{Node: Tags[?Key==`Node`]|[0].Value, Tier: Tags[?Key==`Tier`]|[0].Value, Role: Tags[?Key==`Role`]|[0].Value, Type: InstanceType, State: State.Name, PrivateIp: PrivateIpAddress, PublicIp: PublicIpAddress, Id: InstanceId, Zone: Placement.AvailabilityZone}' \
    --output json
fi
# shellcheck disable=SC2016  # JMESPath literals again
exec aws ec2 describe-instances --region "$AWS_REGION" --filters "${filters[@]}" \
  --query 'sort_by(Reservations[].Instances[], &(Tags[?Key==`Tier`]|[0].Value))[].[Tags[?Key==`Node`]|[0].Value, Tags[?Key==`Tier`]|[0].Value, Tags[?Key==`Role`]|[0].Value, InstanceType, State.Name, PrivateIpAddress, PublicIpAddress, InstanceId]' \
  --output table
