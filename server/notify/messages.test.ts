import { describe, expect, test } from "vitest";
import { buildMessage, formatDuration, slackPayload } from "@/server/notify/messages";
import { backoffDelay } from "@/server/notify/deliver";
import { clusterWebhooks, maskUrl, scrubUrl } from "@/server/notify/webhooks";
import { parseClusterConfig } from "@/server/config/clusters";
import type { RunEventData } from "@/server/notify/events";

const run: RunEventData = {
  kind: "run",
  cluster: "growbin-prod",
  runId: "r1",
  pipeline: "reset-node",
  status: "succeeded",
  requestedBy: "alice",
  reason: "disk full",
  node: "worker-2",
  startedAt: null,
  finishedAt: null,
  durationSeconds: 2530,
  error: null,
  cancelledBy: null,
};

describe("webhook messages", () => {
  test("a message says what happened, on which cluster, by whom, and links to the run", () => {
    expect(buildMessage("run.succeeded", run, "https://portal.example")).toEqual({
      title: "Reset node of worker-2 succeeded on growbin-prod",
      text: "Reset node of worker-2 succeeded on growbin-prod (requested by alice) in 42m 10s.",
      url: "https://portal.example/runs/r1",
    });
  });

  test("user text cannot ping a Slack channel or break a link", () => {
    const m = buildMessage("run.started", { ...run, reason: "<!channel> & <https://evil|x>" }, "https://p");
    const text = slackPayload("run.started", run, m).blocks[0]!.text!.text;
    expect(text).toContain("&lt;!channel&gt; &amp; &lt;https://evil|x&gt;");
    expect(text).toContain("<https://p/runs/r1|Open the run>");
  });

  test("durations read like a person would write them", () => {
    expect([formatDuration(8), formatDuration(70), formatDuration(3 * 3600 + 120), formatDuration(null)]).toEqual([
      "8s",
      "1m 10s",
      "3h 2m",
      null,
    ]);
  });

  test("retries back off exponentially up to a cap", () => {
    const o = { backoffMs: 1000, maxBackoffMs: 5000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, o, () => 0))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay(1, o, () => 1)).toBe(1200);
  });
});

describe("webhook secrets", () => {
  test("a webhook URL is shown as scheme and host only, and scrubbed from error texts", () => {
    const url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
    expect(maskUrl(url)).toBe("https://hooks.slack.com/…");
    expect(scrubUrl(`request to ${url} failed`, url)).toBe("request to https://hooks.slack.com/… failed");
    expect(scrubUrl("redirected to https://other.example/path?token=1", null)).toBe(
      "redirected to https://other.example/…",
    );
  });

  test("urlEnv resolves from the environment, and must name a secret-looking variable", () => {
    process.env.OPS_WEBHOOK_SECRET = "https://hooks.example/abc";
    const [c] = parseClusterConfig(
      JSON.stringify({
        clusters: [
          {
            name: "prod",
            kind: "sandbox",
            webhooks: [
              { name: "ops", format: "slack", urlEnv: "OPS_WEBHOOK_SECRET", events: ["run.failed", "tier.changed"] },
            ],
          },
        ],
      }),
      "c.json",
      "/d",
    );
    expect(clusterWebhooks(c!)).toEqual([
      {
        name: "ops",
        format: "slack",
        events: ["run.failed", "tier.changed"],
        url: "https://hooks.example/abc",
        source: "$OPS_WEBHOOK_SECRET",
      },
    ]);
    const bad = (w: object) => () =>
      parseClusterConfig(
        JSON.stringify({ clusters: [{ name: "prod", kind: "sandbox", webhooks: [w] }] }),
        "c.json",
        "/d",
      );
    expect(bad({ name: "ops", format: "json", urlEnv: "OPS_HOOK" })).toThrow(
      /urlEnv: must be an environment variable name containing SECRET or TOKEN/,
    );
    expect(bad({ name: "ops", format: "json" })).toThrow(/set exactly one of url and urlEnv/);
    expect(bad({ name: "ops", format: "json", url: "ftp://x.example/h" })).toThrow(/must be an http\(s\) URL/);
  });
});
