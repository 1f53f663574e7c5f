output "vpc_id" {
  description = "Id of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Ids of the public subnets, in AZ order."
  value       = aws_subnet.public[*].id
}

output "availability_zones" {
  description = "Availability zones of the subnets."
  value       = local.azs
}
