import { expect, test } from "vitest";
import { noteSampleError } from "@/server/cluster/sources/queue-sampler";

// An unprovisioned cluster fails every 15 s the same way: the log says so once, then again on a change.
test("a repeated sampling error is logged once; a new error and the recovery are logged once each", () => {
  const lines: string[] = [];
  const warn = (m: string, f: Record<string, unknown>) => lines.push(`${m}: ${String(f.error)}`);
  const info = (m: string) => lines.push(m);
  for (let i = 0; i < 20; i++) noteSampleError("c-log", '404 services "rabbitmq" not found', warn, info);
  expect(lines).toEqual(['queue sample skipped: 404 services "rabbitmq" not found']);
  noteSampleError("c-log", "timed out after 5000 ms", warn, info);
  noteSampleError("c-log", "timed out after 5000 ms", warn, info);
  noteSampleError("c-log", null, warn, info);
  noteSampleError("c-log", null, warn, info);
  expect(lines.slice(1)).toEqual(["queue sample skipped: timed out after 5000 ms", "queue sampling resumed"]);
  // Another cluster keeps its own state.
  noteSampleError("other", "x", warn, info);
  expect(lines).toHaveLength(4);
});
