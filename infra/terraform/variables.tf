variable "cluster_name" {
  description = "Name of the cluster. Used in resource names and in the Cluster tag the portal filters EC2 instances by."
  type        = string
  default     = "growbin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.cluster_name))
    error_message = "cluster_name must be 3-32 characters of lowercase letters, digits and '-', starting with a letter."
  }
}

variable "region" {
  description = "AWS region to build the cluster in."
  type        = string
  default     = "ap-northeast-2"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must look like an AWS region name, e.g. ap-northeast-2."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be a valid IPv4 CIDR block of /20 or larger."
  }
}

variable "public_subnet_cidrs" {
  description = "CIDR blocks of the 3 public subnets, one per availability zone."
  type        = list(string)
  default     = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]

  validation {
    condition     = length(var.public_subnet_cidrs) == 3 && alltrue([for c in var.public_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "public_subnet_cidrs must hold exactly 3 valid IPv4 CIDR blocks."
  }
}

variable "availability_zones" {
  description = "Availability zones for the 3 subnets. Empty = the first 3 available zones of the region."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.availability_zones) == 0 || length(var.availability_zones) == 3
    error_message = "availability_zones must be empty (automatic) or list exactly 3 zones."
  }
}

variable "ssh_ingress_cidrs" {
  description = "CIDR blocks allowed to reach SSH (22) on the nodes. Empty by default: access goes through Session Manager."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.ssh_ingress_cidrs : can(cidrhost(c, 0))])
    error_message = "ssh_ingress_cidrs must hold valid IPv4 CIDR blocks."
  }

  validation {
    condition     = var.allow_world_admin_access || !contains(var.ssh_ingress_cidrs, "0.0.0.0/0")
    error_message = "Opening SSH to 0.0.0.0/0 requires allow_world_admin_access = true."
  }
}

variable "api_ingress_cidrs" {
  description = "CIDR blocks allowed to reach the Kubernetes API server (6443) from outside the cluster, e.g. the operators' office or VPN. Empty by default."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.api_ingress_cidrs : can(cidrhost(c, 0))])
    error_message = "api_ingress_cidrs must hold valid IPv4 CIDR blocks."
  }

  validation {
    condition     = var.allow_world_admin_access || !contains(var.api_ingress_cidrs, "0.0.0.0/0")
    error_message = "Opening the API server to 0.0.0.0/0 requires allow_world_admin_access = true."
  }
}

variable "allow_world_admin_access" {
  description = "Explicit opt-in that allows 0.0.0.0/0 in ssh_ingress_cidrs or api_ingress_cidrs. Keep false."
  type        = bool
  default     = false
}

variable "https_ingress_cidrs" {
  description = "CIDR blocks allowed to reach the public load balancer on HTTPS (443)."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.https_ingress_cidrs) > 0 && alltrue([for c in var.https_ingress_cidrs : can(cidrhost(c, 0))])
    error_message = "https_ingress_cidrs must hold at least one valid IPv4 CIDR block."
  }
}

variable "ami_id" {
  description = "AMI for all nodes. Empty = the latest Canonical Ubuntu 22.04 LTS (amd64) image of the region."
  type        = string
  default     = ""

  validation {
    condition     = var.ami_id == "" || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be empty or an AMI id (ami-...)."
  }
}

variable "domain_name" {
  description = "Public domain served by the load balancer. Its Route53 hosted zone must exist (bootstrap/ can create it)."
  type        = string
  default     = "growbin.app"

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name such as growbin.app."
  }
}

variable "subject_alternative_names" {
  description = "Extra names on the ACM certificate, besides domain_name."
  type        = list(string)
  default     = ["api.growbin.app", "argocd.growbin.app"]
}

variable "image_bucket_name" {
  description = "Name of the S3 bucket for the waste images, created by bootstrap/ (kept across rebuilds). Empty = <cluster_name>-images-<account id>."
  type        = string
  default     = ""

  validation {
    condition     = var.image_bucket_name == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.image_bucket_name))
    error_message = "image_bucket_name must be empty or a valid S3 bucket name."
  }
}
