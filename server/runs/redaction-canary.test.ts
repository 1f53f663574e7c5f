import { afterAll, beforeAll, expect, test } from "vitest";
import { runTestDatabase, testWorker, waitFor } from "@/test/run-fixtures";
import { startRun } from "@/server/runs/start-run";
import { runEventStream } from "@/server/runs/run-event-stream";
import type { Worker } from "@/server/worker/worker";

let t: Awaited<ReturnType<typeof runTestDatabase>>;
let worker: Worker;
beforeAll(async () => {
  t = await runTestDatabase();
  worker = testWorker(t.url);
  await worker.start();
});
afterAll(async () => {
  await worker.stop(0);
  await t.drop();
});

const CANARIES = [
  "canary-token-4d7f9a1c",
  "canary-pw-8b2e6d",
  "AKIAZZZZCANARY123456",
  "MIIEcanaryPEMline1",
  "canaryPEMline2",
  "canarybearertoken0123456789",
  Buffer.from("canary-token-4d7f9a1c").toString("base64").replace(/=+$/, ""),
  "canary-vault-pass-77",
  "canary.0123456789abcdef",
  "canary0hash",
  "canaryslackpath0123",
  "pw-8b2e6d@x",
];

test("canary secrets (an env secret plain, coloured, split over two writes and base64-encoded, a URL password with '@', an AWS key, a multi-line PEM, a bearer token, a *PASS* variable, kubeadm join flags, a Slack webhook) never reach the database or the stream", async () => {
  process.env.FIXTURE_MODE = "secrets";
  process.env.CANARY_TOKEN = CANARIES[0];
  process.env.CANARY_URL_PASSWORD = CANARIES[1];
  process.env.CANARY_VAULT_PASS = CANARIES[7];
  const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "canaries" }, "ivan");
  await waitFor(
    async () => (await t.prisma.run.findUnique({ where: { id: runId } }))?.status === "succeeded",
    "the run",
  );

  const stored = (await t.prisma.logLine.findMany({ where: { runId }, orderBy: { seq: "asc" } }))
    .map((l) => l.text)
    .join("\n");
  const dump = await t.prisma.$queryRawUnsafe<{ t: string }[]>(`SELECT string_agg(text, E'\\n') AS t FROM "LogLine"`);
  const reader = runEventStream(runId, 0).getReader();
  let streamed = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    streamed += new TextDecoder().decode(value);
  }
  for (const secret of CANARIES) {
    expect(stored).not.toContain(secret);
    expect(dump[0]!.t).not.toContain(secret);
    expect(streamed).not.toContain(secret);
  }
  // The lines are still there, with the secrets masked, so the log stays readable.
  expect(stored).toContain("token is [REDACTED]");
  expect(stored).toContain("postgresql://admin:[REDACTED]@db.internal:5432/app");
  expect(stored).toContain("-----BEGIN RSA PRIVATE KEY-----");
  expect(stored).toContain("colour [REDACTED] end");
  expect(stored).toContain("https://hooks.slack.com/services/[REDACTED]");
  expect(stored).toContain("--token [REDACTED] --discovery-token-ca-cert-hash [REDACTED]");
  expect(stored).toContain("done");
});
