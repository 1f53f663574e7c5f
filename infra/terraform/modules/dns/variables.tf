variable "domain_name" {
  description = "Apex domain, e.g. growbin.app. Its public hosted zone must exist (infra/terraform/bootstrap creates it)."
  type        = string
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
