import "server-only";
import { env } from "@/server/env";
import { loadClusterConfig, type ClusterConfig } from "@/server/config/clusters";

// The one way every entry point (npm start, npm run worker, npm run cli) reads the cluster list, so a
// cluster added to portal.config.json is known to whichever of them starts next, without a restart of
// the others.

/** The configured clusters: PORTAL_CONFIG, else ./portal.config.json, else the embedded sandbox. */
export function loadPortalClusters(): ClusterConfig[] {
  const e = env();
  return loadClusterConfig(e.PORTAL_CONFIG, e.PORTAL_DATA_DIR);
}
