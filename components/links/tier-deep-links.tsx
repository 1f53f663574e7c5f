import type { ClusterConfig } from "@/server/config/clusters";
import { findTier } from "@/server/config/tiers";
import { DeepLinks } from "@/components/links/deep-links";
import { tierLinks } from "@/components/links/deep-link-urls";

// A tier's links to Grafana, Argo CD, RabbitMQ and the EC2 console (server component).
export function TierDeepLinks({ config, tier }: { config: ClusterConfig; tier: string }) {
  const def = findTier(tier);
  if (!def) return null;
  return (
    <DeepLinks
      links={tierLinks(config.links ?? {}, {
        cluster: config.name,
        id: def.id,
        namespaces: def.namespaces,
        queues: def.queues,
      })}
    />
  );
}
