"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

// The sidebar's links; the current page is marked for sighted and screen-reader users alike. Pages a role
// cannot open (Audit and Settings are admin's) are not offered.
export function NavLinks({ cluster, role, onNavigate }: { cluster: string; role: string; onNavigate?: () => void }) {
  const pathname = usePathname();
  const c = encodeURIComponent(cluster);
  const links = [
    { href: `/c/${c}`, label: "Overview", exact: true },
    { href: `/runs?cluster=${c}`, match: "/runs", label: "Runs" },
    { href: `/c/${c}/tiers`, label: "Tiers" },
    { href: `/c/${c}/queues`, label: "Queues" },
    { href: `/c/${c}/argocd`, label: "Argo CD" },
    { href: "/audit", label: "Audit", admin: true },
    { href: "/settings", label: "Settings", admin: true },
  ].filter((l) => !l.admin || role === "admin");
  return (
    <ul className="flex flex-col gap-0.5">
      {links.map((l) => {
        const base = l.match ?? l.href.split("?")[0]!;
        const active = l.exact ? pathname === base : pathname === base || pathname.startsWith(base + "/");
        return (
          <li key={l.label}>
            <Link
              href={l.href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cn(
                "block rounded-md px-3 py-2 text-sm",
                active
                  ? "bg-sky-50 font-medium text-sky-700 dark:bg-sky-950 dark:text-sky-300"
                  : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
              )}
            >
              {l.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
