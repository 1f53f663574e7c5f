# The ACM certificate for growbin.app, validated through the domain's Route53 zone.
#
# The zone itself is long-lived (its name servers are delegated at the
# registrar), so the bootstrap root module owns it, not this throw-away state.
# The alias records growbin.app -> ALB are not here either: the ALB is created by
# the AWS Load Balancer Controller from the Ingresses, and its name changes with
# every rebuild, so ExternalDNS in the cluster keeps the records pointing at it
# (infra/ansible/roles/external_dns). No second apply is needed.

data "aws_route53_zone" "this" {
  name         = var.domain_name
  private_zone = false
}

resource "aws_acm_certificate" "this" {
  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
  validation_method         = "DNS"

  tags = {
    Name = var.domain_name
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "validation" {
  for_each = {
    for dvo in aws_acm_certificate.this.domain_validation_options : dvo.domain_name => {
      name   = dvo.resource_record_name
      record = dvo.resource_record_value
      type   = dvo.resource_record_type
    }
  }

  allow_overwrite = true
  zone_id         = data.aws_route53_zone.this.zone_id
  name            = each.value.name
  type            = each.value.type
  ttl             = 60
  records         = [each.value.record]
}

resource "aws_acm_certificate_validation" "this" {
  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}
