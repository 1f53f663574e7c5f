import "server-only";
import type { ClusterConfig, NotifyEvent, WebhookConfig } from "@/server/config/clusters";
import { secretFromEnvironment } from "@/server/env";

// A cluster's configured webhooks, with their URL resolved for sending and masked for showing. The URL
// is a secret (a Slack incoming-webhook URL is a bearer credential): only `send` ever sees it.

export type ResolvedWebhook = {
  name: string;
  format: WebhookConfig["format"];
  events: readonly NotifyEvent[] | null;
  /** null when `urlEnv` names a variable that is not set in this process. */
  url: string | null;
  /** Where the URL comes from, for the admin page ("config file" or "$NAME"). */
  source: string;
};

/** The webhooks of a cluster (an absent list is none). */
export function clusterWebhooks(config: Pick<ClusterConfig, "webhooks">): ResolvedWebhook[] {
  return (config.webhooks ?? []).map((w) => ({
    name: w.name,
    format: w.format,
    events: w.events ?? null,
    url: w.url ?? (w.urlEnv ? (secretFromEnvironment(w.urlEnv) ?? null) : null),
    source: w.urlEnv ? `$${w.urlEnv}` : "config file",
  }));
}

/** True when the webhook wants this event (no `events` list means all of them). */
export function wants(w: Pick<ResolvedWebhook, "events">, event: NotifyEvent): boolean {
  return !w.events || w.events.includes(event);
}

/** Scheme and host only, e.g. "https://hooks.slack.com/…": never the path, which holds the secret. */
export function maskUrl(url: string | null): string {
  if (!url) return "(not set)";
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return "(invalid URL)";
  }
}

/** Removes a URL (and its path) from an error text before it is stored or logged. */
export function scrubUrl(text: string, url: string | null): string {
  let out = url ? text.split(url).join(maskUrl(url)) : text;
  out = out.replace(/https?:\/\/[^\s"'<>]+/g, (m) => maskUrl(m));
  return out.replace(/\s+/g, " ").trim().slice(0, 300);
}
