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
