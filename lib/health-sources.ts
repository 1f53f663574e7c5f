// The health sources as everyone names them: the tier cards, the error panels and the CLI. Client-safe (no
// "server-only", no server imports): this is the half of a source's registry entry the browser may see; the
// read, its timeout, its detector and its tier mapping are the other half, in server/cluster/sources/registry.ts,
// which is typed by this list and refuses to compile while a name here has no entry there (or the reverse).

/** Every source, in the order panels and the CLI list them, with the one title used for it on screen. */
export const HEALTH_SOURCES = [
  { name: "ec2", title: "EC2 instances" },
  { name: "nodes", title: "Nodes" },
  { name: "pods", title: "Pods" },
  { name: "controlPlane", title: "Control plane" },
  { name: "monitoring", title: "Monitoring stack" },
  { name: "rabbitmq", title: "RabbitMQ" },
  { name: "argocd", title: "Argo CD" },
  { name: "alerts", title: "Alertmanager alerts" },
] as const;

/** One source's name. */
export type SourceName = (typeof HEALTH_SOURCES)[number]["name"];

/** Every source's name, in list order. */
export const SOURCE_NAMES: SourceName[] = HEALTH_SOURCES.map((s) => s.name);

/** What each source is called on screen and in the CLI. */
export const SOURCE_TITLES = Object.fromEntries(HEALTH_SOURCES.map((s) => [s.name, s.title])) as Record<
  SourceName,
  string
>;
