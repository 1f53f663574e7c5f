import "server-only";
import type { z } from "zod";

// Parses a page's URL search params with a zod schema, dropping the invalid ones (and naming them) so a
// bad link still shows a page instead of an error.

/** The valid filters and a list of "key: problem" for what was dropped. */
export function parseSearchParams<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  params: Record<string, string | string[] | undefined>,
): { filters: z.infer<S>; invalid: string[] } {
  const flat: Record<string, string> = Object.fromEntries(
    Object.entries(params).flatMap(([k, v]) => (typeof v === "string" && v !== "" ? [[k, v]] : [])),
  );
  const invalid: string[] = [];
  for (;;) {
    const r = schema.safeParse(flat);
    if (r.success) return { filters: r.data, invalid };
    for (const issue of r.error.issues) {
      const key = String(issue.path[0]);
      invalid.push(`${key}: ${issue.message}`);
      delete flat[key];
    }
  }
}
