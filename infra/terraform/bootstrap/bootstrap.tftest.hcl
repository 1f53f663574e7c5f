# Plan-mode tests of the bootstrap root module (mocked AWS provider):
#   terraform init -plugin-dir=/opt/tf-plugins -backend=false && terraform test
mock_provider "aws" {
  override_during = plan

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }

  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

run "state_and_data_buckets_are_kept" {
  command = plan

  assert {
    condition     = output.state_bucket_name == "growbin-terraform-state-123456789012"
    error_message = "the state bucket is named after the account"
  }

  assert {
    condition     = jsonencode(output.image_bucket_names) == jsonencode({ growbin = "growbin-images-123456789012" })
    error_message = "each cluster gets its image bucket, named as the cluster's root module looks it up"
  }

  assert {
    condition     = length(aws_route53_zone.this) == 0
    error_message = "the hosted zone is created only on request"
  }
}

run "hosted_zone_on_request" {
  command = plan

  variables {
    create_hosted_zone = true
  }

  assert {
    condition     = aws_route53_zone.this[0].name == "growbin.app"
    error_message = "create_hosted_zone creates the zone of domain_name"
  }
}
