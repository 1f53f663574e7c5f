output "control_plane_sg_id" {
  description = "Security group of the control-plane node (master)."
  value       = aws_security_group.this["control_plane"].id
}

output "workers_sg_id" {
  description = "Security group of the worker nodes (worker-1, worker-2)."
  value       = aws_security_group.this["workers"].id
}

output "storage_sg_id" {
  description = "Security group of the storage node."
  value       = aws_security_group.this["storage"].id
}

output "alb_sg_id" {
  description = "Security group for the ALB; put it in the Ingress annotation alb.ingress.kubernetes.io/security-groups."
  value       = aws_security_group.this["alb"].id
}
