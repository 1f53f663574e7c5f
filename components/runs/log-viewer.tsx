"use client";

import {
  memo,
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type Ref,
} from "react";
import { markMatches, parseAnsi, spanStyle, type AnsiSpan } from "@/lib/ansi";
import { lineAt, ROW, scrollTopFor, topOf, windowFor, wrappedOffsets } from "@/components/runs/log-layout";
import { escapeRegExp, findSeq, neighbour, positionOf, type LogIndex } from "@/components/runs/log-index";
import { useLogSearch } from "@/components/runs/use-log-search";
import type { RunStep } from "@/lib/run-states";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { LogToolbar } from "@/components/runs/log-toolbar";

const subscribeHash = (cb: () => void) => {
  window.addEventListener("hashchange", cb);
  return () => window.removeEventListener("hashchange", cb);
};

const LineText = memo(function LineText({ text, mark }: { text: string; mark: RegExp | null }) {
  const spans = parseAnsi(text);
  return (mark ? markMatches(spans, mark) : spans).map((span: AnsiSpan & { mark?: boolean }, i) => {
    const { className, style } = spanStyle(span);
    const marked = span.mark === true;
    return (
      <span
        key={i}
        className={cn(className, marked && "rounded-sm bg-yellow-300 text-slate-950 dark:bg-yellow-500")}
        style={style as React.CSSProperties | undefined}
      >
        {span.text}
      </span>
    );
  });
});

/** Lets the step list move the viewer. */
export type LogViewerHandle = { jumpToStep: (step: number) => void };

/**
 * A log, windowed so a million lines scroll smoothly; follows the tail, searches, and links to lines. A run's log
 * passes `runId` and `steps`; another log (a pod's) passes `download` and `label` and has no step picker.
 */
export function LogViewer({
  runId,
  log,
  version,
  steps,
  emptyText = "No output yet.",
  download: downloadLink,
  label = "Run log output",
  ref,
}: {
  runId?: string;
  log: LogIndex;
  version: number;
  steps?: readonly RunStep[];
  emptyText?: string;
  download?: { href: string; label: string };
  label?: string;
  ref?: Ref<LogViewerHandle>;
}) {
  const { lines } = log;
  const count = lines.length;
  const scroller = useRef<HTMLDivElement>(null);
  const follow = useRef(true); // read by effects between renders; `following` mirrors it for the button
  const handledHash = useRef<number | null>(null);
  const ownScroll = useRef(false); // the next scroll event is ours, not the reader's
  const lastRatio = useRef(1);
  const [following, setFollowing] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewH, setViewH] = useState(600);
  const [active, setActive] = useState(-1);
  const [step, setStep] = useState("");
  const [notice, setNotice] = useState("");
  const [query, setQuery] = useState("");
  // Long lines scroll sideways by default (a log keeps its columns); "Wrap lines" folds them to the box's width.
  const [wrap, setWrap] = useState(false);
  const [cols, setCols] = useState(0);
  const search = useLogSearch(lines, version, query);
  const hash = useSyncExternalStore(
    subscribeHash,
    () => window.location.hash,
    () => "",
  );
  const hashSeq = /^#L(\d+)$/.exec(hash) ? Number(hash.slice(2)) : null;
  const mark = useMemo(() => (query ? new RegExp(escapeRegExp(query), "gi") : null), [query]);
  const offsets = useMemo(
    () => (wrap && cols ? wrappedOffsets(count, (i) => lines[i]!.x, cols, ROW) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- lines grows in place; version marks each batch
    [wrap, cols, count, lines, version],
  );
  const { scrollH, ratio, first, last, shift } = windowFor(scrollTop, viewH, count, offsets);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // Columns a wrapped line gets: the box's width less the gutter (line number, stream bar, time on wider
    // screens, padding), in widths of the monospace "0"; two spare so a rounding never wraps once more than counted.
    const measure = () => {
      setViewH(el.clientHeight);
      const probe = el.querySelector<HTMLElement>("[data-char-probe]");
      const charW = probe ? probe.getBoundingClientRect().width / 10 : 7.2;
      const gutter = 80 + 2 + (window.matchMedia("(min-width: 640px)").matches ? 80 : 0) + 8 + 16;
      setCols(Math.max(10, Math.floor((el.clientWidth - gutter) / charW) - 2));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const setTop = useCallback((top: number) => {
    const el = scroller.current;
    if (!el) return;
    const before = el.scrollTop;
    el.scrollTop = top;
    if (el.scrollTop !== before) ownScroll.current = true;
  }, []);
  const scrollTo = useCallback(
    (index: number, align: "start" | "center") => {
      follow.current = false;
      setTop(scrollTopFor(index, scroller.current?.clientHeight ?? 0, lines.length, align, offsets));
    },
    [lines, setTop, offsets],
  );

  // After each batch: honour a #L<seq> permalink once its line has arrived, else stay pinned to the tail.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    // A scaled scrollbar changes scale as lines arrive; keep the reader on the same line.
    if (!follow.current && ratio !== lastRatio.current) setTop((el.scrollTop * lastRatio.current) / ratio);
    lastRatio.current = ratio;
    if (hashSeq !== null && handledHash.current !== hashSeq) {
      follow.current = false;
      const i = findSeq(lines, hashSeq);
      if (i >= 0) {
        handledHash.current = hashSeq;
        scrollTo(i, "center");
      }
    } else if (follow.current) setTop(el.scrollHeight);
  }, [version, hashSeq, lines, ratio, viewH, scrollTo, setTop]);

  const jump = (index: number, align: "start" | "center" = "center") => {
    setActive(index);
    setFollowing(false);
    scrollTo(index, align);
  };
  const jumpToStep = (s: number) => {
    setStep(String(s));
    const i = log.stepStart.get(s);
    setNotice(i === undefined ? `Step ${s + 1} has no output yet.` : "");
    if (i !== undefined) jump(i, "start");
  };
  useImperativeHandle(ref, () => ({ jumpToStep }));

  // Next/previous start from the current match, or from the top of the viewport when there is none.
  const go = (list: readonly number[], dir: 1 | -1) => {
    const top = offsets ? lineAt(offsets, scrollTop * ratio) : Math.floor((scrollTop * ratio) / ROW);
    const p = neighbour(list, active >= 0 ? active : dir === 1 ? top - 1 : top, dir);
    if (p >= 0) jump(list[p]!);
  };
  const matchPos = positionOf(search.matches, active);
  const errorPos = positionOf(log.errors, active);
  const n = search.matches.length;
  const countText = !query
    ? ""
    : `${matchPos >= 0 ? `${matchPos + 1} of ` : ""}${n} ${n === 1 ? "match" : "matches"}${search.done ? "" : "…"}`;

  const rows = [];
  for (let i = first; i < last; i++) {
    const l = lines[i]!;
    const highlighted = i === active || l.seq === hashSeq;
    rows.push(
      <div
        key={l.seq}
        data-testid={`log-line-${l.seq}`}
        data-stream={l.s}
        aria-current={highlighted ? "true" : undefined}
        className={cn(
          "absolute left-0 flex leading-5",
          wrap ? "w-full overflow-hidden" : "h-5 w-max min-w-full",
          l.s === "stderr" && "bg-red-500/5",
          l.s === "system" && "italic text-slate-500",
          highlighted && "bg-amber-200/70 dark:bg-amber-500/25",
        )}
        style={{ top: topOf(i, offsets) + shift, height: offsets ? offsets[i + 1]! - offsets[i]! : undefined }}
      >
        <a
          href={`#L${l.seq}`}
          aria-label={`Link to line ${l.seq}`}
          onClick={(e) => {
            e.preventDefault();
            handledHash.current = l.seq; // it is already on screen: highlight, don't scroll
            follow.current = false;
            setFollowing(false);
            setActive(-1);
            window.location.hash = `L${l.seq}`;
          }}
          className={cn(
            "sticky left-0 w-20 shrink-0 pr-3 text-right text-slate-400 tabular-nums select-none hover:text-sky-600 hover:underline dark:text-slate-500",
            highlighted ? "bg-amber-100 dark:bg-amber-950" : "bg-white dark:bg-slate-950",
          )}
        >
          {l.seq}
        </a>
        <span aria-hidden className={cn("w-0.5 shrink-0", l.s === "stderr" && "bg-red-500")} />
        <span
          className="hidden w-20 shrink-0 pl-2 text-slate-400 select-none sm:inline dark:text-slate-500"
          title={l.t}
        >
          {l.t.slice(11, 19)}
        </span>
        <span className={cn("pr-4 pl-2", wrap ? "min-w-0 flex-1 break-all whitespace-pre-wrap" : "whitespace-pre")}>
          {l.s === "stderr" ? <span className="sr-only">stderr: </span> : null}
          <LineText text={l.x} mark={mark} />
        </span>
      </div>,
    );
  }

  const download =
    downloadLink?.href ?? `/api/runs/${encodeURIComponent(runId ?? "")}/log${step ? `?step=${step}` : ""}`;
  return (
    <section aria-label="Log" className="flex flex-col gap-2">
      <LogToolbar
        steps={steps}
        step={step}
        onStep={jumpToStep}
        query={query}
        onQuery={setQuery}
        countText={countText}
        matches={n}
        onMatch={(dir) => go(search.matches, dir)}
        errors={log.errors.length}
        errorPos={errorPos}
        onError={(dir) => go(log.errors, dir)}
        wrap={wrap}
        onWrap={setWrap}
        download={{
          href: download,
          label: downloadLink?.label ?? (step ? `Download step ${Number(step) + 1} log` : "Download log"),
        }}
      />
      {notice ? (
        <p role="status" className="text-xs text-slate-600 dark:text-slate-400">
          {notice}
        </p>
      ) : null}
      <div className="relative">
        {/* role="log" is implicitly aria-live; windowed rows churn on every scroll, so announcements are turned off. */}
        <div
          ref={scroller}
          role="log"
          aria-label={label}
          aria-live="off"
          tabIndex={0}
          onWheel={(e) => {
            if (e.deltaY < 0) follow.current = false;
          }}
          onScroll={(e) => {
            const el = e.currentTarget;
            setScrollTop(el.scrollTop);
            // Only the reader's own scrolling to the bottom resumes following; a jump that lands there does not.
            if (!ownScroll.current) follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
            ownScroll.current = false;
            setFollowing(follow.current);
          }}
          className="h-[65vh] min-h-64 overflow-auto rounded-md border border-slate-200 bg-white font-mono text-xs dark:border-slate-800 dark:bg-slate-950"
        >
          <span data-char-probe aria-hidden className="invisible absolute whitespace-pre">
            0000000000
          </span>
          {count ? (
            <div className="relative" style={{ height: scrollH }}>
              {rows}
            </div>
          ) : (
            <p className="p-4 font-sans text-sm text-slate-500">{emptyText}</p>
          )}
        </div>
        {!following && count ? (
          <Button
            data-testid="follow-tail"
            size="sm"
            className="absolute right-4 bottom-4 shadow-lg"
            onClick={() => {
              follow.current = true;
              setFollowing(true);
              setActive(-1);
              setTop(scroller.current?.scrollHeight ?? 0);
            }}
          >
            Jump to latest ↓
          </Button>
        ) : null}
      </div>
    </section>
  );
}
