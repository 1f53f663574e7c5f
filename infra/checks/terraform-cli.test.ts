// infra/terraform tested by terraform itself: fmt, init against the committed lock
// file, validate, and the plan-mode `terraform test` suites (*.tftest.hcl, mocked
// AWS provider) beside the root, bootstrap and every module. Runs on a copy.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  copyTree,
  pool,
  requireTerraform,
  terraformDirs,
  testCounts,
  tf,
  tfInit,
  TF_SRC,
  type TfResult,
} from "./helpers/terraform-cli";

const DIRS = terraformDirs();
const label = (d: string) => d || "(root)";
let copy: ReturnType<typeof copyTree>;
let inits: Map<string, TfResult>;

beforeAll(async () => {
  requireTerraform();
  copy = copyTree();
  inits = await pool(DIRS, 3, (d) => tfInit(path.join(copy.dir, d), copy.env));
}, 300_000);

afterAll(() => copy?.cleanup());

describe("terraform (the binary): fmt, init, validate", () => {
  it("is formatted: terraform fmt -check -recursive", async () => {
    const r = await tf(copy.dir, copy.env, ["fmt", "-check", "-recursive", "-no-color"]);
    expect(r.code, `not formatted (run terraform fmt -recursive infra/terraform):\n${r.out}`).toBe(0);
  });

  it("every directory initialises offline; the root and bootstrap match their committed lock files", () => {
    for (const d of DIRS) expect(inits.get(d)?.code, `${label(d)}:\n${inits.get(d)?.out}`).toBe(0);
    for (const d of ["", "bootstrap"]) {
      const lock = readFileSync(path.join(TF_SRC, d, ".terraform.lock.hcl"), "utf8");
      expect(lock, `${label(d)} lock file`).toMatch(
        /provider "registry\.terraform\.io\/hashicorp\/aws" \{\n\s+version\s+= "5\.100\.0"/,
      );
    }
  });

  // The root validates every module it calls; bootstrap is a root of its own.
  it("terraform validate passes on the root (with its modules) and on bootstrap", async () => {
    const roots = ["", "bootstrap"];
    const results = await pool(roots, 2, (d) => tf(path.join(copy.dir, d), copy.env, ["validate", "-no-color"]));
    for (const d of roots) expect(results.get(d)?.code, `${label(d)}:\n${results.get(d)?.out}`).toBe(0);
  }, 300_000);
});

describe("terraform test (plan mode, mocked AWS provider)", () => {
  it("every directory has a test suite, and all of them pass", async () => {
    const results = await pool(DIRS, 2, (d) => tf(path.join(copy.dir, d), copy.env, ["test", "-no-color"]));
    const summary: string[] = [];
    for (const d of DIRS) {
      const r = results.get(d) as TfResult;
      const counts = testCounts(r.out);
      expect(counts, `${label(d)}: no test summary in\n${r.out}`).not.toBeNull();
      expect(r.code, `${label(d)}:\n${r.out}`).toBe(0);
      expect(counts?.failed, label(d)).toBe(0);
      expect(counts?.passed, `${label(d)} needs tests`).toBeGreaterThan(0);
      summary.push(`${label(d)}: ${counts?.passed} passed in ${(r.ms / 1000).toFixed(1)} s`);
    }
    console.log(`terraform test:\n  ${summary.join("\n  ")}`);
  }, 600_000);
});

describe("terraform test catches a wrong value", () => {
  // Each case breaks one seed fact in a fresh copy; the suite must fail and name it.
  const cases: { name: string; dir: string; file: string; from: string; to: string; message: RegExp }[] = [
    {
      name: "IMDSv2 made optional",
      dir: "modules/ec2",
      file: "modules/ec2/main.tf",
      from: 'http_tokens                 = "required"',
      to: 'http_tokens                 = "optional"',
      message: /IMDSv2 \(http_tokens = required\) must be enforced on every node/,
    },
    {
      name: "the storage disk shrunk to 50 GB",
      dir: "",
      file: "main.tf",
      from: "disk_gb       = 100",
      to: "disk_gb       = 50",
      message: /the nodes must be the seed's/,
    },
    {
      name: "SSH opened to the world without the opt-in",
      dir: "modules/security-groups",
      file: "modules/security-groups/variables.tf",
      from: 'variable "ssh_ingress_cidrs" {\n  description = "CIDR blocks allowed to SSH to the nodes. Empty = SSH closed."\n  type        = list(string)\n  default     = []',
      to: 'variable "ssh_ingress_cidrs" {\n  description = "CIDR blocks allowed to SSH to the nodes. Empty = SSH closed."\n  type        = list(string)\n  default     = ["0.0.0.0/0"]',
      message: /SSH must be closed unless ssh_ingress_cidrs lists a CIDR/,
    },
  ];

  it.each(cases)(
    "$name: terraform test fails with the assertion's message",
    async (c) => {
      const m = copyTree();
      try {
        const file = path.join(m.dir, c.file);
        const text = readFileSync(file, "utf8");
        expect(text, `${c.file} no longer contains the line this case mutates`).toContain(c.from);
        writeFileSync(file, text.replace(c.from, c.to));
        const dir = path.join(m.dir, c.dir);
        const init = await tfInit(dir, m.env);
        expect(init.code, init.out).toBe(0);
        const r = await tf(dir, m.env, ["test", "-no-color"]);
        expect(r.code, r.out).not.toBe(0);
        expect(testCounts(r.out)?.failed, r.out).toBeGreaterThan(0);
        expect(r.out).toMatch(c.message);
      } finally {
        m.cleanup();
      }
    },
    300_000,
  );
});

describe("terraform missing", () => {
  it("without terraform on PATH the suite fails with one line saying how to install it", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "growbin-nopath-"));
    const saved = process.env.PATH;
    process.env.PATH = empty;
    try {
      expect(() => requireTerraform()).toThrow(
        /^terraform is not installed, so the Terraform tests cannot run: install Terraform >= 1\.9 \(https:\/\/[^\n]+$/,
      );
    } finally {
      process.env.PATH = saved;
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("without the provider mirror it names the folder and how to fill it", () => {
    expect(() => requireTerraform("/nonexistent/tf-plugins")).toThrow(
      /provider mirror is missing at \/nonexistent\/tf-plugins\/registry\.terraform\.io\/hashicorp\/aws: create it with `terraform providers mirror/,
    );
  });
});
