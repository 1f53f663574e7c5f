import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { e2eState } from "./fixtures";

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test("no server secret reaches the client bundle or the pages", async ({ request }) => {
  const s = e2eState();
  const secrets = [
    fs.readFileSync(path.join(s.dataDir, "auth-secret"), "utf8").trim(),
    (JSON.parse(fs.readFileSync(path.join(s.dataDir, "postgres-credentials.json"), "utf8")) as { password: string })
      .password,
    s.admin.password,
  ];
  expect(secrets.every((x) => x.length >= 20)).toBe(true);
  const files = filesUnder(path.resolve(".next/static"));
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const text = fs.readFileSync(file, "latin1");
    for (const secret of secrets) expect(text.includes(secret), `${file} contains a secret`).toBe(false);
  }
  const page = await (await request.get("/signin")).text();
  for (const secret of secrets) expect(page.includes(secret)).toBe(false);
});
