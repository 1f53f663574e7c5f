import "server-only";

// Memory settings for the two long-lived processes that hold little live data but make a lot of
// short-lived garbage: the web server (rendered pages, health JSON) and the worker's background process
// (health readings of up to 15,000 pods every few seconds). V8's default young generation (semi-spaces
// of up to 16 MB) and glibc's per-thread malloc arenas turn that garbage into resident memory. Measured
// at 500 nodes (bench/portal-memory.ts): the background process's peak fell from 312 to 203 MB. The
// run-executing worker keeps the defaults: log ingest is its hot path. A setting already in the
// environment wins.

export const LEAN_V8_FLAGS = ["--max-semi-space-size=4"];

/** `env` with the lean settings added: MALLOC_ARENA_MAX, and the V8 flags in NODE_OPTIONS when asked. */
export function leanEnvironment(env: NodeJS.ProcessEnv, opts: { nodeOptions: boolean }): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? "2" };
  if (opts.nodeOptions && !/--max-semi-space-size/.test(env.NODE_OPTIONS ?? ""))
    out.NODE_OPTIONS = [env.NODE_OPTIONS, ...LEAN_V8_FLAGS].filter(Boolean).join(" ");
  return out;
}
