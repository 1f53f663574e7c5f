import "server-only";
import { kubeGetStream } from "@/server/cluster/kube/kube-http";
import type { KubeTarget } from "@/server/cluster/kube/kubeconfig";
import { ClusterReadError, READ_TIMEOUT_MS } from "@/server/cluster/reads/on-demand";
import { dnsLabel, strictBool, strictInt } from "@/server/cluster/reads/pod-ref";
import { LineSplitter } from "@/server/runs/line-splitter";
import { Redactor } from "@/server/runs/redact";

// A container's log as the kubelet serves it through the apiserver (GET pods/NAME/log: container, previous,
// follow, tailLines, timestamps, limitBytes; core/v1 PodLogOptions), streamed line by line with secrets
// redacted (server/runs/redact.ts) before any byte reaches the browser.

/** The options the page may ask for; everything else is fixed here. */
export type PodLogOptions = {
  container?: string;
  previous: boolean;
  follow: boolean;
  tailLines?: number;
  timestamps: boolean;
  limitBytes: number;
};

/** The most a non-follow read may return: a log is rotated at 10 MiB by default (containerLogMaxSize), so this holds all of it. */
export const MAX_LOG_BYTES = 20 * 1024 * 1024;
/** A follow is ended after this long; the page offers to follow again (a stream no one reads must not live forever). */
export const MAX_FOLLOW_MS = 30 * 60_000;
/** A non-follow read (tail or previous) must finish within this. */
export const MAX_READ_MS = 60_000;

/** Parses the log options of a request strictly; a bad value is a ValidationError naming it (a 400). */
export function parsePodLogOptions(params: URLSearchParams): PodLogOptions & { download: boolean } {
  const container = params.get("container");
  const previous = strictBool(params, "previous");
  const follow = strictBool(params, "follow");
  // A previous (terminated) instance never grows, so it is never followed.
  return {
    container: container ? dnsLabel("container", container) : undefined,
    previous,
    follow: follow && !previous,
    tailLines: strictInt(params, "tailLines", 0, 100_000),
    timestamps: strictBool(params, "timestamps", true),
    limitBytes: strictInt(params, "limitBytes", 1, MAX_LOG_BYTES) ?? MAX_LOG_BYTES,
    download: strictBool(params, "download"),
  };
}

/** The apiserver path and query of a pod log request. */
export function podLogPath(namespace: string, pod: string, o: PodLogOptions): string {
  const q = new URLSearchParams();
  if (o.container) q.set("container", o.container);
  if (o.previous) q.set("previous", "true");
  if (o.follow) q.set("follow", "true");
  if (o.tailLines !== undefined) q.set("tailLines", String(o.tailLines));
  if (o.timestamps) q.set("timestamps", "true");
  q.set("limitBytes", String(o.limitBytes));
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log?${q}`;
}

// RFC3339Nano and a space, as the kubelet prefixes each line with timestamps=true.
const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

/** Redacts one line, leaving a kubelet timestamp prefix as it is (a PEM end marker must not eat it). */
export function redactLogLine(r: Redactor, line: string): string {
  const m = STAMP.exec(line);
  return m ? m[0] + r.line(line.slice(m[0].length)) : r.line(line);
}

/**
 * Opens a container's log and returns it as a stream of redacted lines. Throws (KubeError, ClusterReadError)
 * before the first byte if the apiserver refuses or does not answer within READ_TIMEOUT_MS; `signal` (the
 * browser leaving) ends the upstream request at any time.
 */
export async function openPodLog(
  kt: KubeTarget,
  namespace: string,
  pod: string,
  o: PodLogOptions,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const stop = new AbortController();
  const life = setTimeout(() => stop.abort(), o.follow ? MAX_FOLLOW_MS : MAX_READ_MS);
  const both = AbortSignal.any([signal, stop.signal]);
  const connect = AbortSignal.any([both, AbortSignal.timeout(READ_TIMEOUT_MS)]);
  let res;
  try {
    res = await kubeGetStream(kt, podLogPath(namespace, pod, o), connect, "text/plain");
  } catch (err) {
    clearTimeout(life);
    if (connect.aborted && !signal.aborted)
      throw new ClusterReadError(`The cluster did not answer within ${READ_TIMEOUT_MS / 1000} s.`, 504);
    throw err;
  }
  // The connect deadline is over once the answer started: only the stream's own life and the browser end it now.
  both.addEventListener("abort", () => res.destroy(), { once: true });
  const splitter = new LineSplitter();
  const redactor = new Redactor();
  const enc = new TextEncoder();
  const out = (lines: string[]) => enc.encode(lines.map((l) => `${redactLogLine(redactor, l)}\n`).join(""));
  const chunks = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const finish = () => {
    clearTimeout(life);
    res.destroy();
  };
  return new ReadableStream<Uint8Array>({
    async pull(ctl) {
      try {
        for (;;) {
          const { value, done } = await chunks.next();
          if (done) {
            const rest = splitter.end();
            if (rest.length) ctl.enqueue(out(rest));
            finish();
            return ctl.close();
          }
          const lines = splitter.push(value);
          if (lines.length) return ctl.enqueue(out(lines));
        }
      } catch {
        // The browser left, the follow reached its limit, or the connection dropped: end the text cleanly.
        finish();
        ctl.close();
      }
    },
    cancel() {
      stop.abort();
      finish();
    },
  });
}
