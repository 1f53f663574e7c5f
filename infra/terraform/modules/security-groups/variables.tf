variable "cluster_name" {
  description = "Cluster name, used in security group names."
  type        = string
}

variable "vpc_id" {
  description = "VPC the security groups belong to."
  type        = string
}

variable "ssh_ingress_cidrs" {
  description = "CIDR blocks allowed to SSH to the nodes. Empty = SSH closed."
  type        = list(string)
  default     = []
}

variable "api_ingress_cidrs" {
  description = "CIDR blocks allowed to reach the API server from outside the cluster. Empty = closed."
  type        = list(string)
  default     = []
}

variable "https_ingress_cidrs" {
  description = "CIDR blocks allowed to reach the load balancer on 443."
  type        = list(string)

  validation {
    condition     = length(var.https_ingress_cidrs) > 0
    error_message = "At least one CIDR must be allowed to reach HTTPS."
  }
}
