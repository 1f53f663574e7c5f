locals {
  instances = module.ec2.instances

  host_vars = {
    for name, i in local.instances : name => {
      ansible_host = i.id # aws_ssm connects by instance id
      private_ip   = i.private_ip
      node_name    = name
      node_role    = i.role
      node_tier    = i.tier
    }
  }

  # The Ansible inventory, ready to be written to infra/ansible/inventory/<cluster>.yml
  # (build-cluster.sh --phase inventory does that). Nodes are reached through
  # Session Manager (community.aws.aws_ssm), never SSH.
  ansible_inventory = {
    all = {
      vars = {
        cluster_name                = var.cluster_name
        aws_region                  = var.region
        ansible_connection          = "community.aws.aws_ssm"
        ansible_aws_ssm_region      = var.region
        ansible_aws_ssm_bucket_name = module.ssm_bucket.bucket_name
        ansible_python_interpreter  = "/usr/bin/python3"
        control_plane_endpoint      = local.instances["master"].private_ip
        api_public_endpoint         = aws_eip.api.public_ip
        api_reachable_from_outside  = length(var.api_ingress_cidrs) > 0
        vpc_id                      = module.vpc.vpc_id
        vpc_cidr                    = var.vpc_cidr
        alb_security_group_id       = module.security_groups.alb_sg_id
        acm_certificate_arn         = module.dns.certificate_arn
        domain_name                 = var.domain_name
        alb_hostnames               = concat([var.domain_name], var.subject_alternative_names)
        hosted_zone_id              = module.dns.zone_id
        image_bucket_name           = data.aws_s3_bucket.images.bucket
      }
      children = {
        k8s_cluster = {
          children = {
            control_plane = { hosts = { for n, v in local.host_vars : n => v if local.instances[n].group == "control_plane" } }
            workers       = { hosts = { for n, v in local.host_vars : n => v if local.instances[n].group == "workers" } }
            # Not "storage": that is the storage node's host name.
            storage_nodes = { hosts = { for n, v in local.host_vars : n => v if local.instances[n].group == "storage" } }
          }
        }
      }
    }
  }
}

output "ansible_inventory" {
  description = "Ansible inventory (YAML) for infra/ansible/site.yml."
  value       = yamlencode(local.ansible_inventory)
}

output "instance_ids_by_tier" {
  description = "EC2 instance ids per tier (tier 2 has two nodes)."
  value = {
    for tier in distinct([for i in values(local.instances) : i.tier]) :
    tier => sort([for i in values(local.instances) : i.id if i.tier == tier])
  }
}

output "instance_ids" {
  description = "EC2 instance id per node name."
  value       = { for n, i in local.instances : n => i.id }
}

output "instances" {
  description = "Per node: id, IPs, role, tier."
  value       = local.instances
}

output "vpc_id" {
  description = "Id of the VPC."
  value       = module.vpc.vpc_id
}

output "public_subnet_ids" {
  description = "Ids of the 3 public subnets."
  value       = module.vpc.public_subnet_ids
}

output "alb_security_group_id" {
  description = "Security group for the ALB Ingress annotation."
  value       = module.security_groups.alb_sg_id
}

output "acm_certificate_arn" {
  description = "Validated certificate for growbin.app."
  value       = module.dns.certificate_arn
}

output "image_bucket_name" {
  description = "S3 bucket for the waste images (owned by bootstrap/)."
  value       = data.aws_s3_bucket.images.bucket
}

output "api_endpoint" {
  description = "https URL of the Kubernetes API server, as the fetched kubeconfigs use it (reachable from api_ingress_cidrs)."
  value       = "https://${aws_eip.api.public_ip}:6443"
}

output "topology" {
  description = "Per node: instance type, disk size (GB), role, tier, Ansible group, subnet index."
  value       = local.nodes
}
