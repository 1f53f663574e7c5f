// Structure tests for infra/terraform: they parse every .tf file with
// @cdktf/hcl2json (no terraform binary here) and hold the code to the seed's
// topology (seed-summary.md): instances, disks, tiers, network and ports.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "@cdktf/hcl2json";
import { beforeAll, describe, expect, it } from "vitest";
import {
  first,
  listFiles,
  loadTree,
  moduleIn,
  resourceIn,
  TF_ROOT,
  type Hcl,
  type Module,
  type TfTree,
} from "./helpers/terraform";

let tree: TfTree;
const mod = (dir: string): Module => moduleIn(tree, dir);
const res = resourceIn;

beforeAll(async () => {
  tree = await loadTree();
});

describe("terraform: parsing", () => {
  it("finds the root module and the modules", () => {
    expect(Object.keys(tree.modules).sort()).toEqual(
      [
        "",
        "bootstrap",
        "modules/dns",
        "modules/ec2",
        "modules/iam",
        "modules/s3",
        "modules/security-groups",
        "modules/vpc",
      ].sort(),
    );
  });

  it("every module declares required_providers for hashicorp/aws", () => {
    for (const [dir, m] of Object.entries(tree.modules)) {
      const rp = m.terraform.flatMap((t) => (t.required_providers ?? []) as Hcl[]);
      expect(rp.length, `${dir || "(root)"} has no required_providers`).toBeGreaterThan(0);
      expect((rp[0] as Hcl).aws?.source, dir || "(root)").toBe("hashicorp/aws");
    }
  });

  it("every .tf file parses", async () => {
    // loadTree already parsed them; parse again one by one so a failure names the file.
    for (const file of listFiles(TF_ROOT, ".tf")) {
      await expect(parse(path.basename(file), readFileSync(file, "utf8")), file).resolves.toBeTypeOf("object");
    }
  });

  it("the example tfvars and backend config parse", async () => {
    for (const f of ["terraform.tfvars.example", "backend.hcl.example"]) {
      await expect(parse(f, readFileSync(path.join(TF_ROOT, f), "utf8"))).resolves.toBeTypeOf("object");
    }
  });

  it("a syntax error is reported (the parser is not lenient)", async () => {
    await expect(parse("bad.tf", 'resource "x" "y" {\n a = \n}')).rejects.toThrow();
  });

  it("every module's variables and outputs have descriptions and variables have types", () => {
    for (const [dir, m] of Object.entries(tree.modules)) {
      for (const [name, v] of Object.entries(m.variable)) {
        expect(v.description, `${dir}: variable ${name}`).toBeTruthy();
        expect(v.type, `${dir}: variable ${name}`).toBeTruthy();
      }
      for (const [name, o] of Object.entries(m.output)) expect(o.description, `${dir}: output ${name}`).toBeTruthy();
    }
  });
});

describe("terraform: the 4 instances (seed topology)", () => {
  const expected = {
    master: { instance_type: "t3.large", disk_gb: 80, role: "master", tier: "1", group: "control_plane" },
    "worker-1": { instance_type: "t3.medium", disk_gb: 40, role: "api-worker", tier: "2", group: "workers" },
    "worker-2": { instance_type: "t3.medium", disk_gb: 40, role: "async-worker", tier: "2", group: "workers" },
    storage: { instance_type: "t3.large", disk_gb: 100, role: "storage", tier: "3-4", group: "storage" },
  };

  it("the root module declares exactly master, worker-1, worker-2, storage with the seed's types, disks and tiers", () => {
    const nodes = mod("").locals.nodes as Record<string, Hcl>;
    expect(Object.keys(nodes).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, want] of Object.entries(expected)) {
      const got = nodes[name] as Hcl;
      expect(
        { instance_type: got.instance_type, disk_gb: got.disk_gb, role: got.role, tier: got.tier, group: got.group },
        name,
      ).toEqual(want);
    }
  });

  it("nodes are spread over the subnets", () => {
    const nodes = mod("").locals.nodes as Record<string, Hcl>;
    const idx = Object.values(nodes).map((n) => n.subnet_index as number);
    expect(new Set(idx).size).toBe(3);
    for (const i of idx) expect([0, 1, 2]).toContain(i);
  });

  it("the root passes that topology to the ec2 module", () => {
    const ec2 = mod("").module.ec2 as Hcl;
    expect(ec2.source).toBe("./modules/ec2");
    expect(ec2.nodes).toBe("${local.nodes}");
  });

  it("each instance takes its type and gp3 disk size from the topology, encrypted", () => {
    const inst = res(mod("modules/ec2"), "aws_instance", "node");
    expect(inst.for_each).toBe("${var.nodes}");
    expect(inst.instance_type).toBe("${each.value.instance_type}");
    const disk = first(inst.root_block_device);
    expect(disk.volume_type).toBe("gp3");
    expect(disk.volume_size).toBe("${each.value.disk_gb}");
    expect(disk.encrypted).toBe(true);
  });

  it("IMDSv2 is required", () => {
    const md = first(res(mod("modules/ec2"), "aws_instance", "node").metadata_options);
    expect(md.http_tokens).toBe("required");
    expect(md.http_endpoint).toBe("enabled");
    expect(md.http_put_response_hop_limit).toBeLessThanOrEqual(2);
  });

  it("instances carry a Session Manager instance profile and no SSH key pair", () => {
    const inst = res(mod("modules/ec2"), "aws_instance", "node");
    expect(inst.iam_instance_profile).toBe("${var.instance_profiles[each.value.group]}");
    expect(inst.key_name).toBeUndefined();
    const root = mod("").module.ec2 as Hcl;
    const profiles = first([root.instance_profiles]);
    expect(Object.keys(profiles).sort()).toEqual(["control_plane", "storage", "workers"]);
  });

  it("instances are tagged Name/Cluster/Tier/Role/Node", () => {
    const tags = res(mod("modules/ec2"), "aws_instance", "node").tags as Hcl;
    expect(tags).toMatchObject({
      Name: "${var.cluster_name}-${each.key}",
      Cluster: "${var.cluster_name}",
      Node: "${each.key}",
      Role: "${each.value.role}",
      Tier: "${each.value.tier}",
    });
  });

  it("each node gets its role's security group", () => {
    const inst = res(mod("modules/ec2"), "aws_instance", "node");
    expect(inst.vpc_security_group_ids).toBe("${var.security_group_ids[each.value.group]}");
    const sgs = (mod("").module.ec2 as Hcl).security_group_ids as Hcl;
    expect(sgs).toEqual({
      control_plane: ["${module.security_groups.control_plane_sg_id}"],
      workers: ["${module.security_groups.workers_sg_id}"],
      storage: ["${module.security_groups.storage_sg_id}"],
    });
  });
});

describe("terraform: state, IAM, S3, DNS, outputs", () => {
  it("state lives in an S3 backend with S3-native locking and encryption", () => {
    const tf = mod("").terraform;
    const backend = tf.flatMap((t) => (t.backend ? [t.backend] : []));
    expect(backend).toHaveLength(1);
    const s3 = first((backend[0] as Hcl).s3);
    expect(s3.use_lockfile).toBe(true);
    expect(s3.encrypt).toBe(true);
    const version = tf.map((t) => t.required_version).find(Boolean) as string;
    expect(version).toMatch(/>=\s*1\.(1[0-9]|[2-9][0-9])/);
  });

  it("instance roles get Session Manager and EBS CSI; the master also gets the load balancer controller", () => {
    const iam = mod("modules/iam");
    const managed = iam.locals.managed_policies as Hcl;
    expect(managed.ssm).toMatch(/policy\/AmazonSSMManagedInstanceCore$/);
    expect(managed.ebs_csi).toMatch(/policy\/service-role\/AmazonEBSCSIDriverPolicy$/);
    expect(Object.keys(iam.locals.roles as Hcl).sort()).toEqual(["control_plane", "node"]);
    expect(res(iam, "aws_iam_role_policy_attachment", "lb_controller").role).toBe(
      '${aws_iam_role.this["control_plane"].name}',
    );
  });

  it("the load balancer controller policy is the upstream one of the controller the pinned chart runs", () => {
    // eks-charts: chart 1.6.x runs controller v2.6.x (same patch number).
    const chart = /aws_lb_controller_chart_version: "1\.(\d+)\.(\d+)"/.exec(
      readFileSync(path.join(TF_ROOT, "../ansible/group_vars/all/main.yml"), "utf8"),
    );
    expect(chart, "aws_lb_controller_chart_version in group_vars").not.toBeNull();
    const file = `lb-controller-iam-policy-v2.${chart?.[1]}.${chart?.[2]}.json`;
    expect(res(mod("modules/iam"), "aws_iam_policy", "lb_controller").policy).toBe(
      `\${file("\${path.module}/${file}")}`,
    );
    const doc = JSON.parse(readFileSync(path.join(TF_ROOT, "modules/iam", file), "utf8")) as { Statement: Hcl[] };
    for (const st of doc.Statement) {
      const actions = [st.Action].flat() as string[];
      if (actions.includes("ec2:CreateTags")) expect(st.Condition, "ec2:CreateTags without a condition").toBeTruthy();
    }
  });

  it("the image bucket is kept out of the cluster's state; the transfer bucket is disposable", () => {
    const root = mod("");
    expect(root.data.aws_s3_bucket?.images, "the root only looks the image bucket up").toBeTruthy();
    expect(root.module.ssm_bucket?.force_destroy).toBe(true);
    expect(JSON.stringify(root.module)).not.toMatch(/images-/);
    const boot = mod("bootstrap");
    expect(boot.module.image_bucket?.source).toBe("../modules/s3");
    expect(boot.module.image_bucket?.force_destroy, "the image bucket is never force-destroyed").toBeUndefined();
    expect(boot.module.state_bucket?.source).toBe("../modules/s3");
  });

  it("growbin.app gets an ACM certificate validated through Route53 DNS", () => {
    const dns = mod("modules/dns");
    expect(mod("").variable.domain_name?.default).toBe("growbin.app");
    expect(
      dns.resource.aws_route53_record?.alb,
      "alias records are ExternalDNS's job, not a second apply's",
    ).toBeUndefined();
    expect(res(dns, "aws_acm_certificate", "this").validation_method).toBe("DNS");
    expect(res(dns, "aws_route53_record", "validation").for_each).toContain("domain_validation_options");
    expect(res(dns, "aws_acm_certificate_validation", "this").validation_record_fqdns).toContain(
      "aws_route53_record.validation",
    );
  });

  it("outputs render the Ansible inventory and the instance ids per tier", () => {
    const root = mod("");
    expect(root.output.ansible_inventory?.value).toBe("${yamlencode(local.ansible_inventory)}");
    expect(root.output.instance_ids_by_tier?.value).toBeTruthy();
    const groups = (root.locals.ansible_inventory as Hcl).all.children.k8s_cluster.children as Hcl;
    expect(Object.keys(groups).sort()).toEqual(["control_plane", "storage_nodes", "workers"]);
    const vars = (root.locals.ansible_inventory as Hcl).all.vars as Hcl;
    expect(vars.ansible_connection).toBe("community.aws.aws_ssm");
  });

  it("key variables are validated", () => {
    const vars = mod("").variable;
    for (const v of [
      "cluster_name",
      "region",
      "vpc_cidr",
      "public_subnet_cidrs",
      "ssh_ingress_cidrs",
      "api_ingress_cidrs",
      "https_ingress_cidrs",
      "domain_name",
    ]) {
      expect((vars[v]?.validation as Hcl[] | undefined)?.length, v).toBeGreaterThan(0);
    }
    expect(vars.region?.default).toBe("ap-northeast-2");
  });

  it("no credentials in the Terraform code", () => {
    const files = [...listFiles(TF_ROOT, ".tf"), ...listFiles(TF_ROOT, ".example")];
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      expect(text, f).not.toMatch(/AKIA[0-9A-Z]{16}/);
      expect(text, f).not.toMatch(/\b(access_key|secret_key|token)\s*=/);
      expect(text, f).not.toMatch(/password\s*=/i);
    }
  });
});
