// Loads the recorded sandbox JSON of server/cluster/sources/__fixtures__ for tests (record.ts there writes them).
import fs from "node:fs";
import path from "node:path";
import type { Instance } from "@aws-sdk/client-ec2";
import { toAppInfo } from "@/server/cluster/sources/argocd";
import { toEc2Instance } from "@/server/cluster/sources/ec2";
import { toNodeInfo } from "@/server/cluster/sources/nodes";
import type { RawPod } from "@/server/cluster/sources/pod-status";
import { toPodInfo } from "@/server/cluster/sources/pods";
import { toQueueInfo, type QueueInfo } from "@/server/cluster/sources/rabbitmq";
import { parsePrometheusText, queuesFromSamples } from "@/server/cluster/sources/rabbitmq-prometheus";

const dir = path.join(import.meta.dirname, "..", "server", "cluster", "sources", "__fixtures__");

export const text = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
export const raw = <T = any>(name: string): T => JSON.parse(text(name)) as T;
export const rawPods = (name: string): RawPod[] => {
  const j = raw<{ items?: RawPod[] } & RawPod>(name);
  return j.items ?? [j];
};
export const pods = (name: string) => rawPods(name).map(toPodInfo);
export const nodes = (name: string) => raw<{ items: Parameters<typeof toNodeInfo>[0][] }>(name).items.map(toNodeInfo);
export const apps = (name: string) => raw<{ items: Parameters<typeof toAppInfo>[0][] }>(name).items.map(toAppInfo);
/** Queues from a recorded Prometheus scrape (*.prom, what the portal reads) or a management API answer (*.json). */
export const queues = (name: string): QueueInfo[] =>
  name.endsWith(".prom")
    ? queuesFromSamples(parsePrometheusText(text(name))).queues.map((q) => ({
        ...q,
        publishRate: null,
        deliverRate: null,
      }))
    : raw<Parameters<typeof toQueueInfo>[0][]>(name).map(toQueueInfo);
export const instances = (name: string) =>
  raw<{ Instances: Instance[] }[]>(name).flatMap((r) => r.Instances.map(toEc2Instance));
/** The time the fixtures were recorded around (their newest timestamp), so age rules are stable. */
export const RECORDED_AT =
  Date.parse(raw<RawPod>("pod-oomkilled.json").status!.containerStatuses![0]!.state!.terminated!.finishedAt!) + 5_000;
