import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runTestDatabase } from "@/test/run-fixtures";
import { startRun, startRunInput } from "@/server/runs/start-run";
import { NODES, PIPELINES } from "@/server/runs/pipelines";

let t: Awaited<ReturnType<typeof runTestDatabase>>;
beforeAll(async () => {
  t = await runTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "verify; rm -rf /",
    "verify\n--yes",
    "--phase=infra",
    "$(reboot)",
    "`id`",
    "master && curl x",
    "worker-1|sh",
    "../../etc/passwd",
    "growbin-test\n",
    " verify",
  ),
  fc
    .tuple(
      fc.constantFrom(...PIPELINES, ...NODES, "growbin-test"),
      fc.constantFrom(";", "\n", "$", "`", "|", "&", " --x", "=", "'", '"', "\\"),
    )
    .map(([a, b]) => a + b),
);

describe("start-run input", () => {
  test("pipeline, cluster and node values with shell metacharacters, newlines or --flag= injections are refused (property)", () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (pipelineName, cluster, node) => {
        const r = startRunInput.safeParse({ pipeline: pipelineName, cluster, node, reason: "prop test" });
        if (r.success) {
          // Anything accepted is exactly an allow-listed value: nothing else can reach an argument array.
          expect(PIPELINES).toContain(r.data.pipeline);
          expect(r.data.node === undefined || (NODES as readonly string[]).includes(r.data.node)).toBe(true);
          expect(r.data.cluster).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  test("refused values create no run", async () => {
    for (const pipeline of ["verify; id", "verify\n", "--phase=infra"]) {
      expect(startRunInput.safeParse({ pipeline, cluster: "growbin-test", reason: "x y z" }).success).toBe(false);
    }
    await expect(startRun({ cluster: "no-such-cluster", pipeline: "verify", reason: "xyz" }, "h")).rejects.toThrow(
      /no cluster named/,
    );
    expect(await t.prisma.run.count()).toBe(0);
  });

  test("a destructive pipeline needs the cluster's name typed exactly", async () => {
    await expect(
      startRun({ cluster: "growbin-test", pipeline: "teardown", reason: "clean up", confirm: "growbin-tes" }, "h"),
    ).rejects.toThrow(/type the cluster's name, growbin-test, to confirm/);
    expect(await t.prisma.run.count()).toBe(0);
  });

  test("starts are rate-limited per user", async () => {
    // Six starts in a minute are allowed (each cancelled so the cluster is free for the next)...
    for (let i = 0; i < 6; i++) {
      const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: `r${i}` }, "speedy");
      await t.prisma.run.update({ where: { id: runId }, data: { status: "cancelled", finishedAt: new Date() } });
    }
    // ...the seventh is refused, and another user is not affected.
    await expect(
      startRun({ cluster: "growbin-test", pipeline: "verify", reason: "one more" }, "speedy"),
    ).rejects.toThrow(/Too many starts: 6 in the last minute/);
    await expect(
      startRun({ cluster: "growbin-test", pipeline: "verify", reason: "someone else" }, "calm"),
    ).resolves.toMatchObject({ runId: expect.any(String) });
  });
});
