import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireViewer } from "@/server/auth/require-user";
import { findCluster, getPodDetail, listEvents, readerOf } from "@/server/auth/page-reads";
import type { EventRow } from "@/server/cluster/reads/events";
import { READ_TIMEOUT_MS, withDeadline } from "@/server/cluster/reads/on-demand";
import { oneLine } from "@/server/cluster/health/with-timeout";
import { HealthQueryProvider } from "@/components/health/query-provider";
import { EventsCard } from "@/components/pods/events-table";
import { ContainersTable, PodConditions, PodHeader } from "@/components/pods/pod-overview";
import { PodLogs } from "@/components/pods/pod-logs";
import { PodRefresh } from "@/components/pods/pod-refresh";
import { Card } from "@/components/ui/card";

type Props = {
  params: Promise<{ cluster: string; namespace: string; pod: string }>;
  searchParams: Promise<{ log?: string; container?: string }>;
};

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const safe = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return "";
  }
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Pod ${safe((await params).pod)}` };
}

// One pod, read from the cluster on demand with the read-only identity: containers, owners, events and logs.
// A pod that does not exist (or a name that cannot be one) is a 404; the read happens before anything streams,
// so the status is a real 404.
export default async function Page({ params, searchParams }: Props) {
  const [p, sp] = await Promise.all([params, searchParams, requireViewer()]);
  const namespace = safe(p.namespace);
  const name = safe(p.pod);
  const cluster = await findCluster(safe(p.cluster));
  if (!cluster || !LABEL.test(namespace) || !SUBDOMAIN.test(name)) notFound();
  const kt = await readerOf(cluster.name);
  const pod = await withDeadline(READ_TIMEOUT_MS, (signal) => getPodDetail(kt, namespace, name, signal));
  if (!pod) notFound();
  let events: EventRow[] | undefined;
  let eventsError: string | undefined;
  try {
    events = await withDeadline(READ_TIMEOUT_MS, (signal) =>
      listEvents(kt, { kind: "pod", namespace, name, uid: pod.uid }, signal),
    );
  } catch (err) {
    eventsError = oneLine(err);
  }
  const containers = pod.containers.map((c) => ({ name: c.name, kind: c.kind }));
  // A link may name the container and the previous instance (a crash's output); otherwise the first app container.
  const wanted =
    sp.container && containers.some((c) => c.name === sp.container)
      ? sp.container
      : ((pod.containers.find((c) => c.kind === "app") ?? pod.containers[0])?.name ?? "");
  return (
    <HealthQueryProvider>
      <div className="flex flex-col gap-4">
        <div className="flex items-center justify-between gap-2">
          <p className="text-sm">
            <Link
              className="text-sky-700 hover:underline dark:text-sky-400"
              href={`/c/${encodeURIComponent(cluster.name)}`}
            >
              {cluster.name}
            </Link>{" "}
            / pods
          </p>
          <PodRefresh />
        </div>
        <PodHeader pod={pod} cluster={cluster.name} />
        <ContainersTable pod={pod} />
        <EventsCard
          cluster={cluster.name}
          scope={{ namespace, pod: name, ...(pod.uid ? { uid: pod.uid } : {}) }}
          initial={events}
          initialError={eventsError}
        />
        {wanted ? (
          <PodLogs
            cluster={cluster.name}
            namespace={namespace}
            pod={name}
            containers={containers}
            initial={{ container: wanted, previous: sp.log === "previous" }}
          />
        ) : null}
        <Card title="Conditions">
          <PodConditions pod={pod} />
        </Card>
      </div>
    </HealthQueryProvider>
  );
}
