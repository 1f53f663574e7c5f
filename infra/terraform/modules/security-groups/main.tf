# One security group per role. Ports are opened between the cluster's own
# groups only; the outside world reaches the load balancer on HTTPS and nothing
# else, unless ssh_ingress_cidrs / api_ingress_cidrs say otherwise.

locals {
  sg_names = {
    control_plane = "${var.cluster_name}-control-plane"
    workers       = "${var.cluster_name}-workers"
    storage       = "${var.cluster_name}-storage"
    alb           = "${var.cluster_name}-alb"
  }

  # Every rule between the cluster's security groups. "sg" is the group the
  # rule is added to, "from" the groups allowed in. Keep this table literal:
  # infra/checks/terraform-structure.test.ts compares it with the seed's ports.
  ingress_rules = [
    # kubeadm: the API server, reached by every node's kubelet, kube-proxy and Calico.
    { sg = "control_plane", name = "apiserver", protocol = "tcp", from_port = 6443, to_port = 6443, from = ["control_plane", "workers", "storage"] },
    # etcd client + peer API. Only control-plane members talk to etcd.
    { sg = "control_plane", name = "etcd", protocol = "tcp", from_port = 2379, to_port = 2380, from = ["control_plane"] },

    # kubelet API: the API server (logs, exec, port-forward), metrics-server and Prometheus.
    { sg = "control_plane", name = "kubelet", protocol = "tcp", from_port = 10250, to_port = 10250, from = ["control_plane", "workers", "storage"] },
    { sg = "workers", name = "kubelet", protocol = "tcp", from_port = 10250, to_port = 10250, from = ["control_plane", "workers", "storage"] },
    { sg = "storage", name = "kubelet", protocol = "tcp", from_port = 10250, to_port = 10250, from = ["control_plane", "workers", "storage"] },

    # Calico VXLAN: all pod-to-pod traffic between nodes is encapsulated in UDP 4789.
    { sg = "control_plane", name = "calico-vxlan", protocol = "udp", from_port = 4789, to_port = 4789, from = ["control_plane", "workers", "storage"] },
    { sg = "workers", name = "calico-vxlan", protocol = "udp", from_port = 4789, to_port = 4789, from = ["control_plane", "workers", "storage"] },
    { sg = "storage", name = "calico-vxlan", protocol = "udp", from_port = 4789, to_port = 4789, from = ["control_plane", "workers", "storage"] },

    # Calico Typha (the Tigera operator always deploys it): Felix on every node connects to it.
    { sg = "control_plane", name = "calico-typha", protocol = "tcp", from_port = 5473, to_port = 5473, from = ["control_plane", "workers", "storage"] },
    { sg = "workers", name = "calico-typha", protocol = "tcp", from_port = 5473, to_port = 5473, from = ["control_plane", "workers", "storage"] },
    { sg = "storage", name = "calico-typha", protocol = "tcp", from_port = 5473, to_port = 5473, from = ["control_plane", "workers", "storage"] },

    # NodePorts: the ALB (target-type instance) forwards to Services on every node.
    # Argo CD and Grafana run on the master, the APIs on the workers.
    { sg = "control_plane", name = "nodeports", protocol = "tcp", from_port = 30000, to_port = 32767, from = ["alb"] },
    { sg = "workers", name = "nodeports", protocol = "tcp", from_port = 30000, to_port = 32767, from = ["alb"] },
    { sg = "storage", name = "nodeports", protocol = "tcp", from_port = 30000, to_port = 32767, from = ["alb"] },

    # Metrics Prometheus scrapes from the master (kube-prometheus-stack defaults):
    # node-exporter and kube-proxy on every node; etcd, controller-manager and
    # scheduler metrics on the master itself.
    { sg = "control_plane", name = "node-exporter", protocol = "tcp", from_port = 9100, to_port = 9100, from = ["control_plane"] },
    { sg = "workers", name = "node-exporter", protocol = "tcp", from_port = 9100, to_port = 9100, from = ["control_plane"] },
    { sg = "storage", name = "node-exporter", protocol = "tcp", from_port = 9100, to_port = 9100, from = ["control_plane"] },
    { sg = "control_plane", name = "kube-proxy-metrics", protocol = "tcp", from_port = 10249, to_port = 10249, from = ["control_plane"] },
    { sg = "workers", name = "kube-proxy-metrics", protocol = "tcp", from_port = 10249, to_port = 10249, from = ["control_plane"] },
    { sg = "storage", name = "kube-proxy-metrics", protocol = "tcp", from_port = 10249, to_port = 10249, from = ["control_plane"] },
    { sg = "control_plane", name = "etcd-metrics", protocol = "tcp", from_port = 2381, to_port = 2381, from = ["control_plane"] },
    { sg = "control_plane", name = "controller-manager-scheduler", protocol = "tcp", from_port = 10257, to_port = 10259, from = ["control_plane"] },

    # Tier 3-4 services on the storage node, for clients on the other nodes:
    # RabbitMQ AMQP from the API and Celery workers, its management API from the
    # control plane (portal via the API server proxy, Prometheus), PostgreSQL and Redis from the workers.
    { sg = "storage", name = "rabbitmq-amqp", protocol = "tcp", from_port = 5672, to_port = 5672, from = ["control_plane", "workers"] },
    { sg = "storage", name = "rabbitmq-management", protocol = "tcp", from_port = 15672, to_port = 15672, from = ["control_plane"] },
    { sg = "storage", name = "postgresql", protocol = "tcp", from_port = 5432, to_port = 5432, from = ["workers"] },
    { sg = "storage", name = "redis", protocol = "tcp", from_port = 6379, to_port = 6379, from = ["workers"] },
  ]

  ingress_rules_by_key = merge([
    for r in local.ingress_rules : {
      for src in r.from : "${r.sg}-${r.name}-from-${src}" => merge(r, { source = src })
    }
  ]...)

  sg_ids = {
    control_plane = aws_security_group.this["control_plane"].id
    workers       = aws_security_group.this["workers"].id
    storage       = aws_security_group.this["storage"].id
    alb           = aws_security_group.this["alb"].id
  }

  node_sgs = toset(["control_plane", "workers", "storage"])

  # SSH on every node, and the API server, only from the CIDRs the variables list.
  ssh_rules = merge([
    for sg in local.node_sgs : { for cidr in var.ssh_ingress_cidrs : "${sg}-${cidr}" => { sg = sg, cidr = cidr } }
  ]...)
}

resource "aws_security_group" "this" {
  for_each = local.sg_names

  name_prefix = "${each.value}-"
  description = "Growbin ${replace(each.key, "_", " ")} (${var.cluster_name})"
  vpc_id      = var.vpc_id

  tags = {
    Name = each.value
    Role = each.key
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "cluster" {
  for_each = local.ingress_rules_by_key

  security_group_id            = local.sg_ids[each.value.sg]
  referenced_security_group_id = local.sg_ids[each.value.source]
  ip_protocol                  = each.value.protocol
  from_port                    = each.value.from_port
  to_port                      = each.value.to_port
  description                  = "${each.value.name} from ${each.value.source}"

  tags = {
    Name = "${var.cluster_name}-${each.key}"
  }
}

resource "aws_vpc_security_group_ingress_rule" "api_external" {
  for_each = toset(var.api_ingress_cidrs)

  security_group_id = local.sg_ids["control_plane"]
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 6443
  to_port           = 6443
  description       = "Kubernetes API from ${each.value} (api_ingress_cidrs)"
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  for_each = local.ssh_rules

  security_group_id = local.sg_ids[each.value.sg]
  cidr_ipv4         = each.value.cidr
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  description       = "SSH from ${each.value.cidr} (ssh_ingress_cidrs)"
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  for_each = toset(var.https_ingress_cidrs)

  security_group_id = local.sg_ids["alb"]
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "HTTPS to the load balancer from ${each.value}"
}

# Nodes reach the internet (packages, images from GHCR, AWS APIs, Session Manager).
resource "aws_vpc_security_group_egress_rule" "nodes_all" {
  for_each = local.node_sgs

  security_group_id = local.sg_ids[each.value]
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
  description       = "All outbound"
}

# The ALB only talks to the nodes' NodePorts.
resource "aws_vpc_security_group_egress_rule" "alb_to_nodeports" {
  for_each = local.node_sgs

  security_group_id            = local.sg_ids["alb"]
  referenced_security_group_id = local.sg_ids[each.value]
  ip_protocol                  = "tcp"
  from_port                    = 30000
  to_port                      = 32767
  description                  = "NodePorts on ${each.value}"
}
