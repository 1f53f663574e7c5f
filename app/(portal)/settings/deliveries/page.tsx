import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { DeliveriesTable } from "@/components/notify/deliveries-table";
import { WebhooksTable } from "@/components/notify/webhooks-table";
import { requireAdmin } from "@/server/auth/require-user";
import { listDeliveries, listWebhooks } from "@/server/auth/page-reads";

export const metadata: Metadata = { title: "Webhook deliveries" };

const FILTERS = ["all", "failed", "pending", "delivered"] as const;
type Props = { searchParams: Promise<{ status?: string }> };

// Admins see the configured webhooks (URLs masked) and every delivery: status code, attempts, last error.
export default async function DeliveriesPage({ searchParams }: Props) {
  const [, sp] = await Promise.all([requireAdmin(), searchParams]);
  const status = FILTERS.find((f) => f === sp.status && f !== "all") as "failed" | "pending" | "delivered" | undefined;
  const [webhooks, deliveries] = await Promise.all([listWebhooks(), listDeliveries({ limit: 200, status })]);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/settings" className="text-sm text-slate-500 hover:underline">
          ← Settings
        </Link>
        <h1 className="text-xl font-semibold">Webhook deliveries</h1>
      </div>
      <Card title="Configured webhooks">
        {webhooks.length ? (
          <WebhooksTable rows={webhooks} />
        ) : (
          <EmptyState title="No webhooks are configured">
            Add <code>webhooks</code> to a cluster in the config file (see the README), then restart the portal.
          </EmptyState>
        )}
      </Card>
      <Card
        title="Deliveries"
        action={
          <nav className="flex gap-2 text-sm" aria-label="Filter deliveries">
            {FILTERS.map((f) => (
              <Link
                key={f}
                href={f === "all" ? "/settings/deliveries" : `/settings/deliveries?status=${f}`}
                aria-current={(status ?? "all") === f ? "page" : undefined}
                className="rounded px-2 py-0.5 aria-[current=page]:bg-slate-200 dark:aria-[current=page]:bg-slate-700"
              >
                {f}
              </Link>
            ))}
          </nav>
        }
      >
        {deliveries.length ? (
          <DeliveriesTable rows={deliveries} />
        ) : (
          <EmptyState title="No deliveries yet">
            Runs and tier changes on clusters with webhooks show up here.
          </EmptyState>
        )}
      </Card>
    </div>
  );
}
