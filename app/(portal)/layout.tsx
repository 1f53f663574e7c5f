import { cookies } from "next/headers";
import { Shell } from "@/components/shell/shell";
import { ActiveRunBanner } from "@/components/runs/active-run-banner";
import { requireViewer } from "@/server/auth/require-user";
import { listActiveRuns, listClusters } from "@/server/auth/page-reads";
import { signOutAction } from "@/server/actions/auth-actions";

// The frame of every portal page, for signed-in users. It is not the pages' guard: Next renders a layout and its
// page in parallel, so each page calls requireViewer()/requireAdmin() itself and reads through page-reads.ts.
export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await requireViewer();
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
