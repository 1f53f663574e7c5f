import { cn } from "@/components/ui/cn";

// Table primitives: a scrolling wrapper so wide tables stay usable on a phone.
export function Table({ children, className }: { children: React.ReactNode; className?: string }) {
  return (
    <div className="overflow-x-auto">
      <table className={cn("w-full text-left text-sm", className)}>{children}</table>
    </div>
  );
}
export function Th({ children, className }: { children?: React.ReactNode; className?: string }) {
  return (
    <th
      className={cn(
        "border-b border-slate-200 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:border-slate-800",
        className,
      )}
    >
      {children}
    </th>
  );
}
export function Td({
  children,
  className,
  colSpan,
}: {
  children?: React.ReactNode;
  className?: string;
  colSpan?: number;
}) {
  return (
    <td
      colSpan={colSpan}
      className={cn("border-b border-slate-100 px-3 py-2 align-top dark:border-slate-800/60", className)}
    >
      {children}
    </td>
  );
}
