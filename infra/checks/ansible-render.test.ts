// What the first real apply depends on, checked on the rendered manifests and the
// roles: Ingresses through one ALB, NetworkPolicies per tier, the seed's replica
// counts, metrics endpoints Prometheus can reach, the API endpoint in the certificate.
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadAll } from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { ANSIBLE_DIR, renderTemplates, runRoleTasks } from "./helpers/ansible-render";
import { requireTool } from "./helpers/tools";
import { findTier } from "@/server/config/tiers";

type Obj = Record<string, any>;
const docs = (text: string) => (loadAll(text) as Obj[]).filter(Boolean);
const read = (rel: string) => readFileSync(path.join(ANSIBLE_DIR, rel), "utf8");

let ingresses: Obj[], policies: Obj[], apps: Obj[], kubeadm: Obj[], promValues: Obj, portalKubeconfig: Obj;

beforeAll(() => {
  requireTool("ansible-playbook", "ansible");
  const [ing, np, app, ka, prom, kc] = renderTemplates(
    [
      "roles/ingress/templates/ingresses.yml.j2",
      "roles/network_policies/templates/network-policies.yml.j2",
      "roles/apps/templates/applications.yml.j2",
      "roles/control_plane/templates/kubeadm-config.yaml.j2",
      "roles/monitoring/templates/kube-prometheus-stack-values.yml.j2",
      "roles/portal_access/templates/portal-read-kubeconfig.j2",
    ],
    {
      private_ip: "10.0.1.10",
      node_name: "master",
      portal_access_sa: { metadata: { name: "portal-reader", namespace: "growbin-portal" } },
      portal_access_ca: "Q0EK",
      portal_access_bearer: "test-token-not-a-secret",
    },
  );
  [ingresses, policies, apps, kubeadm] = [docs(ing!), docs(np!), docs(app!), docs(ka!)];
  promValues = docs(prom!)[0]!;
  portalKubeconfig = docs(kc!)[0]!;
}, 120_000);

describe("ingress: /argocd, /grafana, /api/v1/* through one ALB", () => {
  it("three Ingresses route the seed's paths to their Services", () => {
    const routes = ingresses.flatMap((i) =>
      (i.spec.rules[0].http.paths as Obj[]).map(
        (p) => `${i.metadata.namespace} ${p.path} -> ${p.backend.service.name}:${p.backend.service.port.number}`,
      ),
    );
    expect(routes).toEqual([
      "argocd /argocd -> argocd-server:80",
      "monitoring /grafana -> kube-prometheus-stack-grafana:80",
      "default /api/v1/auth -> auth-service:8000",
      "default /api/v1/users -> users-service:8000",
      "default /api/v1/locations -> locations-service:8000",
      "default /api/v1/recycling -> recycling-service:8000",
      "default /api/v1/waste -> waste-service:8000",
    ]);
  });

  it("they share one internet-facing HTTPS ALB with Terraform's certificate and security group", () => {
    for (const i of ingresses) {
      const a = i.metadata.annotations as Obj;
      expect(i.spec.ingressClassName).toBe("alb");
      expect(a["alb.ingress.kubernetes.io/group.name"]).toBe("growbin");
      expect(a["alb.ingress.kubernetes.io/scheme"]).toBe("internet-facing");
      expect(a["alb.ingress.kubernetes.io/target-type"]).toBe("instance");
      expect(JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"])).toEqual([{ HTTPS: 443 }]);
      expect(a["alb.ingress.kubernetes.io/certificate-arn"]).toMatch(/^arn:aws:acm:/);
      expect(a["alb.ingress.kubernetes.io/security-groups"]).toMatch(/^sg-/);
    }
  });

  it("the API Ingress routes only services that exist, and is left out while none does (one missing backend fails the whole ALB group)", () => {
    const [some, none] = [[{ name: "auth-service", path: "/api/v1/auth" }], []].map((ready) =>
      docs(renderTemplates(["roles/ingress/templates/ingresses.yml.j2"], { ingress_ready_apps: ready })[0]!),
    );
    expect(some!.find((i) => i.metadata.name === "api")?.spec.rules[0].http.paths.map((p: Obj) => p.path)).toEqual([
      "/api/v1/auth",
    ]);
    expect(none!.map((i) => i.metadata.name)).toEqual(["argocd", "grafana"]);
    expect(read("roles/ingress/tasks/main.yml")).toMatch(
      /selectattr\('name', 'in', ingress_services\.resources \| map\(attribute='metadata\.name'\)/,
    );
  }, 60_000);

  it("ExternalDNS points the domain and its names at the ALB, from one Ingress only (always present)", () => {
    const owners = ingresses.filter((i) => i.metadata.annotations["external-dns.alpha.kubernetes.io/hostname"]);
    expect(owners.map((i) => i.metadata.name)).toEqual(["argocd"]);
    expect(owners[0]!.metadata.annotations["external-dns.alpha.kubernetes.io/hostname"]).toBe(
      "growbin.app,api.growbin.app,argocd.growbin.app",
    );
    const values = read("roles/external_dns/tasks/main.yml");
    expect(values).toMatch(/policy: sync/);
    expect(values).toMatch(/txtOwnerId: "\{\{ cluster_name \}\}"/);
    expect(values).toMatch(/--zone-id-filter=\{\{ hosted_zone_id \}\}/);
  });

  it("every backend is a NodePort Service (instance targets)", () => {
    expect(promValues.grafana.service.type).toBe("NodePort");
    expect(read("roles/argocd/tasks/main.yml")).toMatch(
      /name: argocd-server\n\s+definition:\n\s+spec:\n\s+type: NodePort/,
    );
    for (const a of apps.filter((x) => x.spec.source.path.match(/service$/))) {
      expect(a.spec.source.helm.valuesObject.service?.type, a.metadata.name).toBe("NodePort");
    }
  });
});

describe("placement and replicas (seed-summary.md)", () => {
  it("Argo CD Applications carry the seed's replica counts, Celery API workers included", () => {
    const replicas = Object.fromEntries(
      apps.map((a) => [a.metadata.name, a.spec.source.helm.valuesObject.replicaCount]),
    );
    expect(replicas).toEqual({
      "auth-service": 2,
      "users-service": 1,
      "locations-service": 1,
      "recycling-service": 1,
      "waste-service": 2,
      "ai-worker": 3,
      "batch-worker": 2,
      "api-worker": 1,
    });
    const queues = Object.fromEntries(
      apps
        .filter((a) => a.spec.source.helm.valuesObject.celery)
        .map((a) => [a.metadata.name, a.spec.source.helm.valuesObject.celery.queue]),
    );
    expect(queues).toEqual({ "ai-worker": "q.ai", "batch-worker": "q.batch", "api-worker": "q.api" });
    expect(read("roles/celery_beat/templates/celery-beat.yml.j2")).toMatch(/replicas: 1\n/);
  });

  it("the Applications and data workloads carry the names the portal's tiers look for", () => {
    // The tiers' own definition, not its source text: a reformat of tiers.ts must not change what this checks.
    const tier = (id: string) =>
      (findTier(id)?.workloads ?? []).filter((w) => w.namespace === "default").map((w) => w.name);
    expect(tier("2").length).toBeGreaterThan(0);
    expect(tier("4").length).toBeGreaterThan(0);
    const names = apps.map((a) => a.metadata.name);
    for (const n of tier("2")) expect(names, `tier 2 workload ${n}`).toContain(n);
    const data =
      ["postgresql.yml.j2", "redis.yml.j2"]
        .map((f) => read(`roles/${f.replace(/\.yml\.j2$/, "")}/templates/${f}`))
        .join("\n") + read("roles/celery_beat/templates/celery-beat.yml.j2");
    for (const n of tier("4"))
      expect(data, `tier 4 workload ${n}`).toMatch(
        new RegExp(`kind: (StatefulSet|Deployment)\\nmetadata:\\n(\\s+#.*\\n)?\\s+name: ${n}\\n`),
      );
  });

  it("every Argo CD workload of the official manifests is pinned to the master", () => {
    const list = read("roles/argocd/defaults/main.yml");
    for (const w of [
      "StatefulSet, name: argocd-application-controller",
      "argocd-applicationset-controller",
      "argocd-dex-server",
      "argocd-notifications-controller",
      "argocd-redis",
      "argocd-repo-server",
      "argocd-server}",
    ])
      expect(list).toContain(w);
    const tasks = read("roles/argocd/tasks/main.yml");
    expect(tasks).toMatch(
      /- name: Pin Argo CD to the master[\s\S]*?"\{\{ node_label_prefix \}\}\/role": master[\s\S]*?node-role\.kubernetes\.io\/control-plane[\s\S]*?loop: "\{\{ argocd_workloads \}\}"/,
    );
  });
});

describe("monitoring: a default kube-prometheus-stack install scrapes every target", () => {
  it("etcd, controller-manager, scheduler and kube-proxy listen where Prometheus scrapes them", () => {
    const cluster = kubeadm.find((d) => d.kind === "ClusterConfiguration")!;
    const metricsUrl = cluster.etcd.local.extraArgs["listen-metrics-urls"] as string;
    expect(metricsUrl).toBe("http://0.0.0.0:2381");
    expect(promValues.kubeEtcd.service.targetPort).toBe(Number(new URL(metricsUrl).port));
    expect(promValues.kubeEtcd.serviceMonitor.scheme).toBe(new URL(metricsUrl).protocol.replace(":", ""));
    expect(cluster.controllerManager.extraArgs["bind-address"]).toBe("0.0.0.0");
    expect(cluster.scheduler.extraArgs["bind-address"]).toBe("0.0.0.0");
    expect(kubeadm.find((d) => d.kind === "KubeProxyConfiguration")?.metricsBindAddress).toBe("0.0.0.0:10249");
    for (const c of ["kubeControllerManager", "kubeScheduler", "kubeProxy", "kubeEtcd"])
      expect(promValues[c]?.enabled, c).not.toBe(false);
  });
});

describe("API server endpoint", () => {
  it("the certificate carries the public endpoint and 127.0.0.1; the fetched kubeconfig is pointed at it", () => {
    const sans = kubeadm.find((d) => d.kind === "ClusterConfiguration")!.apiServer.certSANs as string[];
    expect(sans).toEqual(expect.arrayContaining(["10.0.1.10", "203.0.113.10", "127.0.0.1"]));
    expect(read("roles/control_plane/tasks/main.yml")).toMatch(
      /replace: '\\1 https:\/\/\{\{ api_public_endpoint \}\}:6443'/,
    );
  });

  it("the portal's read-only kubeconfig uses a token against the public endpoint", () => {
    expect(portalKubeconfig.clusters[0].cluster.server).toBe("https://203.0.113.10:6443");
    expect(portalKubeconfig.clusters[0].cluster["certificate-authority-data"]).toBe("Q0EK");
    expect(portalKubeconfig.users[0].user.token).toBe("test-token-not-a-secret");
    expect(portalKubeconfig["current-context"]).toBe("portal-reader@growbin");
  });
});

describe("network policies: default deny, then allow, per tier", () => {
  const inNs = (ns: string) => policies.filter((p) => p.metadata.namespace === ns);

  it.each(["default", "messaging"])("namespace %s denies all ingress by default", (ns) => {
    const deny = inNs(ns).find((p) => p.metadata.name === "default-deny-ingress");
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
  });

  it("PostgreSQL and Redis admit the applications and Celery Beat only, on their ports", () => {
    for (const [app, port] of [
      ["postgresql", 5432],
      ["redis", 6379],
    ] as const) {
      const p = inNs("default").find((x) => x.spec.podSelector.matchLabels?.app === app)!;
      expect(p.spec.ingress[0].ports).toEqual([{ port, protocol: "TCP" }]);
      const from = p.spec.ingress[0].from as Obj[];
      expect(from[0]!.podSelector.matchExpressions[0].values).toContain("ai-worker");
      expect(from[1]!.podSelector.matchLabels).toEqual({ app: "celery-beat" });
      expect(
        from.some((f) => f.ipBlock || f.namespaceSelector),
        "no other source",
      ).toBe(false);
    }
  });

  it("RabbitMQ takes AMQP from the application namespace only", () => {
    const amqp = inNs("messaging").find((p) => p.metadata.name === "allow-amqp-from-apps")!;
    expect(amqp.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "default" } } }],
        ports: [{ port: 5672, protocol: "TCP" }],
      },
    ]);
  });

  it("every policy is a valid NetworkPolicy selecting pods in a tier namespace", () => {
    for (const p of policies) {
      expect(p.apiVersion).toBe("networking.k8s.io/v1");
      expect(p.kind).toBe("NetworkPolicy");
      expect(["default", "messaging"]).toContain(p.metadata.namespace);
      expect(p.spec.policyTypes).toEqual(["Ingress"]);
    }
  });
});

describe("portal access: the read-only identity of infra/kubernetes/portal-rbac.yaml", () => {
  const sa = (name: string) =>
    `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}, namespace: growbin-portal}\n`;
  const find = (manifest: string | null) => {
    const dir = mkdtempSync(path.join(tmpdir(), "growbin-rbac-"));
    try {
      const file = path.join(dir, "portal-rbac.yaml");
      if (manifest !== null) writeFileSync(file, manifest);
      return runRoleTasks(
        "portal_access",
        "find-reader",
        { portal_rbac_file: file, kubeconfig_local_path: "/tmp/x.conf", cluster_name: "growbin" },
        "READER={{ portal_access_sa.metadata.namespace }}/{{ portal_access_sa.metadata.name }}",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("picks the ServiceAccount named for reading, beside the Argo CD one", () => {
    const r = find(
      `${sa("portal-argocd")}---\n${sa("portal-reader")}---\nkind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: portal-read}\nrules: []\n`,
    );
    expect(r.code, r.out).toBe(0);
    expect(r.stdout).toContain("READER=growbin-portal/portal-reader");
  });

  it("refuses to guess between several ServiceAccounts", () => {
    const r = find(`${sa("portal-a")}---\n${sa("portal-b")}`);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(
      /has no ServiceAccount \(with a namespace\) that is clearly the read-only one; set portal_read_service_account/,
    );
  });

  it("says which file is missing", () => {
    const r = find(null);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/portal-rbac\.yaml is missing: it defines the portal's read-only and Argo CD identities/);
  });
});
