// Shared helpers for the end-to-end specs: the running portal's state, users per role, and sign-in.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, type Page } from "@playwright/test";
import pg from "pg";
import { STATE_FILE } from "./global-setup";

export type E2EState = {
  port: number;
  dataDir: string;
  config: string;
  sandboxState: string;
  logFile: string;
  admin: { username: string; password: string };
};

/** What global-setup recorded about the running portal. */
export function e2eState(): E2EState {
  return JSON.parse(fs.readFileSync(STATE_FILE, "utf8")) as E2EState;
}

/** Runs the portal's CLI against the same embedded database and config as the running portal. */
export function portalCli(args: string[]): string {
  const s = e2eState();
  return execFileSync(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", "server/cli/main.ts", ...args],
    {
      env: { ...process.env, PORTAL_DATA_DIR: s.dataDir, PORTAL_CONFIG: s.config, DATABASE_URL: "" },
      encoding: "utf8",
    },
  );
}

/** A local user with `role` (created once per test run through the CLI, kept for later spec files). */
export function userWithRole(role: "viewer" | "operator" | "admin"): { username: string; password: string } {
  if (role === "admin") return e2eState().admin;
  const file = `${e2eState().dataDir}/e2e-users.json`;
  const users = (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {}) as Record<string, string>;
  const username = `e2e-${role}`;
  if (!users[username]) {
    const out = portalCli(["user", "add", username, "--role", role]);
    users[username] = /password: (\S+)/.exec(out)![1]!;
    fs.writeFileSync(file, JSON.stringify(users), { mode: 0o600 });
  }
  return { username, password: users[username] };
}

/** Signs in through the real sign-in form. */
export async function signIn(page: Page, creds: { username: string; password: string }) {
  await page.goto("/signin");
  await page.getByLabel("Username").fill(creds.username);
  await page.getByLabel("Password").fill(creds.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/signin/);
  await expect(page.getByTestId("user-name").first()).toBeAttached();
}

/** Runs the sandbox CLI on the portal's sandbox. */
export function sandboxCli(args: string[]): string {
  return execFileSync(
    process.execPath,
    ["--import", "tsx", "infra/sandbox/cli.ts", ...args, "--state", e2eState().sandboxState],
    { encoding: "utf8" },
  );
}

/** Runs one SQL query on the running portal's embedded database (tests check what changed, or did not). */
export async function dbQuery<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const s = e2eState();
  const creds = JSON.parse(fs.readFileSync(`${s.dataDir}/postgres-credentials.json`, "utf8")) as {
    user: string;
    password: string;
    database: string;
  };
  const running = JSON.parse(fs.readFileSync(`${s.dataDir}/postgres-running.json`, "utf8")) as { port: number };
  const client = new pg.Client({
    host: "127.0.0.1",
    port: running.port,
    user: creds.user,
    password: creds.password,
    database: creds.database,
  });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
