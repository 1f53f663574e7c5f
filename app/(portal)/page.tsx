import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { requireViewer } from "@/server/auth/require-user";
import { listClusters } from "@/server/auth/page-reads";

// "/" opens the remembered (or first) cluster's overview.
export default async function Home() {
  const jar = await cookies(); // first: marks the page dynamic before any database read
  await requireViewer();
  const clusters = await listClusters();
  const remembered = jar.get("cluster")?.value;
  const target = clusters.find((c) => c.name === remembered) ?? clusters[0];
  if (target) redirect(`/c/${encodeURIComponent(target.name)}`);
  return (
    <EmptyState title="No cluster is configured">
      Add one to portal.config.json (see portal.config.example.json and the README), then restart the portal.
    </EmptyState>
  );
}
