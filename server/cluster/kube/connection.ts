import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { ClusterConfig } from "@/server/config/clusters";

// How a cluster is reached: a read-only kubeconfig (Kubernetes, the service proxy, Argo CD reads), a
// write-capable one used only for Argo CD Refresh and Sync, plus EC2.

export type Connection = {
  cluster: string;
  /** The identity health is read with; on the real cluster a read-only ServiceAccount (infra/kubernetes/portal-rbac.yaml). */
  kubeconfig: string;
  /** The identity Argo CD Refresh and Sync patch with; the read kubeconfig when none is configured. */
  writeKubeconfig: string;
  /** The EC2 API: a sandbox names its endpoint, key pair and CA; AWS uses the default credential chain. */
  ec2: {
    region: string;
    endpoint?: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
    caFile?: string;
  };
  /** A direct management API URL when configured; otherwise the Kubernetes service proxy. */
  rabbitmq: { url?: string; vhost?: string };
};

type SandboxEndpoints = {
  ca?: string;
  kubeconfigs?: { reader: string; operator: string };
  ec2?: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
};

/** Resolves a cluster's connection from its config (reading the sandbox's endpoints.json). */
export function resolveConnection(config: ClusterConfig): Connection {
  if (config.kind === "aws") {
    return {
      // `kubeconfig` is the scripts' admin credential; the portal's own reads and writes may each have a narrower one.
      cluster: config.name,
      kubeconfig: config.readKubeconfig ?? config.kubeconfig,
      writeKubeconfig: config.writeKubeconfig ?? config.kubeconfig,
      ec2: { region: config.region },
      rabbitmq: { url: config.rabbitmqManagementUrl },
    };
  }
  const dir = config.stateDir ?? path.resolve(".data", "sandbox");
  let endpoints: SandboxEndpoints = {};
  try {
    endpoints = JSON.parse(fs.readFileSync(path.join(dir, "endpoints.json"), "utf8")) as SandboxEndpoints;
  } catch {
    // Not started yet: the sources say so in their own errors.
  }
  const e = endpoints.ec2;
  return {
    cluster: config.name,
    // The sandbox writes the same split the real cluster gets: a read-only and an Argo CD operator identity.
    kubeconfig: endpoints.kubeconfigs?.reader ?? path.join(dir, "reader.kubeconfig"),
    writeKubeconfig: endpoints.kubeconfigs?.operator ?? path.join(dir, "operator.kubeconfig"),
    ec2: e
      ? {
          region: e.region,
          endpoint: e.endpoint,
          credentials: { accessKeyId: e.accessKeyId, secretAccessKey: e.secretAccessKey },
          ...(endpoints.ca ? { caFile: endpoints.ca } : {}),
        }
      : { region: "ap-northeast-2", endpoint: "https://127.0.0.1:1/ec2" },
    rabbitmq: { vhost: config.rabbitmq?.vhost },
  };
}
