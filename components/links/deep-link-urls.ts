// Deep links into the team's tools from a tier, a node or an Argo CD app, built from the cluster's
// configured base URLs (`links` in the cluster config). No base URL, no link. Only http(s) bases are
// used, so a config value can never become a javascript: link.

export type ToolLinks = { grafana?: string; argocd?: string; rabbitmq?: string; ec2Console?: string };
export type DeepLink = { tool: "Grafana" | "Argo CD" | "RabbitMQ" | "EC2 console"; label: string; href: string };

function base(url: string | undefined): URL | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u : null;
  } catch {
    return null;
  }
}

const withPath = (u: URL, path: string) => {
  u.pathname = `${u.pathname.replace(/\/+$/, "")}${path}`;
  return u.toString();
};

/** Grafana with the dashboard's `var-<name>` set (the base is a dashboard URL; a root URL ignores them). */
function grafana(links: ToolLinks, vars: [string, string][], label: string): DeepLink[] {
  const u = base(links.grafana);
  if (!u) return [];
  for (const [k, v] of vars) u.searchParams.append(`var-${k}`, v);
  return [{ tool: "Grafana", label, href: u.toString() }];
}

/** The EC2 console's instance list, searched (the base is the console's EC2 home for the region). */
function ec2(links: ToolLinks, fragment: string, label: string): DeepLink[] {
  const u = base(links.ec2Console);
  if (!u) return [];
  u.hash = fragment;
  return [{ tool: "EC2 console", label, href: u.toString() }];
}

/** Links for a tier: its namespaces in Grafana, Argo CD's applications, its queues, its instances. */
export function tierLinks(
  links: ToolLinks,
  t: { cluster: string; id: string; namespaces: string[]; queues: string[] },
): DeepLink[] {
  const argo = base(links.argocd);
  const rabbit = t.queues.length ? base(links.rabbitmq) : null;
  if (rabbit) rabbit.hash = "/queues";
  return [
    ...grafana(
      links,
      t.namespaces.map((n) => ["namespace", n]),
      `Tier ${t.id} dashboards`,
    ),
    ...(argo ? [{ tool: "Argo CD" as const, label: "Applications", href: withPath(argo, "/applications") }] : []),
    ...(rabbit ? [{ tool: "RabbitMQ" as const, label: "Queues", href: rabbit.toString() }] : []),
    ...ec2(links, `Instances:tag:Cluster=${t.cluster}`, "Instances"),
  ];
}

/** Links for a node: its Grafana dashboard and its EC2 instance. */
export function nodeLinks(links: ToolLinks, n: { node: string; instanceId?: string | null }): DeepLink[] {
  return [
    ...grafana(links, [["node", n.node]], `${n.node} dashboard`),
    ...ec2(
      links,
      n.instanceId ? `InstanceDetails:instanceId=${n.instanceId}` : `Instances:search=${n.node}`,
      "Instance",
    ),
  ];
}

/** The Argo CD UI page of one application. */
export function appLink(links: ToolLinks, app: string): DeepLink | null {
  const u = base(links.argocd);
  return u ? { tool: "Argo CD", label: app, href: withPath(u, `/applications/${encodeURIComponent(app)}`) } : null;
}

/** One queue in the RabbitMQ management UI. */
export function queueLink(links: ToolLinks, queue: string, vhost = "/"): DeepLink | null {
  const u = base(links.rabbitmq);
  if (!u) return null;
  u.hash = `/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`;
  return { tool: "RabbitMQ", label: queue, href: u.toString() };
}
