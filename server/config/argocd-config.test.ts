import { expect, test } from "vitest";
import { argoAppNamespaces, ClusterConfigError, parseClusterConfig } from "@/server/config/clusters";

// The `argocd.appNamespaces` key: which namespaces' Argo CD Applications the portal may Refresh and Sync.

const withArgo = (argocd: unknown) => JSON.stringify({ clusters: [{ name: "c1", kind: "sandbox", argocd }] });

test("without the key only the argocd namespace is allowed; the key replaces that list", () => {
  const [plain] = parseClusterConfig(
    JSON.stringify({ clusters: [{ name: "c1", kind: "sandbox" }] }),
    "cfg",
    "/tmp/data",
  );
  expect(argoAppNamespaces(plain!)).toEqual(["argocd"]);
  const [wide] = parseClusterConfig(withArgo({ appNamespaces: ["argocd", "team-a"] }), "cfg", "/tmp/data");
  expect(argoAppNamespaces(wide!)).toEqual(["argocd", "team-a"]);
});

test("a bad list is a clear config error naming the key", () => {
  expect(() => parseClusterConfig(withArgo({ appNamespaces: [] }), "cfg", "/tmp/data")).toThrow(ClusterConfigError);
  expect(() => parseClusterConfig(withArgo({ appNamespaces: ["Team_A"] }), "cfg", "/tmp/data")).toThrow(
    /clusters\.0\.argocd\.appNamespaces\.0: must be a namespace name/,
  );
  expect(() => parseClusterConfig(withArgo({ namespaces: ["argocd"] }), "cfg", "/tmp/data")).toThrow(/argocd/);
});
