import type { Metadata } from "next";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { requireViewer } from "@/server/auth/require-user";
import { hasRole } from "@/server/auth/roles";
import { NODES } from "@/server/runs/pipelines";
import { ec2RegionOf } from "@/server/cluster/reads/on-demand";
import { findCluster, getHealth } from "@/server/auth/page-reads";
import { nodeView } from "@/server/cluster/health/health-views";
import { HealthQueryProvider } from "@/components/health/query-provider";
import { NodeLive } from "@/components/health/node-live";
import { NodeDeepLinks } from "@/components/links/node-deep-links";

type Props = { params: Promise<{ cluster: string; node: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Node ${decodeURIComponent((await params).node)}` };
}

async function Node({
  cluster,
  name,
  region,
  sandbox,
}: {
  cluster: string;
  name: string;
  region: string;
  sandbox: boolean;
}) {
  const [h, user] = await Promise.all([getHealth(cluster), requireViewer()]);
  const view = nodeView(h, name, region);
  if (!view) notFound();
  // Reset node is offered only for a node of the allow-list that the cluster has registered.
  const resettable = (NODES as readonly string[]).includes(name) && Boolean(view.node);
  return (
    <NodeLive
      cluster={cluster}
      name={name}
      initial={view}
      initialAt={Date.parse(h.at)}
      isAdmin={hasRole(user?.role, "admin")}
      resettable={resettable}
      sandbox={sandbox}
    />
  );
}

// One node: conditions, pods, the Session Manager command, and Reset node for admins.
export default async function Page({ params }: Props) {
  const [p] = await Promise.all([params, requireViewer()]);
  const cluster = await findCluster(decodeURIComponent(p.cluster));
  if (!cluster) notFound();
  const name = decodeURIComponent(p.node);
  // Decided before anything streams: once the page has started streaming, a 404 could only be drawn, not sent.
  if (!nodeView(await getHealth(cluster.name), name, null)) notFound();
  return (
    <HealthQueryProvider>
      <NodeDeepLinks config={cluster.config} node={name} />
      <Suspense
        fallback={<div className="h-64 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-busy="true" />}
      >
        <Node
          cluster={cluster.name}
          name={name}
          region={ec2RegionOf(cluster.config)}
          sandbox={cluster.kind === "sandbox"}
        />
      </Suspense>
    </HealthQueryProvider>
  );
}
