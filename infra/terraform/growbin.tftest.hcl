# Plan-mode tests of the root module: the whole cluster as the seed describes it,
# with a mocked AWS provider (no account, no network):
#   terraform init -plugin-dir=/opt/tf-plugins -backend=false && terraform test
# Module internals are tested beside each module (modules/*/*.tftest.hcl); these
# runs check what the root wires together and what it hands to Ansible and the portal.
mock_provider "aws" {
  override_during = plan

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_availability_zones" {
    defaults = { names = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"] }
  }
  mock_data "aws_ami" {
    defaults = { id = "ami-0123456789abcdef0" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  mock_data "aws_route53_zone" {
    defaults = { zone_id = "Z0123456789ABCDEFGHIJ" }
  }
  mock_data "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::growbin-images-123456789012", bucket = "growbin-images-123456789012" }
  }
  # Computed values the inventory carries; the mock leaves them unknown in a plan otherwise.
  mock_resource "aws_instance" {
    defaults = { id = "i-0123456789abcdef0", private_ip = "10.0.1.10", public_ip = "203.0.113.99" }
  }
  mock_resource "aws_vpc" {
    defaults = { id = "vpc-0123456789abcdef0" }
  }
  mock_resource "aws_security_group" {
    defaults = { id = "sg-0123456789abcdef0" }
  }
  # The real provider knows the validation options' keys at plan time; the mock must say them.
  mock_resource "aws_acm_certificate" {
    defaults = {
      domain_validation_options = [
        { domain_name = "growbin.app", resource_record_name = "_a.growbin.app.", resource_record_type = "CNAME", resource_record_value = "_a.acm-validations.aws." },
      ]
    }
  }
  mock_resource "aws_eip" {
    defaults = { public_ip = "203.0.113.10" }
  }
  mock_resource "aws_acm_certificate_validation" {
    defaults = { certificate_arn = "arn:aws:acm:ap-northeast-2:123456789012:certificate/0000" }
  }
}

variables {
  api_ingress_cidrs = ["198.51.100.0/24"]
}

run "inventory_for_ansible" {
  command = plan

  assert {
    condition = jsonencode({
      for g, v in yamldecode(output.ansible_inventory).all.children.k8s_cluster.children : g => sort(keys(v.hosts))
      }) == jsonencode({
      control_plane = ["master"], storage_nodes = ["storage"], workers = ["worker-1", "worker-2"]
    })
    error_message = "the inventory groups are control_plane (master), workers (worker-1, worker-2), storage_nodes (storage)"
  }

  assert {
    condition = jsonencode({
      for n, h in merge([for g in yamldecode(output.ansible_inventory).all.children.k8s_cluster.children : g.hosts]...) : n => [h.node_name, h.node_role, h.node_tier]
      }) == jsonencode({
      master = ["master", "master", "1"], storage = ["storage", "storage", "3-4"], "worker-1" = ["worker-1", "api-worker", "2"], "worker-2" = ["worker-2", "async-worker", "2"]
    })
    error_message = "each host carries its node name, role and tier (they become node labels)"
  }

  assert {
    condition     = yamldecode(output.ansible_inventory).all.vars.ansible_connection == "community.aws.aws_ssm"
    error_message = "Ansible reaches the nodes through Session Manager, not SSH"
  }

  assert {
    condition = (
      yamldecode(output.ansible_inventory).all.vars.api_public_endpoint == "203.0.113.10" &&
      yamldecode(output.ansible_inventory).all.vars.control_plane_endpoint == "10.0.1.10" &&
      yamldecode(output.ansible_inventory).all.vars.api_reachable_from_outside == true &&
      output.api_endpoint == "https://203.0.113.10:6443"
    )
    error_message = "the inventory hands Ansible the API server's private and public endpoints (cert SANs, kubeconfig)"
  }

  assert {
    condition = (
      yamldecode(output.ansible_inventory).all.vars.ansible_aws_ssm_bucket_name == "growbin-ansible-ssm-123456789012" &&
      yamldecode(output.ansible_inventory).all.vars.image_bucket_name == "growbin-images-123456789012" &&
      yamldecode(output.ansible_inventory).all.vars.hosted_zone_id == "Z0123456789ABCDEFGHIJ" &&
      jsonencode(yamldecode(output.ansible_inventory).all.vars.alb_hostnames) == jsonencode(["growbin.app", "api.growbin.app", "argocd.growbin.app"])
    )
    error_message = "the inventory names the buckets, the hosted zone and the ALB host names"
  }

  assert {
    condition     = jsonencode(sort(keys(output.instance_ids_by_tier))) == jsonencode(["1", "2", "3-4"]) && length(output.instance_ids_by_tier["2"]) == 2
    error_message = "instance ids are grouped by tier, two in tier 2"
  }

  assert {
    condition     = aws_eip.api.tags["Cluster"] == "growbin"
    error_message = "the API address carries the Cluster tag"
  }
}

run "seed_topology" {
  command = plan

  assert {
    condition = jsonencode({ for n, v in output.topology : n => [v.instance_type, v.disk_gb, v.role, v.tier] }) == jsonencode({
      master     = ["t3.large", 80, "master", "1"]
      storage    = ["t3.large", 100, "storage", "3-4"]
      "worker-1" = ["t3.medium", 40, "api-worker", "2"]
      "worker-2" = ["t3.medium", 40, "async-worker", "2"]
    })
    error_message = "the nodes must be the seed's: master t3.large 80 GB, worker-1/2 t3.medium 40 GB, storage t3.large 100 GB"
  }

  assert {
    condition     = jsonencode(output.public_subnet_ids) != "null" && length(output.public_subnet_ids) == 3
    error_message = "the root must create the VPC's 3 public subnets"
  }
}

run "world_ssh_is_refused" {
  command = plan

  variables {
    ssh_ingress_cidrs = ["0.0.0.0/0"]
  }

  expect_failures = [var.ssh_ingress_cidrs]
}

run "world_api_is_refused" {
  command = plan

  variables {
    api_ingress_cidrs = ["10.1.0.0/16", "0.0.0.0/0"]
  }

  expect_failures = [var.api_ingress_cidrs]
}

run "a_wrong_cluster_name_is_refused" {
  command = plan

  variables {
    cluster_name = "Growbin_Prod"
  }

  expect_failures = [var.cluster_name]
}

run "two_subnets_are_refused" {
  command = plan

  variables {
    public_subnet_cidrs = ["10.0.1.0/24", "10.0.2.0/24"]
  }

  expect_failures = [var.public_subnet_cidrs]
}
