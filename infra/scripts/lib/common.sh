#!/usr/bin/env bash
# Shared helpers for infra/scripts/*.sh. Sourced, never run.
#
# Conventions every script follows:
#   exit 0 success, 1 failure, 2 wrong usage (or a destructive run refused),
#   130 interrupted.
#   TARGET=aws|sandbox (default aws), CLUSTER (default growbin),
#   SANDBOX_STATE (sandbox only, default .data/sandbox under the repo root).
#   Destructive scripts ask for confirmation on a terminal, need --yes otherwise.
#
# Signals: a long step (terraform, ansible-playbook, the sandbox CLI) runs in
# the foreground of the script's process group, or replaces the script (exec).
# Ctrl-C and the portal's cancel signal the whole group, so the tool receives
# SIGINT exactly once and can stop cleanly (terraform saves its state and
# releases its lock). Nothing is forwarded on top of that: terraform treats a
# second interrupt as "exit now, data loss possible".

# shellcheck disable=SC2034  # variables set here are used by the sourcing scripts
readonly EXIT_OK=0 EXIT_FAIL=1 EXIT_USAGE=2 EXIT_INTERRUPTED=130

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
readonly REPO_ROOT
readonly SCRIPTS_DIR="$REPO_ROOT/infra/scripts"
readonly TF_DIR="$REPO_ROOT/infra/terraform"
readonly ANSIBLE_DIR="$REPO_ROOT/infra/ansible"

readonly NODES=(master worker-1 worker-2 storage)
readonly PROVISION_PHASES=(infra inventory os kubernetes cni storage addons monitoring gitops messaging data apps wait-nodes)
readonly ANSIBLE_PHASES=(os kubernetes cni storage addons monitoring gitops messaging data apps)

SCRIPT_NAME="$(basename "$0")"

TARGET="${TARGET:-aws}"
CLUSTER_FROM_ENV="${CLUSTER:-}"
CLUSTER="${CLUSTER:-growbin}"
SANDBOX_STATE="${SANDBOX_STATE:-.data/sandbox}"
[[ "$SANDBOX_STATE" = /* ]] || SANDBOX_STATE="$REPO_ROOT/$SANDBOX_STATE"
AWS_REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-ap-northeast-2}}"
export TARGET CLUSTER SANDBOX_STATE AWS_REGION

ASSUME_YES=0
INTERRUPTED=0

log()  { printf '%s: %s\n' "$SCRIPT_NAME" "$*"; }
warn() { printf '%s: warning: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die()  { printf '%s: error: %s\n' "$SCRIPT_NAME" "$*" >&2; exit "$EXIT_FAIL"; }
usage_error() {
  printf '%s: %s\nRun %s --help for usage.\n' "$SCRIPT_NAME" "$*" "$SCRIPT_NAME" >&2
  exit "$EXIT_USAGE"
}
step() { printf '\n== %s\n' "$*"; }

# Records an interrupt; the script exits 130 once the running tool has stopped.
on_interrupt() {
  INTERRUPTED=1
  warn "interrupted; waiting for the running step to stop cleanly"
}
trap on_interrupt INT TERM
# An interrupted run ends with 130, whatever the stopped tool returned.
trap 'if [[ "$INTERRUPTED" == 1 ]]; then exit "$EXIT_INTERRUPTED"; fi' EXIT

exit_if_interrupted() {
  if [[ "$INTERRUPTED" == 1 ]]; then
    warn "stopped after an interrupt"
    exit "$EXIT_INTERRUPTED"
  fi
}

contains() {
  local needle="$1" item
  shift
  for item in "$@"; do [[ "$item" == "$needle" ]] && return 0; done
  return 1
}

# For scripts whose only option is --help (usage() defined by the script).
no_args_but_help() {
  case "${1:-}" in
    "") ;;
    --help | -h) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
  (($# <= 1)) || usage_error "unexpected arguments: $*"
}

# parse_phase_args "$@": the --yes/--phase/--plan/--help options of build-cluster.sh and cleanup.sh; sets
# ASSUME_YES, PHASE and PLAN_FILE (a saved plan from plan.sh, for the infra phase only).
parse_phase_args() {
  PHASE=""
  PLAN_FILE=""
  while (($# > 0)); do
    case "$1" in
      --yes | -y) ASSUME_YES=1 ;;
      --phase)
        (($# >= 2)) || usage_error "--phase needs a value"
        PHASE="$2"
        shift
        ;;
      --phase=*) PHASE="${1#--phase=}" ;;
      --plan)
        (($# >= 2)) || usage_error "--plan needs a value"
        PLAN_FILE="$2"
        shift
        ;;
      --plan=*) PLAN_FILE="${1#--plan=}" ;;
      --help | -h) usage; exit 0 ;;
      *) usage_error "unknown argument: $1" ;;
    esac
    shift
  done
  if [[ -n "$PLAN_FILE" ]]; then
    [[ "$PHASE" == infra ]] || usage_error "--plan applies a saved plan to the infra phase: use it with --phase infra"
    [[ -f "$PLAN_FILE" ]] || usage_error "--plan: no saved plan at $PLAN_FILE (make one with plan.sh)"
    PLAN_FILE="$(cd "$(dirname "$PLAN_FILE")" && pwd)/$(basename "$PLAN_FILE")"
  fi
}

# tf_apply_plan FILE: apply exactly a saved plan (terraform refuses it with "Saved plan is stale" when the
# state changed since it was made, and changes nothing then). exec: terraform gets the interrupt itself.
tf_apply_plan() {
  require_cmds terraform aws
  refuse_if_state_locked
  tf_init
  exit_if_interrupted
  exec terraform -chdir="$TF_DIR" apply -input=false "-lock-timeout=$TF_LOCK_TIMEOUT" "$1"
}

# The health checks' problem counter: problem "text" prints it and counts it in $problems.
problems=0
problem() { printf '  PROBLEM: %s\n' "$*"; problems=$((problems + 1)); }

check_target() {
  case "$TARGET" in
    aws | sandbox) ;;
    *) usage_error "TARGET must be aws or sandbox (got '$TARGET')" ;;
  esac
  [[ "$CLUSTER" =~ ^[a-z][a-z0-9-]{1,30}[a-z0-9]$ ]] || usage_error "CLUSTER must be 3-32 lowercase letters, digits or '-' (got '$CLUSTER')"
}

# require_cmds terraform kubectl ...: exit 1 naming every missing tool.
require_cmds() {
  local missing=() c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  if ((${#missing[@]} > 0)); then
    die "TARGET=$TARGET needs these tools on PATH: ${missing[*]} (install them, or use TARGET=sandbox)"
  fi
}

# confirm "what will be destroyed": --yes skips the question; on a terminal the
# person types the cluster name; otherwise refuse (exit 2) rather than destroy
# without anyone having said so.
confirm() {
  local what="$1" answer
  if [[ "$ASSUME_YES" == 1 ]]; then
    return 0
  fi
  if [[ ! -t 0 ]]; then
    printf '%s: refusing to %s without --yes (stdin is not a terminal, nobody can confirm)\n' "$SCRIPT_NAME" "$what" >&2
    exit "$EXIT_USAGE"
  fi
  printf 'This will %s (TARGET=%s, CLUSTER=%s).\nType the cluster name to continue: ' "$what" "$TARGET" "$CLUSTER" >&2
  read -r answer || answer=""
  if [[ "$answer" != "$CLUSTER" ]]; then
    printf '%s: not confirmed; nothing was changed\n' "$SCRIPT_NAME" >&2
    exit "$EXIT_FAIL"
  fi
}

# --- sandbox target -----------------------------------------------------------

# The sandbox CLI is infra/sandbox/cli.ts run with tsx. It is started as
# `node --import tsx cli.ts` rather than through node_modules/.bin/tsx: same
# program, but one process instead of a wrapper plus a child, so an interrupt
# sent to the process group reaches it once, and each call starts faster.
sandbox_cmd() {
  local tsx="$REPO_ROOT/node_modules/tsx" cli="$REPO_ROOT/infra/sandbox/cli.ts"
  [[ -d "$tsx" ]] || die "tsx not found in $REPO_ROOT/node_modules (run npm ci at the repo root)"
  [[ -f "$cli" ]] || die "sandbox CLI not found at $cli"
  SANDBOX_CMD=(node --import tsx "$cli")
}

# sandbox ARGS...: run the sandbox CLI in the foreground, return its exit code.
sandbox() {
  sandbox_cmd
  (cd "$REPO_ROOT" && "${SANDBOX_CMD[@]}" "$@" --state "$SANDBOX_STATE")
}

# sandbox_exec ARGS...: replace this script with the sandbox CLI.
sandbox_exec() {
  sandbox_cmd
  cd "$REPO_ROOT" || exit "$EXIT_FAIL"
  exec "${SANDBOX_CMD[@]}" "$@" --state "$SANDBOX_STATE"
}

# sandbox_up: start the sandbox unless it runs. A parent script that already
# did so sets SANDBOX_UP_DONE=1 for the phases it runs, to spare a call each.
sandbox_up() {
  [[ "${SANDBOX_UP_DONE:-}" == 1 ]] && return 0
  local args=(up --if-down)
  [[ -z "$CLUSTER_FROM_ENV" ]] || args+=(--cluster "$CLUSTER_FROM_ENV")
  sandbox "${args[@]}" || die "could not start the sandbox (state: $SANDBOX_STATE)"
}

# sandbox_node NODE: one line "name ready role tier instance" for a sandbox node,
# read from the sandbox's Kubernetes API with the portal's read-only token
# (reader.kubeconfig), over HTTPS trusting the cluster CA named in
# endpoints.json; "NODE missing" when the node is not registered.
sandbox_node() {
  local endpoints="$SANDBOX_STATE/endpoints.json" kubeconfig="$SANDBOX_STATE/reader.kubeconfig"
  [[ -f "$endpoints" && -f "$kubeconfig" ]] || die "the sandbox is not running (no $kubeconfig)"
  # The ${...} below are JavaScript template literals, not shell expansions.
  # shellcheck disable=SC2016
  node -e '
    const fs = require("fs");
    const https = require("https");
    const [endpoints, kc, name] = process.argv.slice(1);
    const ep = JSON.parse(fs.readFileSync(endpoints, "utf8"));
    const token = /token:\s*(\S+)/.exec(fs.readFileSync(kc, "utf8"))?.[1];
    const fail = (m) => { console.error(m); process.exit(1); };
    https.get(`${ep.kubernetes}/api/v1/nodes/${encodeURIComponent(name)}`, { ca: fs.readFileSync(ep.ca), headers: { authorization: `Bearer ${token}` } }, (r) => {
      let body = "";
      r.on("data", (c) => (body += c));
      r.on("end", () => {
        if (r.statusCode === 404) return console.log(`${name} missing`);
        if (r.statusCode !== 200) return fail(`sandbox API answered ${r.statusCode}: ${body.slice(0, 200)}`);
        const n = JSON.parse(body);
        const ready = (n.status?.conditions ?? []).find((c) => c.type === "Ready")?.status === "True";
        const l = n.metadata?.labels ?? {};
        const iid = (n.spec?.providerID ?? "").split("/").pop() || "-";
        console.log([name, ready ? "Ready" : "NotReady", l["growbin.app/role"] ?? "-", l["growbin.app/tier"] ?? "-", iid].join(" "));
      });
    }).on("error", (e) => fail(String(e.message ?? e)));
  ' "$endpoints" "$kubeconfig" "$1"
}

# json_eval 'JS expression over `s`' < json: evaluate with node (always present:
# the repo is a Node project). Prints the result.
json_eval() {
  node -e '
    let raw = "";
    process.stdin.on("data", (d) => (raw += d));
    process.stdin.on("end", () => {
      const s = JSON.parse(raw);
      const out = eval(process.argv[1]);
      process.stdout.write(typeof out === "string" ? out + "\n" : JSON.stringify(out) + "\n");
    });' "$1"
}

# --- aws target -----------------------------------------------------------------

# tf_init: initialise the S3 backend for $CLUSTER (state key per cluster).
tf_init() {
  [[ -n "${TF_STATE_BUCKET:-}" ]] || die "TF_STATE_BUCKET is not set (the S3 bucket that holds the Terraform state)"
  terraform -chdir="$TF_DIR" init -input=false -reconfigure \
    -backend-config="bucket=$TF_STATE_BUCKET" \
    -backend-config="key=clusters/$CLUSTER/terraform.tfstate" \
    -backend-config="region=${TF_STATE_REGION:-$AWS_REGION}"
}

# tf_var_args: arguments that select this cluster's variables.
tf_var_args() {
  TF_ARGS=(-input=false -var "cluster_name=$CLUSTER" -var "region=$AWS_REGION")
  if [[ -f "$TF_DIR/$CLUSTER.tfvars" ]]; then
    TF_ARGS+=(-var-file "$TF_DIR/$CLUSTER.tfvars")
  elif [[ -f "$TF_DIR/terraform.tfvars" ]]; then
    TF_ARGS+=(-var-file "$TF_DIR/terraform.tfvars")
  fi
}

# The Terraform state lock: refuse_if_state_locked, tf_read_lock, TF_LOCK_TIMEOUT.
# shellcheck source-path=SCRIPTDIR source=state-lock.sh
source "$SCRIPTS_DIR/lib/state-lock.sh"

ansible_inventory_path() {
  printf '%s/inventory/%s.yml' "$ANSIBLE_DIR" "$CLUSTER"
}

# Default place of the admin kubeconfig when KUBECONFIG is not set.
default_kubeconfig() {
  printf '%s/.data/kubeconfig/%s.conf' "$REPO_ROOT" "$CLUSTER"
}

use_kubeconfig() {
  export KUBECONFIG="${KUBECONFIG:-$(default_kubeconfig)}"
  [[ -f "${KUBECONFIG%%:*}" ]] || die "kubeconfig not found at $KUBECONFIG (build the cluster first, or set KUBECONFIG)"
}

# instance_id NODE: the EC2 instance id of a node, by its Cluster and Node tags.
instance_id() {
  local id
  id="$(aws ec2 describe-instances --region "$AWS_REGION" \
    --filters "Name=tag:Cluster,Values=$CLUSTER" "Name=tag:Node,Values=$1" "Name=instance-state-name,Values=running" \
    --query 'Reservations[].Instances[].InstanceId' --output text)"
  [[ -n "$id" && "$id" != "None" ]] || die "no running instance for node $1 in cluster $CLUSTER"
  printf '%s\n' "$id"
}

# ssm_run INSTANCE_ID SCRIPT: run a shell script on a node through Session
# Manager (AWS-RunShellScript), print its output, return its exit code.
ssm_run() {
  local iid="$1" script="$2" cmd_id status params
  params="$(node -e 'process.stdout.write(JSON.stringify({commands: [process.argv[1]]}))' "$script")"
  cmd_id="$(aws ssm send-command --region "$AWS_REGION" --instance-ids "$iid" \
    --document-name AWS-RunShellScript --comment "growbin $SCRIPT_NAME" \
    --parameters "$params" --query 'Command.CommandId' --output text)"
  aws ssm wait command-executed --region "$AWS_REGION" --command-id "$cmd_id" --instance-id "$iid" || true
  aws ssm get-command-invocation --region "$AWS_REGION" --command-id "$cmd_id" --instance-id "$iid" \
    --query 'StandardOutputContent' --output text
  status="$(aws ssm get-command-invocation --region "$AWS_REGION" --command-id "$cmd_id" --instance-id "$iid" \
    --query 'Status' --output text)"
  [[ "$status" == "Success" ]]
}

