"use client";
import { usePathname, useRouter } from "next/navigation";

// Switches cluster while staying on the same kind of page; remembers the choice in a cookie.
export function ClusterSwitcher({
  clusters,
  current,
}: {
  clusters: { name: string; kind: string }[];
  current: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-500">
      Cluster
      <select
        aria-label="Cluster"
        value={current}
        onChange={(e) => {
          const next = e.target.value;
          document.cookie = `cluster=${encodeURIComponent(next)}; path=/; max-age=31536000; samesite=lax`;
          const m = pathname.match(/^\/c\/[^/]+(\/.*)?$/);
          router.push(
            m
              ? `/c/${encodeURIComponent(next)}${m[1] ?? ""}`
              : pathname.startsWith("/runs")
                ? `/runs?cluster=${encodeURIComponent(next)}`
                : `/c/${encodeURIComponent(next)}`,
          );
          router.refresh();
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
      >
        {clusters.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name} ({c.kind})
          </option>
        ))}
      </select>
    </label>
  );
}
