// Every page and every route handler under app/ checks the session and role itself, before it reads:
// 1. a tripwire over the source: each page.tsx calls requireViewer/requireOperator/requireAdmin/requireRole and
//    imports its data only through server/auth/page-reads.ts; each route.ts exports only withRole(...) handlers
//    (or is one of the few public routes, named below with the reason);
// 2. the behaviour: each page and each route, called as Next calls it, with no session, with a deactivated
//    user's session and with a revoked one (an old session version), is refused before any data is read, and
//    each refused route is audited. The session cookie's decoding (next-auth's auth()) is the one thing faked:
//    the user row, its role, its session version and the audit rows are real, on a real PostgreSQL.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { PAGE_READS } from "@/server/auth/page-reads";
import { runTestDatabase } from "@/test/run-fixtures";

const session = vi.hoisted(() => ({ current: null as { user: { id: string }; sv: number } | null }));
vi.mock("@/server/auth/auth", () => ({
  auth: async () => session.current,
  signInMethods: () => ({ github: false, local: true }),
}));
vi.mock("@/server/actions/auth-actions", () => ({ signOutAction: async () => undefined }));
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, getAll: () => [] }),
  headers: async () => new Headers(),
}));
vi.stubEnv("__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS", "true");

/** Pages that need no session, and why. */
const PUBLIC_PAGES: Record<string, string> = { "app/(auth)/signin/page.tsx": "the sign-in form itself" };
/** Routes that are not behind withRole, and why. */
const PUBLIC_ROUTES: Record<string, string> = {
  "app/api/auth/[...nextauth]/route.ts": "next-auth's sign-in, callback, session and sign-out endpoints",
  "app/api/healthz/route.ts": "the public liveness probe (no data, cached answer)",
  "app/api/metrics/route.ts": "Prometheus scrapes with its own bearer token (PORTAL_METRICS_TOKEN)",
};

function walk(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, name) : e.name === name ? [p] : [];
  });
}
const pages = walk("app", "page.tsx").sort();
const routes = walk("app", "route.ts").sort();

describe("tripwire: the source of every page and route", () => {
  test("the walk finds the pages and routes (a moved app/ folder must not make this pass vacuously)", () => {
    expect(pages.length).toBeGreaterThanOrEqual(15);
    expect(routes.length).toBeGreaterThanOrEqual(12);
    for (const p of [...Object.keys(PUBLIC_PAGES), ...Object.keys(PUBLIC_ROUTES)])
      expect(fs.existsSync(p), p).toBe(true);
  });

  for (const file of pages.filter((p) => !PUBLIC_PAGES[p])) {
    test(`${file} calls a guard and reads only through page-reads`, () => {
      const src = fs.readFileSync(file, "utf8");
      expect(src).toMatch(/\bawait require(Viewer|Operator|Admin)\(\)|\brequire(Viewer|Operator|Admin|Role)\([^)]*\)/);
      expect(src).toMatch(/from "@\/server\/auth\/require-user"/);
      // A data function a page reads with must come from page-reads.ts, not from the module that defines it.
      for (const m of src.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"([^"]+)"/g)) {
        if (m[2] === "@/server/auth/page-reads") continue;
        const names = m[1]!.split(",").map(
          (n) =>
            n
              .trim()
              .replace(/^type\s+/, "")
              .split(/\s+as\s+/)[0]!,
        );
        for (const n of names)
          expect(PAGE_READS as readonly string[], `${file} imports ${n} from ${m[2]}`).not.toContain(n);
      }
      expect(src).not.toMatch(/from "@\/server\/auth\/current-user"/);
    });
  }

  test("the portal layout guards too (it renders the cluster list and the active runs)", () => {
    const src = fs.readFileSync("app/(portal)/layout.tsx", "utf8");
    expect(src).toContain("await requireViewer()");
    expect(src).toMatch(/from "@\/server\/auth\/page-reads"/);
  });

  for (const file of routes.filter((r) => !PUBLIC_ROUTES[r])) {
    test(`${file} exports only withRole(...) handlers`, () => {
      const src = fs.readFileSync(file, "utf8");
      const handlers = [
        ...src.matchAll(
          /export\s+(?:async\s+)?(?:function|const)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b(\s*=\s*withRole\()?/g,
        ),
      ];
      expect(handlers.length, "a route exports at least one handler").toBeGreaterThan(0);
      for (const h of handlers) expect(h[2], `${file}: ${h[1]} is not wrapped in withRole`).toBeTruthy();
      expect(src).not.toMatch(/export\s*\{[^}]*\b(GET|POST)\b/);
    });
  }
});

// ---- behaviour ----

let t: Awaited<ReturnType<typeof runTestDatabase>>;
const ids = { viewer: "", deactivated: "", revoked: "" };
beforeAll(async () => {
  t = await runTestDatabase();
  ids.viewer = (await t.prisma.user.create({ data: { username: "guard-viewer", role: "viewer" } })).id;
  ids.deactivated = (
    await t.prisma.user.create({ data: { username: "guard-deactivated", role: "admin", deactivatedAt: new Date() } })
  ).id;
  ids.revoked = (
    await t.prisma.user.create({ data: { username: "guard-revoked", role: "admin", sessionVersion: 3 } })
  ).id;
});
afterAll(() => t?.drop());

/** The sessions that must get nothing: none, a deactivated admin's, and an admin's whose version was bumped. */
const REFUSED = [
  { who: "no session", session: () => null },
  { who: "a deactivated user", session: () => ({ user: { id: ids.deactivated }, sv: 0 }) },
  { who: "a revoked session", session: () => ({ user: { id: ids.revoked }, sv: 2 }) },
] as const;

/** Route params for a page or route path: every [segment] gets a plausible value. */
function paramsOf(file: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const m of file.matchAll(/\[(\.\.\.)?([^\]]+)\]/g)) {
    const v =
      {
        cluster: "growbin-test",
        node: "worker-1",
        tier: "1",
        namespace: "default",
        pod: "web-1",
        id: "cmnosuchrun00000000000000",
      }[m[2]!] ?? "x";
    out[m[2]!] = m[1] ? [v] : v;
  }
  return out;
}

/** What Next's redirect()/forbidden() threw, as "redirect /signin" or "403"; anything else is returned as is. */
function interrupt(err: unknown): string {
  const digest = String((err as { digest?: string })?.digest ?? "");
  if (digest.startsWith("NEXT_REDIRECT")) return `redirect ${digest.split(";")[2]}`;
  if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK")) return digest.split(";")[1]!;
  throw err;
}

async function renderPage(file: string): Promise<string> {
  const mod = (await import(path.resolve(file))) as { default: (props: unknown) => Promise<unknown> };
  try {
    await mod.default({ params: Promise.resolve(paramsOf(file)), searchParams: Promise.resolve({}) });
    return "rendered";
  } catch (err) {
    return interrupt(err);
  }
}

describe("behaviour: pages", () => {
  for (const file of [...pages.filter((p) => !PUBLIC_PAGES[p]), "app/(portal)/layout.tsx"]) {
    for (const r of REFUSED) {
      test(`${file} sends ${r.who} to sign-in`, async () => {
        session.current = r.session();
        expect(await renderPage(file)).toBe("redirect /signin");
      });
    }
  }

  for (const file of [
    "app/(portal)/settings/page.tsx",
    "app/(portal)/settings/deliveries/page.tsx",
    "app/(portal)/audit/page.tsx",
  ]) {
    test(`${file} answers 403 to a viewer`, async () => {
      session.current = { user: { id: ids.viewer }, sv: 0 };
      expect(await renderPage(file)).toBe("403");
    });
  }

  test("a viewer's page does render (the guard lets a valid session through)", async () => {
    session.current = { user: { id: ids.viewer }, sv: 0 };
    expect(await renderPage("app/(portal)/runs/compare/page.tsx")).toBe("rendered");
  });
});

describe("behaviour: page reads", () => {
  test("every page read refuses without a session before it touches the database; admin reads refuse a viewer", async () => {
    const reads = (await import("@/server/auth/page-reads")) as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    for (const name of PAGE_READS) {
      session.current = null;
      // No arguments: had the read run, it would fail differently (or succeed); the guard answers first.
      expect(await reads[name]!().then(() => "read", interrupt), name).toBe("redirect /signin");
    }
    session.current = { user: { id: ids.viewer }, sv: 0 };
    for (const name of ["listAuditEvents", "listUsers", "listWebhooks", "listDeliveries"]) {
      expect(await reads[name]!().then(() => "read", interrupt), name).toBe("403");
    }
    expect(await reads.listClusters!()).toEqual([expect.objectContaining({ name: "growbin-test" })]);
  });
});

/** Refusals audited for "anonymous": a repeat within a minute is counted on its row (record-audit.ts), so rows × count. */
async function anonymousRefusals(): Promise<number> {
  const [row] = await t.prisma.$queryRaw<
    { n: number }[]
  >`SELECT COALESCE(SUM(COALESCE((detail->>'count')::int, 1)), 0)::int AS n FROM "AuditEvent" WHERE actor = 'anonymous' AND outcome = 'refused'`;
  return row!.n;
}

describe("behaviour: route handlers", () => {
  for (const file of routes.filter((r) => !PUBLIC_ROUTES[r])) {
    for (const r of REFUSED) {
      test(`${file} answers 401 to ${r.who}, and audits it`, async () => {
        session.current = r.session();
        const mod = (await import(path.resolve(file))) as Record<
          string,
          (req: Request, ctx: unknown) => Promise<Response>
        >;
        const before = await anonymousRefusals();
        for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => mod[m])) {
          const res = await mod[method]!(new Request("http://localhost/api/x?node=worker-1", { method }), {
            params: Promise.resolve(paramsOf(file)),
          });
          expect(res.status, `${method} ${file}`).toBe(401);
          expect(await res.json()).toEqual({ error: "Sign in first." });
        }
        expect(await anonymousRefusals()).toBeGreaterThan(before);
      });
    }
  }

  test("a refusal is still a 401 when its audit row cannot be written (a flood that exhausts the pool)", async () => {
    session.current = null;
    const { setDatabaseUrl } = await import("@/server/db");
    const { GET } = await import("@/app/api/clusters/[cluster]/health/route");
    setDatabaseUrl("postgresql://postgres@127.0.0.1:1/unreachable");
    try {
      const res = await GET(new Request("http://localhost/api/clusters/growbin-test/health"), {
        params: Promise.resolve({ cluster: "growbin-test" }),
      });
      expect(res.status).toBe(401);
    } finally {
      setDatabaseUrl(t.url);
    }
  });

  test("a viewer's session passes withRole (the export answers CSV)", async () => {
    session.current = { user: { id: ids.viewer }, sv: 0 };
    const { GET } = await import("@/app/api/runs/export/route");
    const res = await GET(new Request("http://localhost/api/runs/export"), undefined);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    await res.body?.cancel();
  });
});
