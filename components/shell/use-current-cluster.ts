"use client";
import { usePathname, useSearchParams } from "next/navigation";

// The cluster the page is about: from /c/<name>/..., from ?cluster=, else the remembered default.
export function useCurrentCluster(fallback: string): string {
  const pathname = usePathname();
  const params = useSearchParams();
  const m = pathname.match(/^\/c\/([^/]+)/);
  if (m) return decodeURIComponent(m[1]!);
  // An empty ?cluster= (the runs filter "all") means no cluster: the sidebar must never build "/c//tiers".
  return params.get("cluster") || fallback;
}
