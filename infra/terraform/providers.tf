# Credentials come from the environment (AWS_PROFILE, AWS_ACCESS_KEY_ID/..., SSO or
# an instance/CI role). Nothing here, or in any tfvars file, holds a credential.
provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project   = "growbin"
      Cluster   = var.cluster_name
      ManagedBy = "terraform"
    }
  }
}
