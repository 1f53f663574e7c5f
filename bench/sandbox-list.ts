// Benchmark: list latency of the sandbox at 500 nodes / 15,000 pods, through @kubernetes/client-node.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { startSandbox } from "../infra/sandbox/index";
import { trustSandbox } from "../infra/sandbox/test-helpers";
import { median, runWhenMain } from "./figures";

const NODES = 500;
const PODS_PER_NODE = 30;

async function time(fn: () => Promise<unknown>, runs: number): Promise<number> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

// Median list latencies (ms) for nodes and for a full limit=500 paginated pod list.
export async function benchSandboxList(): Promise<
  { name: string; value: number; unit: string; target: string; ok: boolean }[]
> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-bench-"));
  const sb = await startSandbox({
    stateDir,
    provisioned: true,
    nodes: NODES,
    podsPerNode: PODS_PER_NODE,
    timeScale: 0,
  });
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(sb.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    let podCount = 0;
    const nodesMs = await time(async () => {
      const n = await core.listNode();
      if (n.items.length !== NODES) throw new Error(`expected ${NODES} nodes, got ${n.items.length}`);
    }, 9);
    const podsMs = await time(async () => {
      let cont: string | undefined;
      podCount = 0;
      do {
        const page = await core.listPodForAllNamespaces({ limit: 500, _continue: cont });
        podCount += page.items.length;
        cont = page.metadata?._continue;
      } while (cont);
    }, 5);
    // The same walk over HTTPS + JSON.parse (fetch trusts the cluster CA and presents admin.conf's certificate):
    // the sandbox's own cost, without client-node's model mapping.
    trustSandbox(sb.endpoints);
    const rawMs = await time(async () => {
      let cont = "";
      do {
        const r = await fetch(`${sb.url}/api/v1/pods?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`);
        cont = (JSON.parse(await r.text()) as { metadata: { continue?: string } }).metadata.continue ?? "";
      } while (cont);
    }, 5);
    const pageMs = await time(
      () => core.listPodForAllNamespaces({ limit: 500, fieldSelector: "spec.nodeName=worker-200" }),
      9,
    );
    return [
      {
        name: `sandbox list nodes (${NODES} nodes)`,
        value: Math.round(nodesMs * 10) / 10,
        unit: "ms",
        target: "< 250 ms",
        ok: nodesMs < 250,
      },
      {
        name: `sandbox full paginated pod list, HTTP + JSON.parse (${podCount} pods, limit=500)`,
        value: Math.round(rawMs),
        unit: "ms",
        target: "< 1000 ms",
        ok: rawMs < 1000,
      },
      // client-node maps every field into its model classes; that cost is the client's, so its target is looser.
      {
        name: `sandbox full paginated pod list via @kubernetes/client-node (${podCount} pods, limit=500)`,
        value: Math.round(podsMs),
        unit: "ms",
        target: "< 2000 ms",
        ok: podsMs < 2000,
      },
      {
        name: "sandbox pod list by spec.nodeName",
        value: Math.round(pageMs * 10) / 10,
        unit: "ms",
        target: "< 100 ms",
        ok: pageMs < 100,
      },
    ];
  } finally {
    await sb.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

runWhenMain(__filename, benchSandboxList);
