variable "cluster_name" {
  description = "Cluster name, used in role and policy names."
  type        = string
}

variable "image_bucket_arn" {
  description = "ARN of the image bucket the applications read and write."
  type        = string
}

variable "ssm_bucket_arn" {
  description = "ARN of the bucket Ansible's aws_ssm connection transfers files through."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route53 hosted zone ExternalDNS may change records in."
  type        = string

  validation {
    condition     = can(regex("^Z[A-Z0-9]+$", var.hosted_zone_id))
    error_message = "hosted_zone_id must be a Route53 hosted zone id (Z...)."
  }
}
