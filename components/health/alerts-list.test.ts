import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import type { Problem } from "@/server/cluster/health/types";
import { AlertsList, alertsOf } from "@/components/health/alerts-list";

const p = (name: string, fp: string, extra: Partial<NonNullable<Problem["alert"]>> = {}): Problem => ({
  type: "alert",
  severity: "warning",
  message: name,
  source: "alerts",
  hint: "",
  alert: {
    name,
    severity: "warning",
    startsAt: "2026-11-30T10:00:05.000Z",
    fingerprint: fp,
    silenced: false,
    summary: `${name} summary`,
    ...extra,
  },
});

test("an alert on two tiers is listed once; silenced ones go last, critical first", () => {
  const list = alertsOf([
    p("A", "1", { silenced: true }),
    p("B", "2"),
    p("B", "2"),
    p("C", "3", { severity: "critical" }),
    { ...p("x", "9"), alert: undefined },
  ]);
  expect(list.map((a) => a.name)).toEqual(["C", "B", "A"]);
});

test("each row shows name, severity, the UTC start, firing or silenced, and the summary", () => {
  const html = renderToStaticMarkup(
    createElement(AlertsList, { problems: [p("KubeNodeNotReady", "1"), p("TargetDown", "2", { silenced: true })] }),
  );
  expect(html).toContain("KubeNodeNotReady");
  expect(html).toContain("2026-11-30 10:00:05 UTC");
  expect(html).toMatch(/data-alert="TargetDown" data-silenced="true".*silenced/);
  expect(html).toContain("KubeNodeNotReady summary");
  expect(
    renderToStaticMarkup(createElement(AlertsList, { problems: [], error: "Alertmanager's answer is not JSON: oops" })),
  ).toContain("could not be read: Alertmanager&#x27;s answer is not JSON");
});
