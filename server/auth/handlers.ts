import "server-only";
import { handlers } from "@/server/auth/auth";

// Re-exported for the catch-all route, so app/ stays free of auth configuration.
export const { GET, POST } = handlers;
