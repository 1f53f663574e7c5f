# Plan-mode tests of the certificate module (mocked AWS provider):
#   terraform init -plugin-dir=/opt/tf-plugins -backend=false && terraform test
mock_provider "aws" {
  override_during = plan

  mock_data "aws_route53_zone" {
    defaults = { zone_id = "Z0123456789ABCDEFGHIJ" }
  }

  mock_resource "aws_acm_certificate" {
    defaults = {
      arn = "arn:aws:acm:ap-northeast-2:123456789012:certificate/00000000-0000-0000-0000-000000000000"
      domain_validation_options = [
        { domain_name = "growbin.app", resource_record_name = "_a.growbin.app.", resource_record_type = "CNAME", resource_record_value = "_a.acm-validations.aws." },
        { domain_name = "api.growbin.app", resource_record_name = "_b.api.growbin.app.", resource_record_type = "CNAME", resource_record_value = "_b.acm-validations.aws." },
      ]
    }
  }
}

variables {
  domain_name               = "growbin.app"
  subject_alternative_names = ["api.growbin.app", "argocd.growbin.app"]
}

run "certificate_validated_by_dns" {
  command = plan

  assert {
    condition     = aws_acm_certificate.this.domain_name == "growbin.app" && aws_acm_certificate.this.validation_method == "DNS"
    error_message = "the certificate is for growbin.app, validated through DNS"
  }

  assert {
    condition     = jsonencode(sort(tolist(aws_acm_certificate.this.subject_alternative_names))) == jsonencode(["api.growbin.app", "argocd.growbin.app"])
    error_message = "the certificate must cover the planned names"
  }

  assert {
    condition     = jsonencode(sort(keys(aws_route53_record.validation))) == jsonencode(["api.growbin.app", "growbin.app"])
    error_message = "one validation record per validation option"
  }

  assert {
    condition     = alltrue([for r in aws_route53_record.validation : r.zone_id == "Z0123456789ABCDEFGHIJ" && r.type == "CNAME"])
    error_message = "validation records go into the domain's zone"
  }

  assert {
    condition     = output.zone_id == "Z0123456789ABCDEFGHIJ"
    error_message = "the zone id is passed on (ExternalDNS's IAM policy is scoped to it)"
  }
}
