import type { ClusterConfig } from "@/server/config/clusters";
import { getHealth } from "@/server/cluster/health/get-health";
import { DeepLinks } from "@/components/links/deep-links";
import { appLink } from "@/components/links/deep-link-urls";

// Each Argo CD application's page in the Argo CD UI (server component; the health read is shared and cached).
export async function ArgoAppLinks({ config }: { config: ClusterConfig }) {
  if (!appLink(config.links ?? {}, "x")) return null;
  const apps = (await getHealth(config.name).catch(() => null))?.data.argocd ?? [];
  return <DeepLinks title="Open in Argo CD" links={apps.map((a) => appLink(config.links ?? {}, a.name)!)} />;
}
