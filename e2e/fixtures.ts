// Shared helpers for the end-to-end specs: the running portal's state, users per role, and sign-in.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, type Page } from "@playwright/test";
import { STATE_FILE } from "./global-setup";

export type E2EState = { port: number; dataDir: string; config: string; sandboxState: string; logFile: string; admin: { username: string; password: string } };

/** What global-setup recorded about the running portal. */
export function e2eState(): E2EState {
  return JSON.parse(fs.readFileSync(STATE_FILE, "utf8")) as E2EState;
}

/** Runs the portal's CLI against the same embedded database and config as the running portal. */
export function portalCli(args: string[]): string {
  const s = e2eState();
  return execFileSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "server/cli/main.ts", ...args], {
    env: { ...process.env, PORTAL_DATA_DIR: s.dataDir, PORTAL_CONFIG: s.config, DATABASE_URL: "" },
    encoding: "utf8",
  });
}

const created = new Map<string, string>();

/** A local user with `role` (created once per test run through the CLI); returns its credentials. */
export function userWithRole(role: "viewer" | "operator" | "admin"): { username: string; password: string } {
  if (role === "admin") return e2eState().admin;
  const username = `e2e-${role}`;
  if (!created.has(username)) {
    const out = portalCli(["user", "add", username, "--role", role]);
    created.set(username, /password: (\S+)/.exec(out)![1]!);
  }
  return { username, password: created.get(username)! };
}

/** Signs in through the real sign-in form. */
export async function signIn(page: Page, creds: { username: string; password: string }) {
  await page.goto("/signin");
  await page.getByLabel("Username").fill(creds.username);
  await page.getByLabel("Password").fill(creds.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("user-name").first()).toBeVisible();
}

/** Runs the sandbox CLI on the portal's sandbox. */
export function sandboxCli(args: string[]): string {
  return execFileSync(process.execPath, ["--import", "tsx", "infra/sandbox/cli.ts", ...args, "--state", e2eState().sandboxState], { encoding: "utf8" });
}
