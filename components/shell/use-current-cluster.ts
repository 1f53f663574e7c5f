"use client";
import { usePathname, useSearchParams } from "next/navigation";

// The cluster the page is about: from /c/<name>/..., from ?cluster=, else the remembered default.
export function useCurrentCluster(fallback: string): string {
  const pathname = usePathname();
  const params = useSearchParams();
  const m = pathname.match(/^\/c\/([^/]+)/);
  if (m) return decodeURIComponent(m[1]!);
  return params.get("cluster") ?? fallback;
}
