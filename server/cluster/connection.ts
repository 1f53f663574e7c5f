import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { ClusterConfig } from "@/server/config/clusters";

// How a cluster is reached: one kubeconfig (Kubernetes, the RabbitMQ service proxy, Argo CD) plus EC2.

export type Connection = {
  cluster: string;
  kubeconfig: string;
  /** The EC2 API: a sandbox names its endpoint and key pair; AWS uses the default credential chain. */
  ec2: { region: string; endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } };
  /** A direct management API URL when configured; otherwise the Kubernetes service proxy. */
  rabbitmq: { url?: string; vhost?: string };
};

type SandboxEndpoints = { ec2?: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string } };

/** Resolves a cluster's connection from its config (reading the sandbox's endpoints.json). */
export function resolveConnection(config: ClusterConfig): Connection {
  if (config.kind === "aws") {
    return { cluster: config.name, kubeconfig: config.kubeconfig, ec2: { region: config.region }, rabbitmq: { url: config.rabbitmqManagementUrl } };
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
    kubeconfig: path.join(dir, "kubeconfig"),
    ec2: e ? { region: e.region, endpoint: e.endpoint, credentials: { accessKeyId: e.accessKeyId, secretAccessKey: e.secretAccessKey } } : { region: "ap-northeast-2", endpoint: "http://127.0.0.1:1/ec2" },
    rabbitmq: { vhost: config.rabbitmq?.vhost },
  };
}
