output "state_bucket_name" {
  description = "Set TF_STATE_BUCKET to this for infra/scripts."
  value       = module.state_bucket.bucket_name
}

output "image_bucket_names" {
  description = "The kept image bucket of each cluster."
  value       = { for c, b in module.image_bucket : c => b.bucket_name }
}

output "name_servers" {
  description = "Name servers to delegate the domain to, when this module created the zone."
  value       = var.create_hosted_zone ? aws_route53_zone.this[0].name_servers : []
}
