// Structure tests for infra/terraform's network: the VPC and the security-group
// rules between roles (parsed with @cdktf/hcl2json; terraform-cli.test.ts runs
// the same facts through terraform test).
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "@cdktf/hcl2json";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTree, moduleIn, resourceIn, TF_ROOT, type Hcl, type Module, type TfTree } from "./helpers/terraform";

let tree: TfTree;
const mod = (dir: string): Module => moduleIn(tree, dir);
const res = resourceIn;

const WORLD = ["0.0.0.0/0", "::/0"];

beforeAll(async () => {
  tree = await loadTree();
});

describe("terraform: VPC", () => {
  it("the VPC is 10.0.0.0/16 with 3 public /24 subnets inside it", () => {
    const vars = mod("").variable;
    expect(vars.vpc_cidr?.default).toBe("10.0.0.0/16");
    const subnets = vars.public_subnet_cidrs?.default as string[];
    expect(subnets).toHaveLength(3);
    expect(new Set(subnets).size).toBe(3);
    for (const s of subnets) expect(s).toMatch(/^10\.0\.\d{1,3}\.0\/24$/);
    const vpc = mod("").module.vpc as Hcl;
    expect(vpc.vpc_cidr).toBe("${var.vpc_cidr}");
    expect(vpc.public_subnet_cidrs).toBe("${var.public_subnet_cidrs}");
  });

  it("the VPC module creates the VPC, one public subnet per AZ, an internet gateway and a default route", () => {
    const m = mod("modules/vpc");
    expect(res(m, "aws_vpc", "this").cidr_block).toBe("${var.vpc_cidr}");
    const subnet = res(m, "aws_subnet", "public");
    expect(subnet.count).toBe("${length(var.public_subnet_cidrs)}");
    expect(subnet.availability_zone).toBe("${local.azs[count.index]}");
    expect(subnet.map_public_ip_on_launch).toBe(true);
    expect(m.locals.azs).toContain("slice(data.aws_availability_zones.available.names, 0, 3)");
    expect(res(m, "aws_internet_gateway", "this").vpc_id).toBe("${aws_vpc.this.id}");
    const route = res(m, "aws_route", "public_internet");
    expect(route.destination_cidr_block).toBe("0.0.0.0/0");
    expect(route.gateway_id).toBe("${aws_internet_gateway.this.id}");
    expect(res(m, "aws_route_table_association", "public").count).toBe("${length(var.public_subnet_cidrs)}");
  });
});

describe("terraform: security groups", () => {
  // [sg, name, protocol, from, to, sources]
  const expectedRules: [string, string, string, number, number, string[]][] = [
    ["control_plane", "apiserver", "tcp", 6443, 6443, ["control_plane", "workers", "storage"]],
    ["control_plane", "etcd", "tcp", 2379, 2380, ["control_plane"]],
    ["control_plane", "kubelet", "tcp", 10250, 10250, ["control_plane", "workers", "storage"]],
    ["workers", "kubelet", "tcp", 10250, 10250, ["control_plane", "workers", "storage"]],
    ["storage", "kubelet", "tcp", 10250, 10250, ["control_plane", "workers", "storage"]],
    ["control_plane", "calico-vxlan", "udp", 4789, 4789, ["control_plane", "workers", "storage"]],
    ["workers", "calico-vxlan", "udp", 4789, 4789, ["control_plane", "workers", "storage"]],
    ["storage", "calico-vxlan", "udp", 4789, 4789, ["control_plane", "workers", "storage"]],
    ["control_plane", "calico-typha", "tcp", 5473, 5473, ["control_plane", "workers", "storage"]],
    ["workers", "calico-typha", "tcp", 5473, 5473, ["control_plane", "workers", "storage"]],
    ["storage", "calico-typha", "tcp", 5473, 5473, ["control_plane", "workers", "storage"]],
    ["control_plane", "nodeports", "tcp", 30000, 32767, ["alb"]],
    ["workers", "nodeports", "tcp", 30000, 32767, ["alb"]],
    ["storage", "nodeports", "tcp", 30000, 32767, ["alb"]],
    ["control_plane", "node-exporter", "tcp", 9100, 9100, ["control_plane"]],
    ["workers", "node-exporter", "tcp", 9100, 9100, ["control_plane"]],
    ["storage", "node-exporter", "tcp", 9100, 9100, ["control_plane"]],
    ["control_plane", "kube-proxy-metrics", "tcp", 10249, 10249, ["control_plane"]],
    ["workers", "kube-proxy-metrics", "tcp", 10249, 10249, ["control_plane"]],
    ["storage", "kube-proxy-metrics", "tcp", 10249, 10249, ["control_plane"]],
    ["control_plane", "etcd-metrics", "tcp", 2381, 2381, ["control_plane"]],
    ["control_plane", "controller-manager-scheduler", "tcp", 10257, 10259, ["control_plane"]],
    ["storage", "rabbitmq-amqp", "tcp", 5672, 5672, ["control_plane", "workers"]],
    ["storage", "rabbitmq-management", "tcp", 15672, 15672, ["control_plane"]],
    ["storage", "postgresql", "tcp", 5432, 5432, ["workers"]],
    ["storage", "redis", "tcp", 6379, 6379, ["workers"]],
  ];

  const m = () => mod("modules/security-groups");

  it("there is one security group per role: control plane, workers, storage, load balancer", () => {
    expect(Object.keys(m().locals.sg_names as Hcl).sort()).toEqual(["alb", "control_plane", "storage", "workers"]);
    const sg = res(m(), "aws_security_group", "this");
    expect(sg.for_each).toBe("${local.sg_names}");
    expect(sg.ingress, "no inline ingress blocks").toBeUndefined();
    expect(sg.dynamic, "no dynamic ingress blocks").toBeUndefined();
  });

  it("the rules between the cluster's groups are exactly the seed's ports", () => {
    const rules = (m().locals.ingress_rules as Hcl[]).map((r) => [
      r.sg,
      r.name,
      r.protocol,
      r.from_port,
      r.to_port,
      [...(r.from as string[])].sort(),
    ]);
    const norm = (xs: unknown[][]) => xs.map((x) => JSON.stringify(x)).sort();
    expect(norm(rules)).toEqual(norm(expectedRules.map((r) => [...r.slice(0, 5), [...(r[5] as string[])].sort()])));
  });

  it("those rules only admit the cluster's own security groups, never a CIDR", () => {
    const r = res(m(), "aws_vpc_security_group_ingress_rule", "cluster");
    expect(r.for_each).toBe("${local.ingress_rules_by_key}");
    expect(r.referenced_security_group_id).toBe("${local.sg_ids[each.value.source]}");
    expect(r.cidr_ipv4).toBeUndefined();
    expect(r.from_port).toBe("${each.value.from_port}");
    expect(r.to_port).toBe("${each.value.to_port}");
    expect(r.ip_protocol).toBe("${each.value.protocol}");
  });

  it("SSH is port 22 on the node groups, only from ssh_ingress_cidrs, which is empty by default", () => {
    const r = res(m(), "aws_vpc_security_group_ingress_rule", "ssh");
    expect([r.from_port, r.to_port, r.ip_protocol]).toEqual([22, 22, "tcp"]);
    expect(m().locals.ssh_rules).toContain("var.ssh_ingress_cidrs");
    expect(mod("").variable.ssh_ingress_cidrs?.default).toEqual([]);
    expect(m().variable.ssh_ingress_cidrs?.default).toEqual([]);
    expect((mod("").module.security_groups as Hcl).ssh_ingress_cidrs).toBe("${var.ssh_ingress_cidrs}");
  });

  it("the API server is reachable from outside only from api_ingress_cidrs, empty by default", () => {
    const r = res(m(), "aws_vpc_security_group_ingress_rule", "api_external");
    expect([r.from_port, r.to_port, r.ip_protocol]).toEqual([6443, 6443, "tcp"]);
    expect(r.for_each).toBe("${toset(var.api_ingress_cidrs)}");
    expect(r.security_group_id).toBe('${local.sg_ids["control_plane"]}');
    expect(mod("").variable.api_ingress_cidrs?.default).toEqual([]);
    expect(m().variable.api_ingress_cidrs?.default).toEqual([]);
  });

  it("opening SSH or the API server to the world needs an explicit variable, false by default", () => {
    const vars = mod("").variable;
    expect(vars.allow_world_admin_access?.default).toBe(false);
    for (const v of ["ssh_ingress_cidrs", "api_ingress_cidrs"]) {
      const conds = (vars[v]?.validation as Hcl[]).map((x) => x.condition as string);
      expect(
        conds.some((c) => c.includes("var.allow_world_admin_access") && c.includes("0.0.0.0/0")),
        v,
      ).toBe(true);
    }
  });

  it("the load balancer takes HTTPS (443) and nothing else from outside", () => {
    const r = res(m(), "aws_vpc_security_group_ingress_rule", "https");
    expect([r.from_port, r.to_port, r.ip_protocol]).toEqual([443, 443, "tcp"]);
    expect(r.security_group_id).toBe('${local.sg_ids["alb"]}');
    const egress = res(m(), "aws_vpc_security_group_egress_rule", "alb_to_nodeports");
    expect([egress.from_port, egress.to_port]).toEqual([30000, 32767]);
  });

  it("nothing sensitive is open to 0.0.0.0/0 anywhere", () => {
    // 1. No ingress rule, in any module, has a literal world CIDR.
    for (const [dir, mm] of Object.entries(tree.modules)) {
      for (const type of ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule"]) {
        for (const [name, r] of Object.entries(mm.resource[type] ?? {})) {
          if (type === "aws_security_group_rule" && r.type !== "ingress") continue;
          const cidrs = [r.cidr_ipv4, r.cidr_ipv6, ...((r.cidr_blocks as string[] | undefined) ?? [])];
          for (const c of cidrs) expect(WORLD, `${dir}: ${type}.${name}`).not.toContain(c);
        }
      }
      for (const [name, sg] of Object.entries(mm.resource.aws_security_group ?? {})) {
        expect(sg.ingress, `${dir}: aws_security_group.${name} has inline ingress`).toBeUndefined();
      }
    }
    // 2. The only CIDR list that defaults to the world is the HTTPS one, and it is used only on 443.
    for (const [dir, mm] of Object.entries(tree.modules)) {
      for (const [name, v] of Object.entries(mm.variable)) {
        const d = JSON.stringify(v.default ?? null);
        if (WORLD.some((w) => d.includes(w)))
          expect(name, `${dir}: variable ${name} defaults to the world`).toBe("https_ingress_cidrs");
      }
    }
    const users = Object.entries(m().resource.aws_vpc_security_group_ingress_rule ?? {}).filter(([, r]) =>
      JSON.stringify(r).includes("var.https_ingress_cidrs"),
    );
    expect(users.map(([n]) => n)).toEqual(["https"]);
  });

  it("the example tfvars keeps SSH and the API server closed to the world", async () => {
    const tfvars = await parse(
      "terraform.tfvars.example",
      readFileSync(path.join(TF_ROOT, "terraform.tfvars.example"), "utf8"),
    );
    for (const v of ["ssh_ingress_cidrs", "api_ingress_cidrs"]) {
      for (const w of WORLD) expect((tfvars[v] as string[] | undefined) ?? [], v).not.toContain(w);
    }
    expect(tfvars.allow_world_admin_access ?? false).toBe(false);
  });
});
