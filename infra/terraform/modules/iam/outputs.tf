output "control_plane_instance_profile_name" {
  description = "Instance profile of the master."
  value       = aws_iam_instance_profile.this["control_plane"].name
}

output "node_instance_profile_name" {
  description = "Instance profile of the workers and the storage node."
  value       = aws_iam_instance_profile.this["node"].name
}

output "role_arns" {
  description = "ARNs of the instance roles."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}
