# Plan-mode tests of the security groups (mocked AWS provider):
#   terraform init -plugin-dir=/opt/tf-plugins -backend=false && terraform test
mock_provider "aws" {
  override_during = plan
}

variables {
  cluster_name        = "growbin"
  vpc_id              = "vpc-0123456789abcdef0"
  https_ingress_cidrs = ["0.0.0.0/0"]
}

run "one_group_per_role" {
  command = plan

  assert {
    condition     = jsonencode(sort(keys(aws_security_group.this))) == jsonencode(["alb", "control_plane", "storage", "workers"])
    error_message = "there must be one security group per role: control_plane, workers, storage, alb"
  }

  assert {
    condition     = alltrue([for g in aws_security_group.this : g.vpc_id == "vpc-0123456789abcdef0"])
    error_message = "every group must be in the cluster's VPC"
  }
}

run "rules_between_roles" {
  command = plan

  override_resource {
    target          = aws_security_group.this["control_plane"]
    override_during = plan
    values          = { id = "sg-cp" }
  }
  override_resource {
    target          = aws_security_group.this["workers"]
    override_during = plan
    values          = { id = "sg-workers" }
  }
  override_resource {
    target          = aws_security_group.this["storage"]
    override_during = plan
    values          = { id = "sg-storage" }
  }
  override_resource {
    target          = aws_security_group.this["alb"]
    override_during = plan
    values          = { id = "sg-alb" }
  }

  assert {
    condition     = alltrue([for k, r in aws_vpc_security_group_ingress_rule.cluster : r.cidr_ipv4 == null && r.referenced_security_group_id != null])
    error_message = "rules between the cluster's groups must reference a group, never a CIDR"
  }

  # sg <- source: the API server from every node, etcd only from the control plane.
  assert {
    condition     = jsonencode(sort([for r in aws_vpc_security_group_ingress_rule.cluster : "${r.security_group_id}<-${r.referenced_security_group_id}" if r.from_port == 6443])) == jsonencode(["sg-cp<-sg-cp", "sg-cp<-sg-storage", "sg-cp<-sg-workers"])
    error_message = "the API server (6443) must be open to every node group and nothing else"
  }

  assert {
    condition     = jsonencode(sort([for r in aws_vpc_security_group_ingress_rule.cluster : "${r.security_group_id}<-${r.referenced_security_group_id}:${r.from_port}-${r.to_port}" if r.from_port == 2379])) == jsonencode(["sg-cp<-sg-cp:2379-2380"])
    error_message = "etcd (2379-2380) must be open only from the control plane"
  }

  assert {
    condition     = jsonencode(sort([for r in aws_vpc_security_group_ingress_rule.cluster : "${r.security_group_id}<-${r.referenced_security_group_id}" if r.from_port == 30000 && r.to_port == 32767])) == jsonencode(["sg-cp<-sg-alb", "sg-storage<-sg-alb", "sg-workers<-sg-alb"])
    error_message = "NodePorts must be open to the ALB only"
  }

  assert {
    condition     = length([for r in aws_vpc_security_group_ingress_rule.cluster : r if r.from_port == 4789 && r.ip_protocol == "udp"]) == 9
    error_message = "Calico VXLAN (udp 4789) must be open between every pair of node groups"
  }

  assert {
    condition     = jsonencode(sort([for r in aws_vpc_security_group_ingress_rule.cluster : "${r.referenced_security_group_id}:${r.from_port}" if r.security_group_id == "sg-storage" && contains([5432, 5672, 6379, 15672], r.from_port)])) == jsonencode(["sg-cp:15672", "sg-cp:5672", "sg-workers:5432", "sg-workers:5672", "sg-workers:6379"])
    error_message = "the storage node takes AMQP from the control plane and workers, management from the control plane, PostgreSQL and Redis from the workers"
  }

  # Prometheus runs on the master: without these, 3 of 4 node-exporter targets are down.
  assert {
    condition     = jsonencode(sort([for r in aws_vpc_security_group_ingress_rule.cluster : "${r.security_group_id}<-${r.referenced_security_group_id}" if r.from_port == 9100])) == jsonencode(["sg-cp<-sg-cp", "sg-storage<-sg-cp", "sg-workers<-sg-cp"])
    error_message = "node-exporter (9100) must be reachable from the master on every node group"
  }

  assert {
    condition     = length([for r in aws_vpc_security_group_ingress_rule.cluster : r if r.from_port == 10249 && r.referenced_security_group_id == "sg-cp"]) == 3
    error_message = "kube-proxy metrics (10249) must be reachable from the master on every node group"
  }

  assert {
    condition     = length([for r in aws_vpc_security_group_ingress_rule.cluster : r if r.from_port == 2381 && r.security_group_id == "sg-cp" && r.referenced_security_group_id == "sg-cp"]) == 1
    error_message = "etcd metrics (2381) must be reachable from the control plane"
  }
}

run "ssh_and_api_closed_by_default" {
  command = plan

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.ssh) == 0
    error_message = "SSH must be closed unless ssh_ingress_cidrs lists a CIDR"
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.api_external) == 0
    error_message = "the API server must be closed to the outside unless api_ingress_cidrs lists a CIDR"
  }

  assert {
    condition     = alltrue([for r in aws_vpc_security_group_ingress_rule.cluster : r.from_port != 22])
    error_message = "no rule between the groups opens SSH"
  }

  assert {
    condition     = jsonencode([for r in aws_vpc_security_group_ingress_rule.https : [r.from_port, r.to_port, r.cidr_ipv4]]) == jsonencode([[443, 443, "0.0.0.0/0"]])
    error_message = "the outside world reaches only the ALB, only on 443"
  }
}

run "operator_cidrs_open_only_their_port" {
  command = plan

  variables {
    ssh_ingress_cidrs = ["198.51.100.0/24"]
    api_ingress_cidrs = ["203.0.113.0/24"]
  }

  assert {
    condition     = jsonencode([for r in aws_vpc_security_group_ingress_rule.api_external : [r.from_port, r.to_port, r.cidr_ipv4]]) == jsonencode([[6443, 6443, "203.0.113.0/24"]])
    error_message = "api_ingress_cidrs must open 6443 and nothing else"
  }

  assert {
    condition     = length(aws_vpc_security_group_ingress_rule.ssh) == 3 && alltrue([for r in aws_vpc_security_group_ingress_rule.ssh : r.from_port == 22 && r.to_port == 22 && r.cidr_ipv4 == "198.51.100.0/24"])
    error_message = "ssh_ingress_cidrs must open 22 on the 3 node groups and nothing else"
  }
}

run "replaceable_without_name_clashes" {
  command = plan

  # create_before_destroy creates the new group while the old one still exists:
  # a fixed name would clash (InvalidGroup.Duplicate), a prefix does not.
  assert {
    condition = jsonencode({ for k, g in aws_security_group.this : k => g.name_prefix }) == jsonencode({
      alb = "growbin-alb-", control_plane = "growbin-control-plane-", storage = "growbin-storage-", workers = "growbin-workers-"
    })
    error_message = "security groups must use name_prefix, not a fixed name, since they are created before destroyed"
  }
}
