#!/usr/bin/env bash
# Records real `terraform show -json` outputs of saved plans into this folder, for
# server/plans/plan-summary.test.ts. Only the built-in terraform_data resource is used,
# so it runs offline with no provider. Redo with: server/plans/__fixtures__/record.sh
# (needs terraform >= 1.4; these were recorded with the version named in each file).
set -euo pipefail
OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
# No CLI configuration or provider is needed (terraform_data is built in).
export TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1

# Stage 1 has keep, tweak, swap, gone and one counted pair; stage 2 leaves keep as is,
# changes tweak's input (update in place), swap's triggers_replace (replace; swap_first
# with create_before_destroy: create, then delete), removes
# gone (delete) and adds fresh (create).
cat >main.tf <<'TF'
variable "stage" {
  type = number
}

resource "terraform_data" "keep" {
  input = "unchanged"
}

resource "terraform_data" "tweak" {
  input = var.stage == 1 ? "v1" : "v2"
}

resource "terraform_data" "swap" {
  triggers_replace = [var.stage]
  input            = "replace me"
}

resource "terraform_data" "swap_first" {
  triggers_replace = [var.stage]
  lifecycle {
    create_before_destroy = true
  }
}

resource "terraform_data" "gone" {
  count = var.stage == 1 ? 1 : 0
  input = "deleted in stage 2"
}

resource "terraform_data" "fresh" {
  count = var.stage == 1 ? 0 : 1
  input = "created in stage 2"
}

resource "terraform_data" "pair" {
  for_each = toset(["a", "b"])
  input    = each.key
}
TF

tf() { local cmd="$1"; shift; terraform "$cmd" -input=false -no-color "$@" >/dev/null; }
show() { terraform show -json -no-color "$1" >"$OUT/$2"; }

terraform init -input=false -no-color >/dev/null
tf plan -var stage=1 -out=create.bin
show create.bin plan-create.json
tf apply -auto-approve create.bin
tf plan -var stage=1 -out=noop.bin
show noop.bin plan-noop.json
tf plan -var stage=2 -out=mixed.bin
show mixed.bin plan-mixed.json
tf plan -destroy -var stage=1 -out=destroy.bin
show destroy.bin plan-destroy.json
# A plan saved before another apply changed the state: terraform refuses it.
tf apply -auto-approve -var stage=2
if terraform apply -input=false -no-color mixed.bin >stale.out 2>&1; then
  echo "record.sh: expected terraform to refuse the stale plan" >&2
  exit 1
fi
grep -m1 'Saved plan is stale' stale.out >"$OUT/stale-apply.txt"
echo "recorded into $OUT: plan-create.json plan-noop.json plan-mixed.json plan-destroy.json stale-apply.txt"
