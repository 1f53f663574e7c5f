# Growbin: a 4-tier, self-managed kubeadm cluster on EC2 (see /work/shared/seed-summary.md).
#
#   tier 1    master    t3.large   80 GB  control plane, monitoring, Argo CD, LB controller
#   tier 2    worker-1  t3.medium  40 GB  sync API services
#   tier 2    worker-2  t3.medium  40 GB  async workers
#   tier 3-4  storage   t3.large  100 GB  RabbitMQ, PostgreSQL, Redis, Celery Beat

locals {
  # The topology. Node names, roles and tiers are a contract with the portal and
  # with the Ansible inventory: the same values become EC2 tags and node labels.
  nodes = {
    master = {
      instance_type = "t3.large"
      disk_gb       = 80
      role          = "master"
      tier          = "1"
      group         = "control_plane"
      subnet_index  = 0
    }
    worker-1 = {
      instance_type = "t3.medium"
      disk_gb       = 40
      role          = "api-worker"
      tier          = "2"
      group         = "workers"
      subnet_index  = 1
    }
    worker-2 = {
      instance_type = "t3.medium"
      disk_gb       = 40
      role          = "async-worker"
      tier          = "2"
      group         = "workers"
      subnet_index  = 2
    }
    storage = {
      instance_type = "t3.large"
      disk_gb       = 100
      role          = "storage"
      tier          = "3-4"
      group         = "storage"
      subnet_index  = 0
    }
  }
}

data "aws_caller_identity" "current" {}

locals {
  image_bucket_name = var.image_bucket_name != "" ? var.image_bucket_name : "${var.cluster_name}-images-${data.aws_caller_identity.current.account_id}"
}

module "vpc" {
  source = "./modules/vpc"

  cluster_name        = var.cluster_name
  vpc_cidr            = var.vpc_cidr
  public_subnet_cidrs = var.public_subnet_cidrs
  availability_zones  = var.availability_zones
}

module "security_groups" {
  source = "./modules/security-groups"

  cluster_name        = var.cluster_name
  vpc_id              = module.vpc.vpc_id
  ssh_ingress_cidrs   = var.ssh_ingress_cidrs
  api_ingress_cidrs   = var.api_ingress_cidrs
  https_ingress_cidrs = var.https_ingress_cidrs
}

# The waste images are user data: the bootstrap root module (bootstrap/) owns
# that bucket, so a rebuild's destroy never touches it. Here it is only looked
# up; a plan fails with "bucket not found" until the bootstrap has run.
data "aws_s3_bucket" "images" {
  bucket = local.image_bucket_name
}

# The bucket Ansible's aws_ssm connection moves files through: disposable, so
# destroy empties it (force_destroy) instead of stopping on BucketNotEmpty.
module "ssm_bucket" {
  source = "./modules/s3"

  bucket_name   = "${var.cluster_name}-ansible-ssm-${data.aws_caller_identity.current.account_id}"
  purpose       = "ansible aws_ssm file transfer"
  force_destroy = true
  # SSE-S3: the aws_ssm connection moves files with presigned URLs, which
  # SSE-KMS objects refuse unless every client signs with SigV4.
  sse_algorithm             = "AES256"
  noncurrent_version_days   = 1
  expire_objects_after_days = 1
}

module "iam" {
  source = "./modules/iam"

  cluster_name     = var.cluster_name
  image_bucket_arn = data.aws_s3_bucket.images.arn
  ssm_bucket_arn   = module.ssm_bucket.bucket_arn
  hosted_zone_id   = module.dns.zone_id
}

module "ec2" {
  source = "./modules/ec2"

  cluster_name = var.cluster_name
  nodes        = local.nodes
  ami_id       = var.ami_id
  subnet_ids   = module.vpc.public_subnet_ids

  security_group_ids = {
    control_plane = [module.security_groups.control_plane_sg_id]
    workers       = [module.security_groups.workers_sg_id]
    storage       = [module.security_groups.storage_sg_id]
  }

  instance_profiles = {
    control_plane = module.iam.control_plane_instance_profile_name
    workers       = module.iam.node_instance_profile_name
    storage       = module.iam.node_instance_profile_name
  }
}

module "dns" {
  source = "./modules/dns"

  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
}

# A fixed public address for the API server: the admin kubeconfig the build
# fetches points at it (the private IP is unreachable from the operators' and
# the portal's machines), and kubeadm puts it in the API server certificate's
# SANs. Port 6443 is open only to api_ingress_cidrs (security-groups module).
resource "aws_eip" "api" {
  domain   = "vpc"
  instance = module.ec2.instances["master"].id

  tags = {
    Name    = "${var.cluster_name}-api"
    Cluster = var.cluster_name
  }

  # An Elastic IP in a VPC needs its internet gateway first.
  depends_on = [module.vpc]
}
