// Programmatic API: start a sandbox in-process (same server code as the detached one), one per test file.
import { startServer } from "./server";
import type { Endpoints } from "./state-dir";

export type { Endpoints } from "./state-dir";
export type { SandboxOptions } from "./types";

// Starts a sandbox on a state folder and returns its client files and a stop function.
export async function startSandbox(opts: {
  stateDir: string;
  port?: number;
  timeScale?: number;
  provisioned?: boolean;
  cluster?: string;
  amqpUrl?: string;
  rabbitmqApi?: string;
  rabbitmqVhost?: string;
  nodes?: number;
  podsPerNode?: number;
}): Promise<{ kubeconfigPath: string; endpoints: Endpoints; url: string; stop(): Promise<void> }> {
  const s = await startServer(opts);
  // admin.conf: kubeadm's client-certificate kubeconfig (reader and operator token kubeconfigs are in endpoints.kubeconfigs).
  return { kubeconfigPath: s.endpoints.kubeconfigs.admin, endpoints: s.endpoints, url: s.url, stop: s.stop };
}
