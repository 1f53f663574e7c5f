import "server-only";
import type { NotifyEvent } from "@/server/config/clusters";
import type { EventData, RunEventData, TierEventData } from "@/server/notify/events";
import { pipelineLabel } from "@/lib/pipelines";

// What a webhook receives: one sentence saying what happened, on which cluster, by whom, and a link
// to the run or tier page; as a Slack incoming-webhook message or as generic JSON.

export type Message = { title: string; text: string; url: string };

/** "42m 10s", "8s". */
export function formatDuration(seconds: number | null): string | null {
  if (seconds === null) return null;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600),
    m = Math.floor((s % 3600) / 60),
    r = s % 60;
  return h ? `${h}h ${m}m` : m ? `${m}m ${r}s` : `${r}s`;
}

function approvalBy(d: RunEventData): string {
  const a = d.approval;
  return a?.decidedBy ? ` by ${a.decidedBy}${a.comment ? `: "${a.comment}"` : ""}` : "";
}

function runMessage(event: NotifyEvent, d: RunEventData, base: string): Message {
  const what = `${pipelineLabel(d.pipeline)}${d.node ? ` of ${d.node}` : ""}`;
  const took = formatDuration(d.durationSeconds);
  const url = `${base}/runs/${encodeURIComponent(d.runId)}`;
  const by = `requested by ${d.requestedBy}`;
  switch (event) {
    case "run.started":
      return {
        title: `${what} started on ${d.cluster}`,
        text: `${what} started on ${d.cluster}, ${by}${d.reason ? `: "${d.reason}"` : ""}.`,
        url,
      };
    case "run.succeeded":
      return {
        title: `${what} succeeded on ${d.cluster}`,
        text: `${what} succeeded on ${d.cluster} (${by})${took ? ` in ${took}` : ""}.`,
        url,
      };
    case "run.failed":
      return {
        title: `${what} failed on ${d.cluster}`,
        text: `${what} failed on ${d.cluster} (${by})${took ? ` after ${took}` : ""}${d.error ? `: ${d.error}` : ""}.`,
        url,
      };
    case "run.awaiting-approval": {
      const a = d.approval;
      const plan = a
        ? `: the plan adds ${a.add}, changes ${a.change}, replaces ${a.replace} and destroys ${a.destroy}`
        : "";
      const until = a ? ` Approve or reject it by ${a.expiresAt.slice(11, 16)} UTC.` : "";
      return {
        title: `${what} on ${d.cluster} awaits approval`,
        text: `${what} on ${d.cluster} (${by}) awaits approval${plan}.${until}`,
        url,
      };
    }
    case "run.approved":
      return {
        title: `${what} approved on ${d.cluster}`,
        text: `${what} on ${d.cluster} (${by}) was approved${approvalBy(d)}; it continues.`,
        url,
      };
    case "run.rejected":
      return {
        title: `${what} rejected on ${d.cluster}`,
        text: `${what} on ${d.cluster} (${by}) was rejected${approvalBy(d)}. Nothing was applied.`,
        url,
      };
    case "run.expired":
      return {
        title: `${what} expired on ${d.cluster}`,
        text: `${what} on ${d.cluster} (${by}) expired: nobody approved its plan in time. Nothing was applied.`,
        url,
      };
    case "run.cancelled":
      return {
        title: `${what} cancelled on ${d.cluster}`,
        text: `${what} on ${d.cluster} (${by}) was cancelled${d.cancelledBy ? ` by ${d.cancelledBy}` : ""}.`,
        url,
      };
    default:
      return {
        title: `${what} interrupted on ${d.cluster}`,
        text: `${what} on ${d.cluster} (${by}) was interrupted${d.error ? `: ${d.error}` : ""}. Retry it as a new run.`,
        url,
      };
  }
}

function tierMessage(d: TierEventData, base: string): Message {
  const url = `${base}/c/${encodeURIComponent(d.cluster)}/tiers/${encodeURIComponent(d.tier)}`;
  const since = d.since.slice(11, 16);
  const why = d.reasons.length ? `: ${d.reasons.slice(0, 3).join("; ")}` : "";
  return {
    title: `Tier ${d.tier} (${d.title}) on ${d.cluster} is ${d.status}`,
    text: `Tier ${d.tier} (${d.title}) on ${d.cluster} is ${d.status} (was ${d.previous}) since ${since} UTC${why}.`,
    url,
  };
}

/** The message of an event; `base` is the portal's public URL without a trailing slash. */
export function buildMessage(event: NotifyEvent, data: EventData, base: string): Message {
  return data.kind === "run" ? runMessage(event, data, base) : tierMessage(data, base);
}

const EMOJI: Record<string, string> = {
  "run.started": ":arrow_forward:",
  "run.succeeded": ":white_check_mark:",
  "run.failed": ":x:",
  "run.cancelled": ":black_square_for_stop:",
  "run.interrupted": ":warning:",
  "run.awaiting-approval": ":raised_hand:",
  "run.approved": ":heavy_check_mark:",
  "run.rejected": ":no_entry:",
  "run.expired": ":hourglass:",
  ok: ":large_green_circle:",
  degraded: ":large_orange_circle:",
  down: ":red_circle:",
  unknown: ":white_circle:",
};

/** Slack treats &, < and > as markup (`<!channel>` would ping everyone): user text is escaped. */
export function slackEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A Slack incoming-webhook payload: `text` is the notification fallback, blocks are what is shown. */
export function slackPayload(event: NotifyEvent, data: EventData, m: Message) {
  const emoji = EMOJI[data.kind === "tier" ? data.status : event] ?? "";
  const link = data.kind === "run" ? "Open the run" : "Open the tier";
  return {
    text: `${emoji} ${slackEscape(m.text)}`.trim(),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `${emoji} ${slackEscape(m.text)}\n<${m.url}|${link}>`.trim() } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `Growbin Ops Portal · ${slackEscape(data.cluster)} · \`${event}\`` }],
      },
    ],
  };
}

/** The generic JSON payload: the event, its facts, and the same sentence and link as Slack gets. */
export function jsonPayload(event: NotifyEvent, eventId: string, occurredAt: string, data: EventData, m: Message) {
  const { kind: _kind, ...facts } = data;
  return {
    event,
    id: eventId,
    occurredAt,
    cluster: data.cluster,
    title: m.title,
    text: m.text,
    url: m.url,
    [data.kind]: facts,
  };
}
