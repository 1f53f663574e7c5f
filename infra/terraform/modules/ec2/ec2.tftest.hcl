# Plan-mode tests of the ec2 module with a mocked AWS provider (no account, no network):
#   terraform init -plugin-dir=/opt/tf-plugins -backend=false && terraform test
# The topology below is the seed's (seed-summary.md); the root passes the same map.
mock_provider "aws" {
  override_during = plan

  mock_data "aws_ami" {
    defaults = { id = "ami-0123456789abcdef0" }
  }
}

variables {
  cluster_name = "growbin"
  subnet_ids   = ["subnet-a", "subnet-b", "subnet-c"]
  security_group_ids = {
    control_plane = ["sg-cp"]
    workers       = ["sg-workers"]
    storage       = ["sg-storage"]
  }
  instance_profiles = {
    control_plane = "growbin-control-plane"
    workers       = "growbin-node"
    storage       = "growbin-node"
  }
  nodes = {
    master   = { instance_type = "t3.large", disk_gb = 80, role = "master", tier = "1", group = "control_plane", subnet_index = 0 }
    worker-1 = { instance_type = "t3.medium", disk_gb = 40, role = "api-worker", tier = "2", group = "workers", subnet_index = 1 }
    worker-2 = { instance_type = "t3.medium", disk_gb = 40, role = "async-worker", tier = "2", group = "workers", subnet_index = 2 }
    storage  = { instance_type = "t3.large", disk_gb = 100, role = "storage", tier = "3-4", group = "storage", subnet_index = 0 }
  }
}

run "instance_types_and_disks" {
  command = plan

  assert {
    condition     = jsonencode(sort(keys(aws_instance.node))) == jsonencode(["master", "storage", "worker-1", "worker-2"])
    error_message = "the nodes must be exactly master, worker-1, worker-2 and storage"
  }

  assert {
    condition = jsonencode({ for n, i in aws_instance.node : n => i.instance_type }) == jsonencode({
      master = "t3.large", "worker-1" = "t3.medium", "worker-2" = "t3.medium", storage = "t3.large"
    })
    error_message = "instance types must be the seed's: master and storage t3.large, workers t3.medium"
  }

  assert {
    condition = jsonencode({ for n, i in aws_instance.node : n => i.root_block_device[0].volume_size }) == jsonencode({
      master = 80, "worker-1" = 40, "worker-2" = 40, storage = 100
    })
    error_message = "root disks must be the seed's: master 80 GB, workers 40 GB, storage 100 GB"
  }

  assert {
    condition     = alltrue([for i in aws_instance.node : i.root_block_device[0].volume_type == "gp3"])
    error_message = "every root volume must be gp3"
  }

  assert {
    condition     = alltrue([for i in aws_instance.node : i.root_block_device[0].encrypted])
    error_message = "every root volume must be encrypted"
  }
}

run "imdsv2_and_access" {
  command = plan

  assert {
    condition     = alltrue([for i in aws_instance.node : i.metadata_options[0].http_tokens == "required" && i.metadata_options[0].http_endpoint == "enabled"])
    error_message = "IMDSv2 (http_tokens = required) must be enforced on every node"
  }

  assert {
    condition     = alltrue([for i in aws_instance.node : i.metadata_options[0].http_put_response_hop_limit <= 2])
    error_message = "the metadata hop limit must stay at 2 or less"
  }

  assert {
    condition = jsonencode({ for n, i in aws_instance.node : n => i.iam_instance_profile }) == jsonencode({
      master = "growbin-control-plane", "worker-1" = "growbin-node", "worker-2" = "growbin-node", storage = "growbin-node"
    })
    error_message = "the master gets the control-plane instance profile, the other nodes the node profile"
  }

  assert {
    condition = jsonencode({ for n, i in aws_instance.node : n => sort(tolist(i.vpc_security_group_ids)) }) == jsonencode({
      master = ["sg-cp"], "worker-1" = ["sg-workers"], "worker-2" = ["sg-workers"], storage = ["sg-storage"]
    })
    error_message = "each node must get its role's security group"
  }

  assert {
    condition     = length(distinct([for i in aws_instance.node : i.subnet_id])) == 3
    error_message = "the nodes must be spread over the 3 subnets"
  }
}

run "tags_the_portal_filters_on" {
  command = plan

  assert {
    condition     = alltrue([for i in aws_instance.node : i.tags["Cluster"] == "growbin"])
    error_message = "every instance must carry Cluster=<cluster_name>: the portal filters EC2 by it"
  }

  assert {
    condition = jsonencode({ for n, i in aws_instance.node : n => [i.tags["Name"], i.tags["Node"], i.tags["Role"], i.tags["Tier"]] }) == jsonencode({
      master     = ["growbin-master", "master", "master", "1"]
      "worker-1" = ["growbin-worker-1", "worker-1", "api-worker", "2"]
      "worker-2" = ["growbin-worker-2", "worker-2", "async-worker", "2"]
      storage    = ["growbin-storage", "storage", "storage", "3-4"]
    })
    error_message = "Name, Node, Role and Tier tags must match the topology"
  }

}

run "instances_output" {
  command = plan

  override_resource {
    target          = aws_instance.node
    override_during = plan
    values          = { id = "i-0123456789abcdef0", private_ip = "10.0.3.10", public_ip = "203.0.113.10" }
  }

  assert {
    condition     = jsonencode(output.instances["worker-2"]) == jsonencode({ id = "i-0123456789abcdef0", private_ip = "10.0.3.10", public_ip = "203.0.113.10", role = "async-worker", tier = "2", group = "workers" })
    error_message = "the instances output must carry id, IPs, role, tier and group per node"
  }
}

run "a_pinned_ami_is_used_as_is" {
  command = plan

  variables {
    ami_id = "ami-00000000000000001"
  }

  assert {
    condition     = alltrue([for i in aws_instance.node : i.ami == "ami-00000000000000001"])
    error_message = "ami_id, when set, must be used for every node"
  }
}

run "a_disk_outside_20_to_1000_gb_is_refused" {
  command = plan

  variables {
    nodes = {
      master = { instance_type = "t3.large", disk_gb = 8, role = "master", tier = "1", group = "control_plane", subnet_index = 0 }
    }
  }

  expect_failures = [var.nodes]
}
