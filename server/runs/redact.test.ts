import { describe, expect, test } from "vitest";
import fixture from "@/server/runs/__fixtures__/redaction-cases.json";
import { Redactor, secretValuesFrom } from "@/server/runs/redact";

describe("redaction (recorded cases)", () => {
  test.each(fixture.cases)("$name", ({ in: input, out }) => {
    const r = new Redactor(fixture.secrets);
    expect(input.map((l) => r.line(l))).toEqual(out);
  });
});

describe("secretValuesFrom", () => {
  test("takes values of variables named like secrets, ignores short and ordinary ones", () => {
    const values = secretValuesFrom({
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI",
      RABBITMQ_PASSWORD: "longenough",
      GITHUB_TOKEN: "ghp_x",
      PATH: "/usr/bin:/bin",
      AWS_REGION: "ap-northeast-2",
      ANSIBLE_VAULT_PASSWORD: "vault-pass-1",
    });
    expect(values.sort()).toEqual(["longenough", "vault-pass-1", "wJalrXUtnFEMI"]);
  });
});

describe("secrets cut by the line reader", () => {
  test("a secret that straddles the 16 KiB cut of a runaway line is hidden on both sides", () => {
    const secret = "s3cr3t-vault-pass";
    const r = new Redactor([secret]);
    const first = "x".repeat(16 * 1024 - 7) + secret.slice(0, 7);
    const out = [r.line(first), r.line(secret.slice(7) + " tail")];
    expect(out.join("\n")).not.toMatch(/s3cr3t-|vault-pass/);
    expect(out[1]).toBe("[REDACTED] tail");
  });

  test("a base64 dump wrapped over three lines is hidden on each", () => {
    const secret = "a-long-secret-value-that-wraps-" + "z".repeat(40);
    const encoded = Buffer.from(secret).toString("base64");
    const r = new Redactor([secret]);
    const lines = [encoded.slice(0, 40), encoded.slice(40, 80), encoded.slice(80)].map((l) => r.line(l));
    expect(lines.every((l) => l.startsWith("[REDACTED]"))).toBe(true);
  });
});
