import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runTestDatabase, testWorker, waitFor } from "@/test/run-fixtures";
import { startRun } from "@/server/runs/start-run";
import { runEventStream } from "@/server/runs/run-event-stream";
import type { Worker } from "@/server/worker/worker";

let t: Awaited<ReturnType<typeof runTestDatabase>>;
let worker: Worker;
beforeAll(async () => {
  t = await runTestDatabase();
  worker = testWorker(t.url, { capBytes: 64 * 1024 * 1024 });
  await worker.start();
});
afterAll(async () => {
  await worker.stop(0);
  await t.drop();
});

type Event = { id?: string; event: string; data: string };

/** Reads SSE events until `stop` says so or the stream ends; cancels the stream when stopping early. */
async function readEvents(
  stream: ReadableStream<Uint8Array>,
  stop: (e: Event, all: Event[]) => boolean,
): Promise<Event[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const events: Event[] = [];
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    buf += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      if (block.startsWith(":") || block.startsWith("retry:")) continue;
      const e: Event = { event: "message", data: "" };
      for (const line of block.split("\n")) {
        const i = line.indexOf(": ");
        const [k, v] = [line.slice(0, i), line.slice(i + 2)];
        if (k === "id") e.id = v;
        else if (k === "event") e.event = v;
        else if (k === "data") e.data += v;
      }
      events.push(e);
      if (stop(e, events)) {
        await reader.cancel();
        return events;
      }
    }
  }
}

const seqs = (events: Event[]) =>
  events.filter((e) => e.event === "lines").flatMap((e) => (JSON.parse(e.data) as { seq: number }[]).map((l) => l.seq));

describe("run event stream (SSE)", () => {
  test("100,000 lines: disconnect at line N, reconnect with Last-Event-ID N, and lines N+1 onward arrive with no gap and no duplicate", async () => {
    process.env.FIXTURE_MODE = "lines";
    process.env.FIXTURE_LINES = "100000";
    const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "sse" }, "gina");
    // First connection: live while the run is still writing; drop it part-way.
    const first = await readEvents(runEventStream(runId, 0), (_e, all) => seqs(all).length >= 30_000);
    const got = seqs(first);
    const lastId = Number(first.filter((e) => e.id).pop()!.id);
    expect(got[got.length - 1]).toBe(lastId);
    expect(got).toEqual(got.map((_, i) => i + 1));
    // Reconnect from the last id and read to the end.
    const second = await readEvents(runEventStream(runId, lastId), () => false);
    const rest = seqs(second);
    expect(rest[0]).toBe(lastId + 1);
    const all = [...got, ...rest];
    expect(new Set(all).size).toBe(all.length);
    const total = await t.prisma.logLine.count({ where: { runId } });
    expect(total).toBeGreaterThan(100_000);
    expect(all).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const end = second[second.length - 1]!;
    expect(end.event).toBe("end");
    expect(JSON.parse(end.data)).toEqual({ status: "succeeded" });
  });

  test("a stream opened on a finished run replays it, sends the final snapshot, ends and closes", async () => {
    process.env.FIXTURE_MODE = "ok";
    const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "finished" }, "gina");
    await waitFor(
      async () => (await t.prisma.run.findUnique({ where: { id: runId } }))?.status === "succeeded",
      "the run",
    );
    const events = await readEvents(runEventStream(runId, 0), () => false);
    const run = events.filter((e) => e.event === "run").pop()!;
    expect(JSON.parse(run.data)).toMatchObject({
      id: runId,
      status: "succeeded",
      steps: [{ status: "succeeded" }, { status: "succeeded" }, { status: "succeeded" }],
    });
    expect(events[events.length - 1]!.event).toBe("end");
    const texts = events
      .filter((e) => e.event === "lines")
      .flatMap((e) => (JSON.parse(e.data) as { x: string }[]).map((l) => l.x));
    expect(texts).toContain("cluster ok");
  });

  test("many viewers of one run cost one database listener, not one each", async () => {
    process.env.FIXTURE_MODE = "sleep";
    const { runId } = await startRun({ cluster: "growbin-test", pipeline: "verify", reason: "many viewers" }, "gina");
    const listeners = async () =>
      Number(
        (
          await t.prisma.$queryRawUnsafe<{ n: bigint }[]>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN portal_run_%'`,
          )
        )[0]!.n,
      );
    const before = await listeners(); // the worker's own, plus this process's hub if an earlier test opened it
    const readers = Array.from({ length: 8 }, () => runEventStream(runId, 0).getReader());
    for (const r of readers) expect((await r.read()).done).toBe(false); // every viewer is live
    expect(await listeners()).toBeLessThanOrEqual(Math.max(before, 1) + 1);
    for (const r of readers) await r.cancel();
    const { cancelRun } = await import("@/server/runs/cancel-run");
    await cancelRun(runId, "gina");
    await waitFor(
      async () => (await t.prisma.run.findUnique({ where: { id: runId } }))?.status === "cancelled",
      "the run to cancel",
    );
  });
});
