// Checks for infra/ansible: syntax, lint, phase tags and order, secrets.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { load } from "js-yaml";
import { listFiles, loadTree, type Hcl } from "./helpers/terraform";
import { REPO_ROOT, requireTool, run } from "./helpers/tools";

const ANSIBLE_DIR = path.join(REPO_ROOT, "infra/ansible");
const env = {
  ...process.env,
  ANSIBLE_CONFIG: path.join(ANSIBLE_DIR, "ansible.cfg"),
  ANSIBLE_NOCOLOR: "1",
  ANSIBLE_FORCE_COLOR: "0",
};
const PHASES = ["os", "kubernetes", "cni", "storage", "addons", "monitoring", "gitops", "messaging", "data", "apps"];

const playbook = (...args: string[]) =>
  run("ansible-playbook", ["-i", "inventory/example.yml", "site.yml", ...args], { cwd: ANSIBLE_DIR, env });

describe("ansible: site.yml", () => {
  it("passes ansible-playbook --syntax-check", () => {
    requireTool("ansible-playbook", "ansible");
    const r = playbook("--syntax-check");
    expect(r.code, r.out).toBe(0);
  });

  it("passes yamllint (infra/ansible/.yamllint)", () => {
    requireTool("yamllint");
    const r = run("yamllint", ["-s", "."], { cwd: ANSIBLE_DIR, env });
    expect(r.code, r.out).toBe(0);
  });

  it("passes ansible-lint", () => {
    requireTool("ansible-lint");
    const r = run("ansible-lint", ["--nocolor", "site.yml"], { cwd: ANSIBLE_DIR, env });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/Passed/);
  });

  it("runs the phases in order, each play tagged with its phase", () => {
    requireTool("ansible-playbook", "ansible");
    const r = playbook("--list-tags");
    expect(r.code, r.out).toBe(0);
    const playTags = [...r.stdout.matchAll(/play #\d+ \([^)]*\): .*\tTAGS: \[([^\]]*)\]/g)].map((m) => m[1]);
    const order = playTags.filter((t, i) => t !== playTags[i - 1]);
    expect(order).toEqual(PHASES);
  });

  it("each phase's tasks carry its tag alone, so --tags PHASE runs that phase only", () => {
    requireTool("ansible-playbook", "ansible");
    // One listing of every task with its effective tags (a play's tags apply to its tasks),
    // rather than one ansible-playbook run per tag.
    const r = playbook("--list-tasks");
    expect(r.code, r.out).toBe(0);
    const tasks = r.stdout
      .split("\n")
      .filter((l) => l.includes("TAGS:") && !/^\s*play #/.test(l))
      .map((l) => {
        const m = /^\s*(.*?)\s*TAGS: \[([^\]]*)\]/.exec(l);
        return {
          name: (m?.[1] ?? "").trim(),
          tags: (m?.[2] ?? "")
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        };
      });
    expect(tasks.length).toBeGreaterThan(50);
    for (const t of tasks)
      expect(
        t.tags.filter((x) => PHASES.includes(x)),
        `task "${t.name}"`,
      ).toHaveLength(1);
    const expected: Record<string, string[]> = {
      os: [
        "Python kubernetes client for the kubernetes.core modules",
        "Turn swap off now",
        "Load kernel modules now",
        "Kernel parameters for Kubernetes networking",
        "Use the systemd cgroup driver",
      ],
      kubernetes: [
        "Install kubelet, kubeadm and kubectl",
        "Kubeadm init (once)",
        "Fetch the admin kubeconfig",
        "Kubeadm join",
        "Label each node with its role and tier",
      ],
      cni: ["Tigera operator", "Calico installation with VXLAN encapsulation"],
      storage: ["EBS CSI driver", "Gp3 StorageClass"],
      addons: ["AWS Load Balancer Controller (Helm)", "ExternalDNS (Helm)", "Cert-manager official manifests"],
      monitoring: ["Kube-prometheus-stack (Helm)"],
      gitops: ["Argo CD official manifests"],
      messaging: [
        "RabbitMQ Cluster Operator",
        "RabbitmqCluster on the storage node",
        "Dead-letter queue",
        "Work queues, dead-lettering to",
      ],
      data: ["Redis (cache and Celery result backend)", "PostgreSQL StatefulSet", "Celery Beat (1 replica"],
      apps: [
        "Argo CD Applications for the workloads",
        "Ingresses for /argocd",
        "NetworkPolicies per tier",
        "Portal RBAC",
      ],
    };
    for (const [phase, names] of Object.entries(expected)) {
      for (const n of names) {
        const t = tasks.find((x) => x.name.includes(n));
        expect(t, `task "${n}"`).toBeDefined();
        expect(t?.tags, `task "${n}"`).toContain(phase);
      }
    }
  });

  it("--tags cni selects only the Calico tasks", () => {
    requireTool("ansible-playbook", "ansible");
    const r = playbook("--list-tasks", "--tags", "cni");
    const tasks = r.stdout.split("\n").filter((l) => l.includes("TAGS:") && !/^\s*play #/.test(l));
    expect(tasks.length).toBeGreaterThan(0);
    for (const l of tasks) expect(l).toMatch(/TAGS: \[cni\]/);
  });
});

describe("ansible: content", () => {
  const files = listFiles(ANSIBLE_DIR, "").filter((f) => /\.(ya?ml|j2|cfg)$/.test(f));
  const read = (rel: string) => readFileSync(path.join(ANSIBLE_DIR, rel), "utf8");

  it("pins Kubernetes 1.28.4 and uses containerd's systemd cgroup driver", () => {
    expect(read("group_vars/all/main.yml")).toMatch(/kubernetes_version: "1\.28\.4"/);
    expect(read("roles/containerd/tasks/main.yml")).toContain("SystemdCgroup = true");
    expect(read("roles/control_plane/templates/kubeadm-config.yaml.j2")).toMatch(/cgroupDriver: systemd/);
    expect(read("roles/control_plane/tasks/main.yml")).toMatch(/kubeadm init --config/);
    expect(read("roles/control_plane/tasks/main.yml")).toMatch(/ansible\.builtin\.fetch:/);
  });

  it("Calico uses VXLAN; the 5 queues dead-letter to q.dlq", () => {
    expect(read("roles/calico/tasks/main.yml")).toMatch(/encapsulation: VXLAN/);
    const vars = read("group_vars/all/main.yml");
    expect(vars).toMatch(/rabbitmq_dead_letter_queue: q\.dlq/);
    expect(vars).toMatch(/rabbitmq_work_queues: \[q\.ai, q\.batch, q\.api, q\.sched\]/);
    expect(read("roles/rabbitmq/tasks/main.yml")).toMatch(
      /dead_letter_exchange: "\{\{ rabbitmq_dead_letter_exchange \}\}"/,
    );
  });

  it("node labels carry growbin.app/role and growbin.app/tier", () => {
    const t = read("roles/node_labels/tasks/main.yml");
    expect(t).toContain('"{{ node_label_prefix }}/role": "{{ hostvars[item].node_role }}"');
    expect(t).toContain('"{{ node_label_prefix }}/tier": "{{ hostvars[item].node_tier }}"');
    expect(read("group_vars/all/main.yml")).toMatch(/node_label_prefix: growbin\.app/);
  });

  it("secrets come from ansible-vault or the environment, with no plain-text default", () => {
    const secrets = read("group_vars/all/secrets.yml");
    for (const name of ["rabbitmq_admin_password", "grafana_admin_password", "postgres_password", "redis_password"]) {
      const line = secrets.split("\n").find((l) => l.startsWith(`${name}:`));
      expect(line, name).toBeDefined();
      expect(line).toMatch(
        new RegExp(`vault_${name} \\| default\\(lookup\\('ansible\\.builtin\\.env', '[A-Z_]+'\\), true\\)`),
      );
    }
    // No literal value for anything that looks like a secret, anywhere in the Ansible tree.
    for (const f of files) {
      if (f.endsWith("vault.example.yml")) continue;
      for (const [i, line] of readFileSync(f, "utf8").split("\n").entries()) {
        const m = line.match(/^\s*"?([\w-]*(password|passwd|secret|token)[\w-]*)"?\s*:\s*(.+)$/i);
        // Keys that name a Secret or a key inside one are references, not secrets.
        if (!m || /(Key|existingSecret|secretRef|secretKeyRef)$/.test(m[1] ?? "")) continue;
        const value = (m[3] ?? "").trim();
        const ok = value.includes("{{") || value === "" || /^[|>]/.test(value) || /^\{?\s*name:/.test(value);
        expect(ok, `${path.relative(REPO_ROOT, f)}:${i + 1} has a literal secret value: ${line.trim()}`).toBe(true);
      }
    }
  });

  it("tasks that handle secrets hide them from the log", () => {
    for (const rel of [
      "roles/monitoring/tasks/main.yml",
      "roles/rabbitmq/tasks/main.yml",
      "roles/redis/tasks/main.yml",
      "roles/postgresql/tasks/main.yml",
      "roles/celery_beat/tasks/main.yml",
    ]) {
      const tasks = read(rel)
        .split("\n")
        .filter((l) => !/^\s*#/.test(l))
        .join("\n")
        .split(/\n(?=- name:)/);
      for (const t of tasks) {
        if (/password|login_user|stringData/.test(t)) expect(t, `${rel}: ${t.split("\n")[0]}`).toMatch(/no_log: true/);
      }
    }
  });
});

describe("ansible: what the modules need on the master", () => {
  const read = (rel: string) => readFileSync(path.join(ANSIBLE_DIR, rel), "utf8");
  const taskFiles = listFiles(path.join(ANSIBLE_DIR, "roles"), ".yml").filter((f) => f.includes("/tasks/"));

  it("requirements.yml pins, exactly, every collection the roles and the inventory use", () => {
    const req = load(read("requirements.yml")) as { collections: { name: string; version: string }[] };
    const pinned = Object.fromEntries(req.collections.map((c) => [c.name, c.version]));
    for (const v of Object.values(pinned)) expect(v).toMatch(/^\d+\.\d+\.\d+$/);
    const used = new Set<string>(["community.aws"]); // the aws_ssm connection of the inventory
    for (const f of [...taskFiles, path.join(ANSIBLE_DIR, "site.yml")]) {
      for (const m of readFileSync(f, "utf8").matchAll(/^\s*-?\s*([a-z_]+\.[a-z_]+)\.[a-z_0-9]+:\s*$/gm)) {
        if (m[1] !== "ansible.builtin") used.add(m[1]!);
      }
    }
    expect(Object.keys(pinned).sort()).toEqual([...used].sort());
  });

  it("the Python kubernetes client is pinned >= 19.15 (server-side apply) and installed before any server-side apply", () => {
    const version = /python_kubernetes_version: "(\d+)\.(\d+)\.(\d+)"/.exec(read("group_vars/all/main.yml"));
    expect(version, "python_kubernetes_version in group_vars").not.toBeNull();
    const [maj, min] = [Number(version![1]), Number(version![2])];
    expect(maj > 19 || (maj === 19 && min >= 15), `kubernetes ${version![0]}`).toBe(true);
    const osPrep = read("roles/os_prep/tasks/main.yml");
    expect(osPrep).toMatch(/ansible\.builtin\.pip:\n\s+name: "kubernetes==\{\{ python_kubernetes_version \}\}"/);
    expect(osPrep).toMatch(/name: python3-kubernetes\n\s+state: absent/);
    expect(/- name: Base packages\n[^\n]*\n\s+name: \[([^\]]*)\]/.exec(osPrep)?.[1]).not.toContain(
      "python3-kubernetes",
    );
    // os runs first (site.yml), on every node; server-side apply runs in later phases on the master.
    const site = read("site.yml");
    const ssaRoles = taskFiles
      .filter((f) => /^\s+server_side_apply:/m.test(readFileSync(f, "utf8")))
      .map((f) => f.split("/roles/")[1]!.split("/")[0]!);
    expect(ssaRoles.sort()).toEqual(["argocd", "calico"]);
    for (const r of ssaRoles) expect(site.indexOf(`- ${r}`), r).toBeGreaterThan(site.indexOf("- os_prep"));
  });

  it("the example inventory has exactly the variables Terraform's inventory output renders", async () => {
    const tree = await loadTree();
    const tfVars = Object.keys(((tree.modules[""]!.locals.ansible_inventory as Hcl).all as Hcl).vars as Hcl).sort();
    const example = load(read("inventory/example.yml")) as { all: { vars: Record<string, unknown> } };
    expect(Object.keys(example.all.vars).sort()).toEqual(tfVars);
  });
});
