import { afterAll, beforeAll, expect, test } from "vitest";
import { runTestDatabase } from "@/test/run-fixtures";
import { startRun } from "@/server/runs/start-run";
import { getRunSnapshot } from "@/server/runs/get-run";
import { allRuns, searchRuns } from "@/server/runs/search-runs";
import { runCsvLine } from "@/server/runs/runs-csv";

// A secret pasted into a run's reason is masked where it is stored, shown and exported.

let t: Awaited<ReturnType<typeof runTestDatabase>>;
beforeAll(async () => {
  t = await runTestDatabase();
});
afterAll(() => t?.drop());

test("a reason with a URL password and a token is stored masked", async () => {
  const { runId } = await startRun(
    {
      cluster: "growbin-test",
      pipeline: "verify",
      reason: "retry after db postgresql://app:Hunter2x@db.internal/app broke, token=ghp_abcdefghijklmnop1234",
    },
    "ivan",
  );
  const stored = (await t.prisma.run.findUniqueOrThrow({ where: { id: runId } })).reason;
  expect(stored).toBe("retry after db postgresql://app:[REDACTED]@db.internal/app broke, token=[REDACTED]");
  await t.prisma.run.update({ where: { id: runId }, data: { status: "cancelled" } });
});

test("a reason stored before masking is masked on the run page, in the list and in the CSV export", async () => {
  const run = await t.prisma.run.create({
    data: {
      clusterId: t.cluster.id,
      pipeline: "verify",
      status: "succeeded",
      requestedBy: "old",
      reason: "old run, password=OldS3cretValue",
    },
  });
  expect((await getRunSnapshot(run.id))!.reason).toBe("old run, password=[REDACTED]");
  const listed = (await searchRuns({ sort: "newest", q: "old run" })).rows;
  expect(listed.map((r) => r.reason)).toEqual(["old run, password=[REDACTED]"]);
  const csv: string[] = [];
  for await (const page of allRuns({ sort: "newest" })) csv.push(...page.map(runCsvLine));
  expect(csv.join("\n")).not.toContain("OldS3cretValue");
});
