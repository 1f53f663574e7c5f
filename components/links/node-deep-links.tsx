import type { ClusterConfig } from "@/server/config/clusters";
import { DeepLinks } from "@/components/links/deep-links";
import { nodeLinks } from "@/components/links/deep-link-urls";

// A node's links to its Grafana dashboard and its EC2 instance (server component).
export function NodeDeepLinks({ config, node }: { config: ClusterConfig; node: string }) {
  return <DeepLinks links={nodeLinks(config.links ?? {}, { node })} />;
}
