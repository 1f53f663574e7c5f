variable "cluster_name" {
  description = "Cluster name."
  type        = string
}

variable "image_bucket_name" {
  description = "Name of the image bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.image_bucket_name))
    error_message = "image_bucket_name must be a valid S3 bucket name."
  }
}

variable "ssm_bucket_name" {
  description = "Name of the bucket Ansible's aws_ssm connection uses."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.ssm_bucket_name))
    error_message = "ssm_bucket_name must be a valid S3 bucket name."
  }
}
