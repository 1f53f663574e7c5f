# Bootstrap: what outlives every rebuild of the cluster, in its own small state.
#   - the S3 bucket that holds the cluster's Terraform state (and its lock files);
#   - the waste-image bucket (user data; the cluster's destroy must never reach it);
#   - optionally the public hosted zone of the domain (its name servers are
#     delegated at the registrar, so it must not change with each rebuild).
# Run once per account (see infra/terraform/README.md); its own state is local
# (terraform.tfstate here, git-ignored) because the bucket it would live in is
# what this module creates. Every resource can be re-imported if that file is lost.

data "aws_caller_identity" "current" {}

locals {
  account_id        = data.aws_caller_identity.current.account_id
  state_bucket_name = var.state_bucket_name != "" ? var.state_bucket_name : "growbin-terraform-state-${local.account_id}"
  image_buckets     = { for c in var.clusters : c => "${c}-images-${local.account_id}" }
}

module "state_bucket" {
  source = "../modules/s3"

  bucket_name = local.state_bucket_name
  purpose     = "terraform state"
  # Old state versions are the way back from a bad apply: keep them a while.
  noncurrent_version_days = 90
}

module "image_bucket" {
  source   = "../modules/s3"
  for_each = local.image_buckets

  bucket_name             = each.value
  purpose                 = "waste images (${each.key})"
  noncurrent_version_days = 90
}

resource "aws_route53_zone" "this" {
  count = var.create_hosted_zone ? 1 : 0

  name = var.domain_name

  lifecycle {
    prevent_destroy = true
  }
}
