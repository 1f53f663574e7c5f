# Plan-mode tests of the bucket module (mocked AWS provider):
#   terraform init -plugin-dir=/opt/tf-plugins -backend=false && terraform test
mock_provider "aws" {
  override_during = plan

  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  bucket_name = "growbin-images-123456789012"
  purpose     = "waste images"
}

run "private_versioned_encrypted" {
  command = plan

  assert {
    condition = (
      aws_s3_bucket_public_access_block.this.block_public_acls && aws_s3_bucket_public_access_block.this.block_public_policy &&
      aws_s3_bucket_public_access_block.this.ignore_public_acls && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    )
    error_message = "all four public-access blocks must be on"
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "the bucket must be versioned"
  }

  assert {
    condition     = one([for r in aws_s3_bucket_server_side_encryption_configuration.this.rule : one(r.apply_server_side_encryption_by_default).sse_algorithm]) == "aws:kms"
    error_message = "the bucket must be encrypted with KMS by default"
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)"
  }

  assert {
    condition     = aws_s3_bucket.this.force_destroy == false
    error_message = "a bucket is kept by default: destroy must not empty it"
  }

  assert {
    condition     = length([for r in aws_s3_bucket_lifecycle_configuration.this.rule : r if length(r.expiration) > 0]) == 0
    error_message = "a data bucket must not expire current objects"
  }
}

run "disposable_transfer_bucket" {
  command = plan

  variables {
    bucket_name               = "growbin-ansible-ssm-123456789012"
    purpose                   = "ansible aws_ssm file transfer"
    force_destroy             = true
    noncurrent_version_days   = 1
    expire_objects_after_days = 1
    sse_algorithm             = "AES256"
  }

  assert {
    condition     = one([for r in aws_s3_bucket_server_side_encryption_configuration.this.rule : one(r.apply_server_side_encryption_by_default).sse_algorithm]) == "AES256"
    error_message = "the transfer bucket is still encrypted (SSE-S3)"
  }

  assert {
    condition     = aws_s3_bucket.this.force_destroy
    error_message = "the disposable bucket must be emptied by destroy (versioned: BucketNotEmpty otherwise)"
  }

  assert {
    condition     = jsonencode(sort([for r in aws_s3_bucket_lifecycle_configuration.this.rule : r.id])) == jsonencode(["expire-objects", "expire-old-versions"])
    error_message = "the transfer bucket must expire its objects and their old versions"
  }
}

run "no_unencrypted_bucket" {
  command = plan

  variables {
    sse_algorithm = "none"
  }

  expect_failures = [var.sse_algorithm]
}

run "an_invalid_name_is_refused" {
  command = plan

  variables {
    bucket_name = "Growbin_Images"
  }

  expect_failures = [var.bucket_name]
}
