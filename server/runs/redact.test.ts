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
