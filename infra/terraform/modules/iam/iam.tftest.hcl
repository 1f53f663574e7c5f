# Plan-mode tests of the instance roles and their policies (mocked AWS provider):
#   terraform init -plugin-dir=/opt/tf-plugins -backend=false && terraform test
mock_provider "aws" {
  override_during = plan

  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  cluster_name     = "growbin"
  image_bucket_arn = "arn:aws:s3:::growbin-images-123456789012"
  ssm_bucket_arn   = "arn:aws:s3:::growbin-ansible-ssm-123456789012"
  hosted_zone_id   = "Z0123456789ABCDEFGHIJ"
}

run "roles_and_attachments" {
  command = plan

  assert {
    condition     = jsonencode({ for k, r in aws_iam_role.this : k => r.name }) == jsonencode({ control_plane = "growbin-control-plane", node = "growbin-node" })
    error_message = "there must be a control-plane role and a node role"
  }

  assert {
    condition     = alltrue([for r in aws_iam_role.this : jsondecode(r.assume_role_policy).Statement[0].Principal.Service == "ec2.amazonaws.com"])
    error_message = "only EC2 may assume the instance roles"
  }

  assert {
    condition = jsonencode(sort([for a in aws_iam_role_policy_attachment.managed : "${a.role}:${a.policy_arn}"])) == jsonencode(sort([
      "growbin-control-plane:arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "growbin-control-plane:arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
      "growbin-node:arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "growbin-node:arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    ]))
    error_message = "every node role needs Session Manager and the EBS CSI driver policy"
  }

  assert {
    condition     = jsonencode(sort([for a in aws_iam_role_policy_attachment.buckets : a.role])) == jsonencode(["growbin-control-plane", "growbin-node"])
    error_message = "both roles get the bucket policy"
  }

  assert {
    condition     = aws_iam_role_policy_attachment.lb_controller.role == "growbin-control-plane" && aws_iam_role_policy_attachment.external_dns.role == "growbin-control-plane"
    error_message = "the load balancer controller and ExternalDNS policies go on the master's role only"
  }

  assert {
    condition     = jsonencode(sort([for k, p in aws_iam_instance_profile.this : "${k}:${p.role}"])) == jsonencode(["control_plane:growbin-control-plane", "node:growbin-node"])
    error_message = "each role needs its instance profile"
  }
}

run "bucket_access_is_scoped" {
  command = plan

  assert {
    condition = jsonencode(flatten([for s in jsondecode(aws_iam_policy.buckets.policy).Statement : s.Resource])) == jsonencode([
      "arn:aws:s3:::growbin-images-123456789012", "arn:aws:s3:::growbin-ansible-ssm-123456789012",
      "arn:aws:s3:::growbin-images-123456789012/*", "arn:aws:s3:::growbin-ansible-ssm-123456789012/*",
    ])
    error_message = "the nodes may use the image and transfer buckets and no other"
  }

  assert {
    condition     = !contains(flatten([for s in jsondecode(aws_iam_policy.buckets.policy).Statement : s.Action]), "s3:*")
    error_message = "no s3:* for the nodes"
  }
}

run "lb_controller_policy_is_upstream" {
  command = plan

  # chart 1.6.x reads WAF and Shield state by default; without these it fails to reconcile.
  assert {
    condition = length(setsubtract(["wafv2:GetWebACL", "wafv2:GetWebACLForResource", "shield:GetSubscriptionState", "waf-regional:GetWebACLForResource", "elasticloadbalancing:AddTags"],
    flatten([for s in jsondecode(aws_iam_policy.lb_controller.policy).Statement : s.Action]))) == 0
    error_message = "the load balancer controller policy must grant what chart 1.6.x needs (WAF, Shield, ELB tags)"
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_policy.lb_controller.policy).Statement :
      lookup(s, "Condition", null) != null if contains(flatten([s.Action]), "ec2:CreateTags")
    ])
    error_message = "ec2:CreateTags must never be granted without a condition"
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_policy.lb_controller.policy).Statement :
      lookup(s, "Condition", null) != null if length(setintersection(flatten([s.Action]), ["ec2:DeleteSecurityGroup", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteTargetGroup"])) > 0
    ])
    error_message = "deletions must be limited to what the controller tagged"
  }
}

run "external_dns_only_in_its_zone" {
  command = plan

  assert {
    condition = jsonencode([
      for s in jsondecode(aws_iam_policy.external_dns.policy).Statement : s.Resource if contains(s.Action, "route53:ChangeResourceRecordSets")
    ]) == jsonencode([["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"]])
    error_message = "ExternalDNS may change records of the cluster's hosted zone only"
  }
}
