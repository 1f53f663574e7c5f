import "server-only";
import { env } from "@/server/env";

/** The portal's public URL for links in messages: PORTAL_URL, else AUTH_URL, else localhost:PORT. */
export function portalBaseUrl(): string {
  const e = env();
  return (e.PORTAL_URL ?? e.AUTH_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
}
