# Plan-mode tests of the VPC module (mocked AWS provider):
#   terraform init -plugin-dir=/opt/tf-plugins -backend=false && terraform test
mock_provider "aws" {
  override_during = plan

  mock_data "aws_availability_zones" {
    defaults = { names = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"] }
  }
}

variables {
  cluster_name        = "growbin"
  vpc_cidr            = "10.0.0.0/16"
  public_subnet_cidrs = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
}

run "vpc_and_three_public_subnets" {
  command = plan

  assert {
    condition     = aws_vpc.this.cidr_block == "10.0.0.0/16" && aws_vpc.this.enable_dns_hostnames && aws_vpc.this.enable_dns_support
    error_message = "the VPC must be 10.0.0.0/16 with DNS support and hostnames"
  }

  assert {
    condition     = jsonencode(aws_subnet.public[*].cidr_block) == jsonencode(["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"])
    error_message = "there must be exactly 3 public subnets, 10.0.1-3.0/24"
  }

  assert {
    condition     = jsonencode(aws_subnet.public[*].availability_zone) == jsonencode(["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"])
    error_message = "the subnets must be in the first 3 available zones, one each"
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch])
    error_message = "the subnets are public"
  }

  assert {
    condition     = alltrue([for s in aws_subnet.public : s.tags["kubernetes.io/role/elb"] == "1" && s.tags["kubernetes.io/cluster/growbin"] == "owned"])
    error_message = "the subnets must carry the tags the AWS Load Balancer Controller discovers them by"
  }

  assert {
    condition     = aws_route.public_internet.destination_cidr_block == "0.0.0.0/0" && length(aws_route_table_association.public) == 3
    error_message = "the 3 subnets must route 0.0.0.0/0 to the internet gateway"
  }
}

run "explicit_zones" {
  command = plan

  variables {
    availability_zones = ["ap-northeast-2c", "ap-northeast-2a", "ap-northeast-2b"]
  }

  assert {
    condition     = jsonencode(aws_subnet.public[*].availability_zone) == jsonencode(["ap-northeast-2c", "ap-northeast-2a", "ap-northeast-2b"])
    error_message = "availability_zones, when set, must be used in order"
  }
}

run "two_subnets_are_refused" {
  command = plan

  variables {
    public_subnet_cidrs = ["10.0.1.0/24", "10.0.2.0/24"]
  }

  expect_failures = [var.public_subnet_cidrs]
}
