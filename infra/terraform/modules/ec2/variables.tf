variable "cluster_name" {
  description = "Cluster name, used in the Name and Cluster tags."
  type        = string
}

variable "nodes" {
  description = "The nodes to create, by node name."
  type = map(object({
    instance_type = string
    disk_gb       = number
    role          = string
    tier          = string
    group         = string
    subnet_index  = number
  }))

  validation {
    condition     = alltrue([for n in values(var.nodes) : n.disk_gb >= 20 && n.disk_gb <= 1000])
    error_message = "Each node's disk_gb must be between 20 and 1000."
  }

  validation {
    condition     = alltrue([for n in values(var.nodes) : contains(["control_plane", "workers", "storage"], n.group)])
    error_message = "Each node's group must be control_plane, workers or storage."
  }

  validation {
    condition     = alltrue([for n in values(var.nodes) : can(regex("^[a-z][a-z0-9]*[.][a-z0-9]+$", n.instance_type))])
    error_message = "Each node's instance_type must be an EC2 instance type such as t3.large."
  }
}

variable "ami_id" {
  description = "AMI for all nodes; empty = latest Ubuntu 22.04."
  type        = string
  default     = ""
}

variable "subnet_ids" {
  description = "Subnets, indexed by each node's subnet_index."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security group ids by node group."
  type        = map(list(string))
}

variable "instance_profiles" {
  description = "Instance profile name by node group."
  type        = map(string)
}
