import type { DeepLink } from "@/components/links/deep-link-urls";

// A row of links out to the team's tools; nothing at all when none is configured.
export function DeepLinks({ links, title = "Open in" }: { links: DeepLink[]; title?: string }) {
  if (!links.length) return null;
  return (
    <nav aria-label="Links to other tools" className="flex flex-wrap items-center gap-2 text-sm">
      <span className="text-slate-500">{title}</span>
      {links.map((l) => (
        <a
          key={l.href}
          href={l.href}
          target="_blank"
          rel="noopener noreferrer"
          className="rounded-md border border-slate-200 px-2 py-0.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          {l.tool}: {l.label} <span aria-hidden>↗</span>
        </a>
      ))}
    </nav>
  );
}
