import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { refreshApp, syncApp } from "@/server/cluster/sources/argocd";
import { KubeError, kubeGetJson, kubePatchJson } from "@/server/cluster/kube/kube-http";
import { loadKubeConfig, type KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { sandboxWithClients, waitFor } from "@/infra/sandbox/test-helpers";

// Argo CD Refresh and Sync patch a real Application in an in-process sandbox through kubeadm's admin.conf
// (a client certificate, end to end through kube-http), then through the portal's two identities. Real time (timeScale 1) so the patched object can be read before the controller consumes it.

type App = {
  metadata: { annotations?: Record<string, string> };
  operation?: { initiatedBy: { username: string }; sync: { revision: string; prune?: boolean } };
  status: { operationState?: { phase: string } };
};
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
    await waitFor(
      async () => !(await read("auth-service")).metadata.annotations?.["argocd.argoproj.io/refresh"],
      "refresh consumed",
    );
  });

  test("syncApp starts an operation with the user and revision, which runs to Succeeded", async () => {
    await syncApp(kt, "argocd", "users-service", { username: "alice", revision: "main", prune: true });
    expect((await read("users-service")).operation).toEqual({
      initiatedBy: { username: "alice" },
      sync: { revision: "main", prune: true },
    });
    const done = await waitFor(
      async () => {
        const a = await read("users-service");
        return !a.operation && a.status.operationState?.phase === "Succeeded";
      },
      "sync Succeeded",
      20_000,
    );
    expect(done).toBe(true);
  });

  test("patching an application that does not exist is a KubeError with status 404 and the apiserver's message", async () => {
    const err = await refreshApp(kt, "argocd", "no-such-app").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect(err).toMatchObject({ status: 404, message: expect.stringContaining('"no-such-app" not found') as string });
    await expect(
      syncApp(kt, "argocd", "no-such-app", { username: "alice", revision: "HEAD", prune: false }),
    ).rejects.toMatchObject({ status: 404 });
  });

  test("a patch type the apiserver refuses is a KubeError below 500", async () => {
    const err = await kubePatchJson(
      kt,
      path("waste-service"),
      {},
      AbortSignal.timeout(5000),
      "application/strategic-merge-patch+json",
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).status).toBe(415);
  });
});

describe("the portal's identities (infra/kubernetes/portal-rbac.yaml)", () => {
  const READER = "system:serviceaccount:growbin-portal:growbin-portal-reader";

  test("the operator identity refreshes an application; the read-only one is refused in words that name it and what to grant", async () => {
    await refreshApp(loadKubeConfig(sb.endpoints.kubeconfigs.operator), "argocd", "locations-service");
    expect((await read("locations-service")).metadata.annotations?.["argocd.argoproj.io/refresh"]).toBe("normal");
    const err = await refreshApp(loadKubeConfig(sb.endpoints.kubeconfigs.reader), "argocd", "locations-service").catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).status).toBe(403);
    expect((err as KubeError).message).toBe(
      `The portal's identity ${READER} may not patch applications.argoproj.io in namespace argocd: grant it "patch" on "applications" (apiGroup "argoproj.io") in a Role in argocd or its ClusterRole (infra/kubernetes/portal-rbac.yaml).`,
    );
  });

  test("a list the identity may not do says so, at the cluster scope", async () => {
    const { listApps } = await import("@/server/cluster/sources/argocd");
    const err = await listApps(loadKubeConfig(sb.endpoints.kubeconfigs.operator), AbortSignal.timeout(5000)).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(
      /^The portal's identity system:serviceaccount:growbin-portal:growbin-portal-operator may not list applications\.argoproj\.io at the cluster scope: grant it "list" on "applications"/,
    );
    expect(
      (await listApps(loadKubeConfig(sb.endpoints.kubeconfigs.reader), AbortSignal.timeout(5000))).length,
    ).toBeGreaterThan(0);
  });
});
