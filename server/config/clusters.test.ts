import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { resolveConnection } from "@/server/cluster/kube/connection";
import { ClusterConfigError, clusterApproval, loadClusterConfig, parseClusterConfig } from "@/server/config/clusters";

const example = fs.readFileSync(path.resolve("portal.config.example.json"), "utf8");

describe("cluster config", () => {
  test("with no config file there is exactly one sandbox cluster, growbin-sandbox, in the data folder", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cfg-"));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const clusters = loadClusterConfig(undefined, ".data");
      expect(clusters).toHaveLength(1);
      expect(clusters[0]).toMatchObject({ name: "growbin-sandbox", kind: "sandbox" });
      expect(clusters[0]!.kind === "sandbox" && clusters[0]!.stateDir).toBe(
        path.join(fs.realpathSync(dir), ".data", "sandbox"),
      );
    } finally {
      process.chdir(cwd);
    }
  });

  test("the documented example validates, with its AWS cluster and its sandbox", () => {
    const clusters = parseClusterConfig(example, "portal.config.example.json", "/data");
    expect(clusters.map((c) => [c.name, c.kind])).toEqual([
      ["growbin-prod", "aws"],
      ["growbin-sandbox", "sandbox"],
    ]);
  });

  test("an aws cluster reads health with readKubeconfig and patches with writeKubeconfig; both default to the admin kubeconfig", () => {
    const [split] = parseClusterConfig(example, "portal.config.example.json", "/data");
    expect(resolveConnection(split!)).toMatchObject({
      kubeconfig: "/etc/growbin/portal-reader.kubeconfig",
      writeKubeconfig: "/etc/growbin/portal-operator.kubeconfig",
    });
    const [plain] = parseClusterConfig(
      '{"clusters":[{"name":"prod","kind":"aws","region":"ap-northeast-2","kubeconfig":"/k/admin.conf"}]}',
      "c.json",
      "/d",
    );
    expect(resolveConnection(plain!)).toMatchObject({ kubeconfig: "/k/admin.conf", writeKubeconfig: "/k/admin.conf" });
  });

  test("a sandbox cluster uses the sandbox's reader and operator kubeconfigs", () => {
    const [sb] = parseClusterConfig(
      '{"clusters":[{"name":"sb-one","kind":"sandbox","stateDir":"/st"}]}',
      "c.json",
      "/d",
    );
    expect(resolveConnection(sb!)).toMatchObject({
      kubeconfig: "/st/reader.kubeconfig",
      writeKubeconfig: "/st/operator.kubeconfig",
    });
  });

  test("a file that is not JSON is named in a one-line error", () => {
    expect(() => parseClusterConfig("{ clusters: [", "my.json", "/d")).toThrow(/^my\.json: not valid JSON: /);
  });

  test.each([
    ['{"clusters":[{"name":"Bad Name","kind":"sandbox"}]}', /^c\.json: clusters\.0\.name: must be lower-case/],
    ['{"clusters":[{"name":"prod","kind":"gcp"}]}', /^c\.json: clusters\.0\.kind: /],
    [
      '{"clusters":[{"name":"prod","kind":"aws","region":"seoul","kubeconfig":"k"}]}',
      /^c\.json: clusters\.0\.region: must be an AWS region/,
    ],
    ['{"clusters":[{"name":"prod","kind":"aws","region":"ap-northeast-2"}]}', /^c\.json: clusters\.0\.kubeconfig: /],
    ['{"clusters":[]}', /^c\.json: clusters: must list at least one cluster/],
    [
      '{"clusters":[{"name":"aa","kind":"sandbox"},{"name":"aa","kind":"sandbox"}]}',
      /^c\.json: clusters\.1\.name: duplicate cluster name "aa"/,
    ],
    ['{"clusters":[{"name":"aa","kind":"sandbox","passwrd":"x"}]}', /^c\.json: clusters\.0: Unrecognized key/],
    [
      '{"clusters":[{"name":"aa","kind":"sandbox","approval":{"required":"yes"}}]}',
      /^c\.json: clusters\.0\.approval\.required: /,
    ],
    [
      '{"clusters":[{"name":"aa","kind":"sandbox","approval":{"approverRole":"viewer"}}]}',
      /^c\.json: clusters\.0\.approval\.approverRole: must be "operator" or "admin"/,
    ],
    [
      '{"clusters":[{"name":"aa","kind":"sandbox","approval":{"expiresAfterMinutes":0}}]}',
      /^c\.json: clusters\.0\.approval\.expiresAfterMinutes: must be at least 1 minute/,
    ],
    [
      '{"clusters":[{"name":"aa","kind":"sandbox","approval":{"expiresAfterMinutes":1.5}}]}',
      /^c\.json: clusters\.0\.approval\.expiresAfterMinutes: must be a whole number/,
    ],
    [
      '{"clusters":[{"name":"aa","kind":"sandbox","approval":{"requird":true}}]}',
      /^c\.json: clusters\.0\.approval: Unrecognized key/,
    ],
  ])("%s is refused naming the key and the problem", (text, pattern) => {
    let error: unknown;
    try {
      parseClusterConfig(text, "c.json", "/d");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ClusterConfigError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain("\n");
  });

  test("approval is required by default on aws and off on the sandbox; admin approves within 60 minutes unless set", () => {
    const [prod, sb] = parseClusterConfig(example, "portal.config.example.json", "/data");
    expect(clusterApproval(prod!)).toEqual({ required: true, approverRole: "admin", expiresAfterMinutes: 60 });
    expect(clusterApproval(sb!)).toEqual({ required: false, approverRole: "admin", expiresAfterMinutes: 60 });
    const [guarded] = parseClusterConfig(
      '{"clusters":[{"name":"sb","kind":"sandbox","approval":{"required":true,"approverRole":"operator","expiresAfterMinutes":5}}]}',
      "c.json",
      "/d",
    );
    expect(clusterApproval(guarded!)).toEqual({ required: true, approverRole: "operator", expiresAfterMinutes: 5 });
  });

  test("a named config file that does not exist is refused, not replaced by the default", () => {
    expect(() => loadClusterConfig("/nonexistent/portal.json", ".data")).toThrow(
      /^\/nonexistent\/portal\.json: cannot read: ENOENT/,
    );
  });
});
