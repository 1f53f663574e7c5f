variable "region" {
  description = "Region of the state and image buckets."
  type        = string
  default     = "ap-northeast-2"
}

variable "clusters" {
  description = "Cluster names; each gets its kept image bucket <cluster>-images-<account id>."
  type        = list(string)
  default     = ["growbin"]

  validation {
    condition     = alltrue([for c in var.clusters : can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", c))])
    error_message = "Each cluster name must be 3-32 lowercase letters, digits or '-', starting with a letter."
  }
}

variable "state_bucket_name" {
  description = "Name of the Terraform state bucket. Empty = growbin-terraform-state-<account id>."
  type        = string
  default     = ""
}

variable "domain_name" {
  description = "Public domain of the cluster."
  type        = string
  default     = "growbin.app"
}

variable "create_hosted_zone" {
  description = "Create the public hosted zone for domain_name (false: it exists already, e.g. from the registrar)."
  type        = bool
  default     = false
}
