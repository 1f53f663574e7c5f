import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { refreshApp, syncApp } from "@/server/cluster/argocd";
import { KubeError, kubeGetJson, kubePatchJson } from "@/server/cluster/kube-http";
import { loadKubeConfig, type KubeTarget } from "@/server/cluster/kubeconfig";
import { sandboxWithClients, waitFor } from "@/infra/sandbox/test-helpers";

// Argo CD Refresh and Sync patch a real Application in an in-process sandbox through the sandbox's own
// kubeconfig. Real time (timeScale 1) so the patched object can be read before the controller consumes it.

type App = { metadata: { annotations?: Record<string, string> }; operation?: { initiatedBy: { username: string }; sync: { revision: string; prune?: boolean } }; status: { operationState?: { phase: string } } };
const path = (name: string) => `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/${name}`;

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let kt: KubeTarget;
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true, timeScale: 1 });
  kt = loadKubeConfig(sb.kubeconfigPath);
});
afterAll(() => sb?.close());

const read = (name: string) => kubeGetJson<App>(kt, path(name), AbortSignal.timeout(5000));

describe("Argo CD patches against the sandbox", () => {
  test("refreshApp sets the refresh annotation, which the controller then consumes", async () => {
    await refreshApp(kt, "argocd", "auth-service");
    expect((await read("auth-service")).metadata.annotations?.["argocd.argoproj.io/refresh"]).toBe("normal");
    await waitFor(async () => !(await read("auth-service")).metadata.annotations?.["argocd.argoproj.io/refresh"], "refresh consumed");
  });

  test("syncApp starts an operation with the user and revision, which runs to Succeeded", async () => {
    await syncApp(kt, "argocd", "users-service", { username: "alice", revision: "main", prune: true });
    expect((await read("users-service")).operation).toEqual({ initiatedBy: { username: "alice" }, sync: { revision: "main", prune: true } });
    const done = await waitFor(async () => {
      const a = await read("users-service");
      return !a.operation && a.status.operationState?.phase === "Succeeded";
    }, "sync Succeeded", 20_000);
    expect(done).toBe(true);
  });

  test("patching an application that does not exist is a KubeError with status 404 and the apiserver's message", async () => {
    const err = await refreshApp(kt, "argocd", "no-such-app").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect(err).toMatchObject({ status: 404, message: expect.stringContaining('"no-such-app" not found') as string });
    await expect(syncApp(kt, "argocd", "no-such-app", { username: "alice", revision: "HEAD", prune: false })).rejects.toMatchObject({ status: 404 });
  });

  test("a patch type the apiserver refuses is a KubeError below 500", async () => {
    const err = await kubePatchJson(kt, path("waste-service"), {}, AbortSignal.timeout(5000), "application/strategic-merge-patch+json").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).status).toBe(415);
  });
});
