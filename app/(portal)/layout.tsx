import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { Shell } from "@/components/shell/shell";
import { ActiveRunBanner } from "@/components/runs/active-run-banner";
import { currentUser } from "@/server/auth/current-user";
import { listClusters } from "@/server/cluster/health/find-clusters";
import { listActiveRuns } from "@/server/runs/find-runs";
import { signOutAction } from "@/server/actions/auth-actions";

// Every portal page: signed-in users only (checked here and again by each page's data and actions).
export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/signin");
  const [clusters, active, jar] = await Promise.all([listClusters(), listActiveRuns(), cookies()]);
  const remembered = jar.get("cluster")?.value;
  const fallback = clusters.find((c) => c.name === remembered)?.name ?? clusters[0]?.name ?? "";
  return (
    <Shell
      clusters={clusters.map((c) => ({ name: c.name, kind: c.kind }))}
      cluster={fallback}
      user={{ name: user.name, role: user.role }}
      theme={jar.get("theme")?.value === "dark" ? "dark" : "light"}
      signOut={signOutAction}
      banner={<ActiveRunBanner runs={active} />}
    >
      {children}
    </Shell>
  );
}
