output "image_bucket_name" {
  description = "Name of the image bucket."
  value       = aws_s3_bucket.this["images"].bucket
}

output "image_bucket_arn" {
  description = "ARN of the image bucket."
  value       = aws_s3_bucket.this["images"].arn
}

output "ssm_bucket_name" {
  description = "Name of the Ansible SSM transfer bucket."
  value       = aws_s3_bucket.this["ssm"].bucket
}

output "ssm_bucket_arn" {
  description = "ARN of the Ansible SSM transfer bucket."
  value       = aws_s3_bucket.this["ssm"].arn
}
