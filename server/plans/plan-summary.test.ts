// summarizePlan on real `terraform show -json` outputs (recorded by __fixtures__/record.sh with terraform 1.11)
// and on malformed input.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatPlanSummary, summarizePlan } from "./plan-summary";

const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "__fixtures__", name), "utf8"));

describe("summarizePlan on recorded terraform plans", () => {
  it("a first plan adds everything", () => {
    const s = summarizePlan(fixture("plan-create.json"));
    expect(s).toEqual({
      add: 7,
      change: 0,
      destroy: 0,
      replace: 0,
      byType: [{ type: "terraform_data", add: 7, change: 0, destroy: 0, replace: 0 }],
      destroyed: [],
      components: [],
    });
  });

  it("a plan with no changes counts nothing (no-op entries are ignored)", () => {
    const plan = fixture("plan-noop.json");
    expect(plan.resource_changes.length).toBe(7);
    const s = summarizePlan(plan);
    expect([s.add, s.change, s.destroy, s.replace, s.byType, s.destroyed]).toEqual([0, 0, 0, 0, [], []]);
    expect(formatPlanSummary(s)).toEqual(["Plan: no changes to the infrastructure."]);
  });

  it("update, both replace orders, delete and create", () => {
    const s = summarizePlan(fixture("plan-mixed.json"));
    expect([s.add, s.change, s.destroy, s.replace]).toEqual([1, 1, 1, 2]);
    // swap is delete-then-create; swap_first (create_before_destroy) is create-then-delete.
    expect(s.destroyed).toEqual(["terraform_data.gone[0]", "terraform_data.swap", "terraform_data.swap_first"]);
    expect(s.byType).toEqual([{ type: "terraform_data", add: 1, change: 1, destroy: 1, replace: 2 }]);
  });

  it("a -destroy plan destroys every resource, listed by address", () => {
    const s = summarizePlan(fixture("plan-destroy.json"), [{ kind: "Ingress", namespace: "default", name: "web" }]);
    expect([s.add, s.change, s.destroy, s.replace]).toEqual([0, 0, 7, 0]);
    expect(s.destroyed).toEqual([
      "terraform_data.gone[0]",
      "terraform_data.keep",
      'terraform_data.pair["a"]',
      'terraform_data.pair["b"]',
      "terraform_data.swap",
      "terraform_data.swap_first",
      "terraform_data.tweak",
    ]);
    expect(s.components).toEqual([{ kind: "Ingress", namespace: "default", name: "web" }]);
    const lines = formatPlanSummary(s, 3);
    expect(lines[0]).toBe("Plan: 0 to add, 0 to change, 7 to destroy, 0 to replace.");
    expect(lines).toContain("  terraform_data: 7 to destroy");
    expect(lines).toContain(
      'Destroyed: terraform_data.gone[0], terraform_data.keep, terraform_data.pair["a"] and 4 more',
    );
    expect(lines).toContain("Components deleted: 1 object (Ingress 1)");
  });

  it("counts by type and skips data sources (read)", () => {
    const plan = {
      format_version: "1.2",
      resource_changes: [
        { address: "data.aws_ami.x", mode: "data", type: "aws_ami", name: "x", change: { actions: ["read"] } },
        {
          address: "aws_instance.a",
          mode: "managed",
          type: "aws_instance",
          name: "a",
          change: { actions: ["delete"] },
        },
        { address: "aws_vpc.v", mode: "managed", type: "aws_vpc", name: "v", change: { actions: ["update"] } },
        {
          address: "aws_instance.b",
          mode: "managed",
          type: "aws_instance",
          name: "b",
          change: { actions: ["create"] },
        },
      ],
    };
    expect(summarizePlan(plan).byType).toEqual([
      { type: "aws_instance", add: 1, change: 0, destroy: 1, replace: 0 },
      { type: "aws_vpc", add: 0, change: 1, destroy: 0, replace: 0 },
    ]);
  });

  it("a plan of an empty configuration has no resource_changes key", () => {
    expect(summarizePlan({ format_version: "1.2" }).add).toBe(0);
  });
});

describe("summarizePlan rejects malformed input, naming the field", () => {
  const good = () => fixture("plan-mixed.json");
  it.each([
    ["not an object", "plan", /malformed plan JSON: \(root\)/],
    ["no format_version", { resource_changes: [] }, /format_version/],
    ["a 2.x format", { format_version: "2.0" }, /format_version: expected a 1\.x/],
    ["resource_changes not a list", { format_version: "1.2", resource_changes: {} }, /resource_changes:/],
  ])("%s", (_what, input, message) => {
    expect(() => summarizePlan(input)).toThrow(message);
  });

  it("an unknown action names its path", () => {
    const p = good();
    p.resource_changes[3].change.actions = ["destroy"];
    expect(() => summarizePlan(p)).toThrow(/resource_changes\.3\.change\.actions\.0/);
  });

  it("a missing address or empty action list names its path", () => {
    const p = good();
    delete p.resource_changes[1].address;
    p.resource_changes[2].change.actions = [];
    expect(() => summarizePlan(p)).toThrow(/resource_changes\.1\.address.*resource_changes\.2\.change\.actions/);
  });

  it("an impossible action pair is refused", () => {
    const p = good();
    p.resource_changes[0].change.actions = ["create", "update"];
    expect(() => summarizePlan(p)).toThrow(/unknown action list \[create, update\]/);
  });

  it("a malformed components list names its path", () => {
    expect(() => summarizePlan(good(), [{ kind: "Ingress", namespace: "default" }])).toThrow(
      /components list: 0\.name/,
    );
    expect(() => summarizePlan(good(), { kind: "Ingress" })).toThrow(/components list: \(root\)/);
  });
});
