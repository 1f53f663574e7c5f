output "zone_id" {
  description = "Route53 hosted zone id."
  value       = local.zone_id
}

output "certificate_arn" {
  description = "ARN of the validated ACM certificate (for alb.ingress.kubernetes.io/certificate-arn)."
  value       = aws_acm_certificate_validation.this.certificate_arn
}

output "name_servers" {
  description = "Name servers of the zone, when Terraform created it."
  value       = var.create_hosted_zone ? aws_route53_zone.this[0].name_servers : []
}
