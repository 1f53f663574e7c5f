// Prometheus's rule evaluation (pending → firing after `for`, scaled by the time scale) feeding a modeled Alertmanager:
// fingerprints, silences, kube-prometheus-stack's default inhibit rules and routing, as its v2 API reports them
// (prometheus/alertmanager api/v2/openapi.yaml: gettableAlert, postableSilence, gettableSilence).
import { randomUUID } from "node:crypto";
import type { Cluster } from "./cluster";
import { RULES, type AlertRule } from "./alert-rules";

/** A matcher as the v2 API carries it (isEqual false negates). */
export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

/** A silence as Alertmanager stores it. */
export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  updatedAt: string;
}

/** gettableAlert. */
export interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  fingerprint: string;
  generatorURL: string;
  receivers: { name: string }[];
  status: { state: "active" | "suppressed" | "unprocessed"; silencedBy: string[]; inhibitedBy: string[] };
}

// prometheus-operator adds this external label to everything the stack's Prometheus sends.
const EXTERNAL = { prometheus: "monitoring/kube-prometheus-stack-prometheus" };
const PROMETHEUS_URL = "http://kube-prometheus-stack-prometheus.monitoring:9090";
// Prometheus's ValidUntil: 4 × max(resend delay 1m, evaluation interval 30s) past the last evaluation.
const VALID_MS = 4 * 60_000;

/** model.LabelSet.Fingerprint: FNV-1a 64 over the sorted names and values, each followed by 0xff. */
export function fingerprint(labels: Record<string, string>): string {
  let h = 0xcbf29ce484222325n;
  const add = (b: number) => {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  };
  for (const k of Object.keys(labels).sort()) {
    for (const b of Buffer.from(k)) add(b);
    add(0xff);
    for (const b of Buffer.from(labels[k]!)) add(b);
    add(0xff);
  }
  return h.toString(16).padStart(16, "0");
}

/** Whether a label set matches a matcher (an absent label is the empty string, as in Alertmanager). */
export function matches(m: Matcher, labels: Record<string, string>): boolean {
  const v = labels[m.name] ?? "";
  const hit = m.isRegex ? new RegExp(`^(?:${m.value})$`).test(v) : v === m.value;
  return (m.isEqual ?? true) ? hit : !hit;
}

type RuleState = { activeAt: number; lastTrue: number };

/** One sandbox's Prometheus rule state and Alertmanager. */
export class AlertModel {
  private state = new Map<string, RuleState>();
  readonly silences: Silence[] = [];
  constructor(
    private readonly c: Cluster,
    private readonly timeScale: number,
    private readonly now: () => number = Date.now,
  ) {}

  // Evaluates every rule; `since` from an object stands in for the evaluations nobody asked for in between.
  private evaluate(t: number): { rule: AlertRule; labels: Record<string, string>; value?: number; firedAt: number }[] {
    const out: { rule: AlertRule; labels: Record<string, string>; value?: number; firedAt: number }[] = [];
    const provisioned = this.c.store
      .all("pods", "monitoring")
      .some((p) => p.metadata.name.startsWith("prometheus-kube-prometheus-stack-prometheus"));
    if (!provisioned) return out;
    for (const rule of RULES) {
      const forMs = rule.forSec * 1000 * this.timeScale;
      const holdMs = (rule.holdSec ?? 0) * 1000 * this.timeScale;
      const now = new Map<string, { labels: Record<string, string>; value?: number }>();
      for (const h of rule.eval(this.c)) {
        // Go marshals a label map with its keys sorted.
        const labels = Object.fromEntries(
          Object.entries({ alertname: rule.name, ...h.labels, severity: rule.severity, ...EXTERNAL }).sort(
            ([a], [b]) => (a < b ? -1 : 1),
          ),
        );
        // The sorted labels as text: the fingerprint (BigInt arithmetic) is only worth computing for what fires.
        const key = `${rule.name}\u0000${JSON.stringify(labels)}`;
        now.set(key, { labels, value: h.value });
        const s = this.state.get(key);
        if (s) s.lastTrue = t;
        else this.state.set(key, { activeAt: Math.min(t, h.since ?? t), lastTrue: t });
      }
      for (const [key, s] of this.state) {
        if (!key.startsWith(`${rule.name}\u0000`)) continue;
        const cur = now.get(key) ?? (t - s.lastTrue <= holdMs ? this.heldLabels.get(key) : undefined);
        if (!cur) {
          this.state.delete(key);
          this.heldLabels.delete(key);
          continue;
        }
        this.heldLabels.set(key, cur);
        if (t - s.activeAt >= forMs) out.push({ rule, ...cur, firedAt: s.activeAt + forMs });
      }
    }
    return out;
  }
  private heldLabels = new Map<string, { labels: Record<string, string>; value?: number }>();

  /** Every alert Alertmanager holds, with its silence and inhibition state. */
  alerts(): GettableAlert[] {
    const t = this.now();
    const firing = this.evaluate(t);
    const active = this.silences.filter((s) => Date.parse(s.startsAt) <= t && Date.parse(s.endsAt) > t);
    const base = firing.map(({ rule, labels, value, firedAt }) => ({
      labels,
      annotations: rule.annotations(labels, value),
      startsAt: new Date(firedAt).toISOString(),
      endsAt: new Date(t + VALID_MS).toISOString(),
      updatedAt: new Date(t).toISOString(),
      fingerprint: fingerprint(labels),
      generatorURL: `${PROMETHEUS_URL}/graph?g0.expr=${encodeURIComponent(rule.expr)}&g0.tab=1`,
      receivers: [{ name: "null" }],
    }));
    return base
      .map((a) => {
        const silencedBy = active.filter((s) => s.matchers.every((m) => matches(m, a.labels))).map((s) => s.id);
        const inhibitedBy = base
          .filter((src) => src !== a && inhibits(src.labels, a.labels))
          .map((src) => src.fingerprint);
        const state: GettableAlert["status"]["state"] =
          silencedBy.length || inhibitedBy.length ? "suppressed" : "active";
        return { ...a, status: { state, silencedBy, inhibitedBy } };
      })
      .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
  }

  /** Adds a silence (or replaces one by id) and returns its id; the body is checked by the caller. */
  addSilence(s: Omit<Silence, "id" | "updatedAt"> & { id?: string }): string {
    const id = s.id ?? randomUUID();
    const i = this.silences.findIndex((x) => x.id === id);
    const rec = { ...s, id, updatedAt: new Date(this.now()).toISOString() };
    if (i >= 0) this.silences[i] = rec;
    else this.silences.push(rec);
    return id;
  }

  /** A silence's state as the API shows it. */
  silenceState(s: Silence): "pending" | "active" | "expired" {
    const t = this.now();
    return Date.parse(s.endsAt) <= t ? "expired" : Date.parse(s.startsAt) > t ? "pending" : "active";
  }

  /** Expires a silence now; false when there is none with that id. */
  expire(id: string): boolean {
    const s = this.silences.find((x) => x.id === id);
    if (!s) return false;
    const t = new Date(this.now()).toISOString();
    s.endsAt = t;
    if (Date.parse(s.startsAt) > this.now()) s.startsAt = t;
    s.updatedAt = t;
    return true;
  }
}

// kube-prometheus-stack's default inhibit_rules: critical mutes warning/info, warning mutes info (equal namespace and
// alertname), InfoInhibitor mutes info (equal namespace).
function inhibits(src: Record<string, string>, dst: Record<string, string>): boolean {
  const same = (...ks: string[]) => ks.every((k) => (src[k] ?? "") === (dst[k] ?? ""));
  if (src.severity === "critical" && /^(warning|info)$/.test(dst.severity ?? "")) return same("namespace", "alertname");
  if (src.severity === "warning" && dst.severity === "info") return same("namespace", "alertname");
  if (src.alertname === "InfoInhibitor" && dst.severity === "info") return same("namespace");
  return false;
}

const models = new WeakMap<Cluster, AlertModel>();

/** The sandbox's one Alertmanager (silences live as long as the server, as an Alertmanager without its volume). */
export function alertModel(c: Cluster, timeScale: number): AlertModel {
  let m = models.get(c);
  if (!m) models.set(c, (m = new AlertModel(c, timeScale)));
  return m;
}
