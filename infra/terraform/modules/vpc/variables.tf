variable "cluster_name" {
  description = "Cluster name, used in resource names and subnet discovery tags."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "vpc_cidr must be a valid IPv4 CIDR block."
  }
}

variable "public_subnet_cidrs" {
  description = "One CIDR block per public subnet (3)."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_cidrs) == 3
    error_message = "Exactly 3 public subnets are expected."
  }
}

variable "availability_zones" {
  description = "Availability zones of the subnets; empty = the first 3 available."
  type        = list(string)
  default     = []
}
