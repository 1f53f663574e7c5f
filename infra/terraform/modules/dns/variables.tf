variable "domain_name" {
  description = "Apex domain, e.g. growbin.app."
  type        = string
}

variable "create_hosted_zone" {
  description = "Create the hosted zone instead of looking it up."
  type        = bool
  default     = false
}

variable "subject_alternative_names" {
  description = "Extra certificate names."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for n in var.subject_alternative_names : can(regex("^[*a-z0-9.-]+$", n))])
    error_message = "subject_alternative_names must be DNS names."
  }
}

variable "alb_dns_name" {
  description = "DNS name of the controller-created ALB; empty = no alias records yet."
  type        = string
  default     = ""
}

variable "alb_zone_id" {
  description = "Hosted zone id of the ALB."
  type        = string
  default     = ""

  validation {
    condition     = var.alb_zone_id == "" || can(regex("^Z[A-Z0-9]+$", var.alb_zone_id))
    error_message = "alb_zone_id must be a hosted zone id (Z...)."
  }
}
