# Instance roles. The cluster is self-managed (no EKS, no IRSA), so in-cluster
# controllers use their node's instance profile:
#   every node  : Session Manager, EBS CSI driver, image bucket, Ansible SSM transfer bucket
#   master only : AWS Load Balancer Controller and ExternalDNS (their pods are pinned to the master)

data "aws_partition" "current" {}

locals {
  roles = {
    control_plane = "${var.cluster_name}-control-plane"
    node          = "${var.cluster_name}-node"
  }

  managed_policies = {
    ssm     = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
    ebs_csi = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
  }

  role_managed_policies = merge([
    for role in keys(local.roles) : {
      for pname, arn in local.managed_policies : "${role}-${pname}" => { role = role, arn = arn }
    }
  ]...)
}

resource "aws_iam_role" "this" {
  for_each = local.roles

  name = each.value
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

resource "aws_iam_instance_profile" "this" {
  for_each = local.roles

  name = each.value
  role = aws_iam_role.this[each.key].name
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each = local.role_managed_policies

  role       = aws_iam_role.this[each.value.role].name
  policy_arn = each.value.arn
}

# Policies are built with jsonencode rather than aws_iam_policy_document so that
# the plan-mode tests (modules/iam/iam.tftest.hcl) can read their statements.

# S3: the image bucket (application data) and the bucket Ansible's aws_ssm
# connection uses to move files to and from the nodes.
resource "aws_iam_policy" "buckets" {
  name        = "${var.cluster_name}-node-buckets"
  description = "Growbin nodes: image bucket and Ansible SSM transfer bucket"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ListBuckets"
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:GetBucketLocation"]
        Resource = [var.image_bucket_arn, var.ssm_bucket_arn]
      },
      {
        Sid      = "ObjectsReadWrite"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = ["${var.image_bucket_arn}/*", "${var.ssm_bucket_arn}/*"]
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "buckets" {
  for_each = local.roles

  role       = aws_iam_role.this[each.key].name
  policy_arn = aws_iam_policy.buckets.arn
}

# AWS Load Balancer Controller: the upstream policy of the controller version the
# pinned chart runs (chart 1.6.2 = controller v2.6.2), copied unchanged from
# kubernetes-sigs/aws-load-balancer-controller docs/install/iam_policy.json at
# tag v2.6.2. Bump the file with aws_lb_controller_chart_version (group_vars);
# infra/checks compares the two.
resource "aws_iam_policy" "lb_controller" {
  name        = "${var.cluster_name}-aws-load-balancer-controller"
  description = "AWS Load Balancer Controller v2.6.2 on the Growbin control plane"
  policy      = file("${path.module}/lb-controller-iam-policy-v2.6.2.json")
}

resource "aws_iam_role_policy_attachment" "lb_controller" {
  role       = aws_iam_role.this["control_plane"].name
  policy_arn = aws_iam_policy.lb_controller.arn
}

# ExternalDNS keeps the domain's alias records pointing at whatever ALB the
# controller created, across rebuilds; it may change records in this zone only.
resource "aws_iam_policy" "external_dns" {
  name        = "${var.cluster_name}-external-dns"
  description = "ExternalDNS on the Growbin control plane: records of ${var.hosted_zone_id}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ChangeRecordsOfTheZone"
        Effect   = "Allow"
        Action   = ["route53:ChangeResourceRecordSets"]
        Resource = ["arn:${data.aws_partition.current.partition}:route53:::hostedzone/${var.hosted_zone_id}"]
      },
      {
        Sid      = "ListZonesAndRecords"
        Effect   = "Allow"
        Action   = ["route53:ListHostedZones", "route53:ListResourceRecordSets", "route53:ListTagsForResource"]
        Resource = ["*"]
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "external_dns" {
  role       = aws_iam_role.this["control_plane"].name
  policy_arn = aws_iam_policy.external_dns.arn
}
