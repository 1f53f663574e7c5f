"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";

// Re-reads the pod (containers, owners) from the cluster without touching the log view or the scroll: the page
// is a server component, and a refresh keeps client state. Events refresh on their own.
export function PodRefresh() {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button size="sm" variant="secondary" disabled={pending} onClick={() => start(() => router.refresh())}>
      {pending ? "Reading…" : "Re-read pod"}
    </Button>
  );
}
