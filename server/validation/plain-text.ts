import "server-only";
import { z } from "zod";

// Free text that people type (a run's reason, an approval comment) and that is shown in pages, logs, CSV and
// terminals: control characters (C0, DEL, C1: terminal escapes among them) and bidirectional overrides (text
// that reads differently from how it is stored) are refused with a message, never stored.

const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A zod string for one line of typed text, trimmed, between `min` and `max` characters. */
export function plainText(opts: { min: number; max: number; minMessage?: string }) {
  return z
    .string()
    .trim()
    .min(opts.min, opts.minMessage)
    .max(opts.max)
    .refine(
      (s) => !FORBIDDEN.test(s),
      "Remove the control characters (line breaks, tabs or terminal escapes): use plain text on one line.",
    );
}
