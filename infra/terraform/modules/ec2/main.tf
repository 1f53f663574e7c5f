# Canonical's Ubuntu 22.04 LTS, unless an AMI is pinned.
data "aws_ami" "ubuntu" {
  count = var.ami_id == "" ? 1 : 0

  most_recent = true
  owners      = ["099720109477"]

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

locals {
  ami_id = var.ami_id != "" ? var.ami_id : data.aws_ami.ubuntu[0].id
}

resource "aws_instance" "node" {
  for_each = var.nodes

  ami                    = local.ami_id
  instance_type          = each.value.instance_type
  subnet_id              = var.subnet_ids[each.value.subnet_index]
  vpc_security_group_ids = var.security_group_ids[each.value.group]
  iam_instance_profile   = var.instance_profiles[each.value.group]
  # No key pair: access is through Session Manager.

  root_block_device {
    volume_type           = "gp3"
    volume_size           = each.value.disk_gb
    encrypted             = true
    delete_on_termination = true

    tags = {
      Name = "${var.cluster_name}-${each.key}-root"
    }
  }

  # IMDSv2 only. Hop limit 2 lets pods that are not on the host network (EBS CSI
  # controller, AWS Load Balancer Controller) reach the metadata service.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }

  user_data = templatefile("${path.module}/user-data.sh.tftpl", {
    hostname = each.key
  })

  tags = {
    Name    = "${var.cluster_name}-${each.key}"
    Cluster = var.cluster_name
    Node    = each.key
    Role    = each.value.role
    Tier    = each.value.tier
  }

  lifecycle {
    # A new AMI release must not replace running nodes; rebuild to pick it up.
    ignore_changes = [ami, user_data]
  }
}
