"use client";
import { Suspense, useState } from "react";
import { useCurrentCluster } from "@/components/shell/use-current-cluster";
import { NavLinks } from "@/components/shell/nav-links";
import { ClusterSwitcher } from "@/components/shell/cluster-switcher";
import { ThemeToggle } from "@/components/shell/theme-toggle";

// The portal's frame: sidebar (a drawer on phones), cluster switcher, user and role, theme, sign-out.
type Props = {
  clusters: { name: string; kind: string }[];
  cluster: string;
  user: { name: string; role: string };
  theme: "light" | "dark";
  signOut: () => Promise<void>;
  banner?: React.ReactNode;
  children: React.ReactNode;
};

export function Shell({ clusters, cluster, user, theme, signOut, banner, children }: Props) {
  const [open, setOpen] = useState(false);
  const sidebar = (
    <Suspense fallback={null}>
      <Sidebar
        clusters={clusters}
        fallbackCluster={cluster}
        user={user}
        theme={theme}
        signOut={signOut}
        onNavigate={() => setOpen(false)}
      />
    </Suspense>
  );
  return (
    <div className="min-h-screen md:grid md:grid-cols-[15rem_1fr]">
      <aside className="hidden border-r border-slate-200 bg-white md:block dark:border-slate-800 dark:bg-slate-900">
        {sidebar}
      </aside>
      <div className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-2 md:hidden dark:border-slate-800 dark:bg-slate-900">
        <span className="font-semibold">Growbin Ops</span>
        <button
          type="button"
          aria-expanded={open}
          aria-controls="mobile-nav"
          onClick={() => setOpen(!open)}
          className="rounded-md px-2 py-1 text-sm"
        >
          {open ? "Close" : "Menu"}
        </button>
      </div>
      {open ? (
        <aside
          id="mobile-nav"
          className="border-b border-slate-200 bg-white md:hidden dark:border-slate-800 dark:bg-slate-900"
        >
          {sidebar}
        </aside>
      ) : null}
      <div className="min-w-0">
        {banner}
        <main className="mx-auto max-w-7xl p-4 md:p-6">{children}</main>
      </div>
    </div>
  );
}

function Sidebar({
  clusters,
  fallbackCluster,
  user,
  theme,
  signOut,
  onNavigate,
}: Omit<Props, "cluster" | "banner" | "children"> & { fallbackCluster: string; onNavigate: () => void }) {
  // A cluster named in the URL that does not exist (a mistyped ?cluster=) must not leak into every sidebar link.
  const named = useCurrentCluster(fallbackCluster);
  const cluster = clusters.some((c) => c.name === named) ? named : fallbackCluster;
  return (
    <nav aria-label="Main" className="flex h-full flex-col gap-4 p-4">
      <div className="text-base font-semibold">Growbin Ops</div>
      <ClusterSwitcher clusters={clusters} current={cluster} />
      <NavLinks cluster={cluster} role={user.role} onNavigate={onNavigate} />
      <div className="mt-auto flex flex-col gap-2 border-t border-slate-200 pt-3 text-sm dark:border-slate-800">
        <div>
          <div className="font-medium" data-testid="user-name">
            {user.name}
          </div>
          <div className="text-xs text-slate-500" data-testid="user-role">
            {user.role}
          </div>
        </div>
        <div className="flex items-center justify-between">
          <ThemeToggle initial={theme} />
          <form action={signOut}>
            <button
              type="submit"
              className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
            >
              Sign out
            </button>
          </form>
        </div>
      </div>
    </nav>
  );
}
