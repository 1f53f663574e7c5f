terraform {
  # use_lockfile (S3-native state locking) needs Terraform 1.10 or later.
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }

  # Partial backend configuration: the bucket (and, per cluster, the key) are
  # passed at init time so that nothing account-specific is committed:
  #
  #   terraform init \
  #     -backend-config=backend.hcl \
  #     -backend-config="key=clusters/growbin/terraform.tfstate"
  #
  # infra/scripts/build-cluster.sh does this from TF_STATE_BUCKET and CLUSTER.
  # See backend.hcl.example.
  backend "s3" {
    key          = "clusters/growbin/terraform.tfstate"
    region       = "ap-northeast-2"
    encrypt      = true
    use_lockfile = true
  }
}
