variable "bucket_name" {
  description = "Name of the bucket."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name."
  }
}

variable "purpose" {
  description = "What the bucket holds (Purpose tag)."
  type        = string
}

variable "force_destroy" {
  description = "Let terraform destroy delete a non-empty bucket. Only for disposable buckets, never for data."
  type        = bool
  default     = false
}

variable "noncurrent_version_days" {
  description = "Days an overwritten or deleted object's old version is kept."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_days >= 1
    error_message = "noncurrent_version_days must be 1 or more."
  }
}

variable "expire_objects_after_days" {
  description = "Delete current objects after this many days; 0 = never."
  type        = number
  default     = 0
}

variable "sse_algorithm" {
  description = "Default encryption: aws:kms (the account's aws/s3 key) or AES256 (SSE-S3)."
  type        = string
  default     = "aws:kms"

  validation {
    condition     = contains(["aws:kms", "AES256"], var.sse_algorithm)
    error_message = "sse_algorithm must be aws:kms or AES256."
  }
}
