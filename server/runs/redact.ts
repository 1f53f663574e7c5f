// Secret redaction for step output, applied line by line before anything is stored or streamed.
// It is stateful: a PEM block spans several lines, and every line inside one is hidden; a secret value cut
// across two lines (a wrapped base64 dump, a 16 KiB line split by the reader) is hidden on both.
// Terminal escapes are stripped before matching, so a colour code inside a secret does not hide it; a line
// where nothing was found keeps its colours.
import { stripAnsi } from "@/lib/ansi";

export const MASK = "[REDACTED]";
const SECRET_ENV_NAME = /(SECRET|TOKEN|PASS|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_KEY|SESSION|WEBHOOK)/i;
const VALUE = `(?!\\[REDACTED\\])([^\\s"',;]{4,})`;
const PATTERNS: [RegExp, string][] = [
  // Credentials inside URLs: scheme://user:password@host, where the password may itself contain '@'
  // (the host starts after the last '@' of the authority).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s/]*@(?=[^\s/@]+)/gi, `$1:${MASK}@`],
  // Slack incoming webhooks: the path is the credential.
  [/\b(https:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_-]+/g, `$1${MASK}`],
  // AWS access key ids
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g, MASK],
  // Authorization headers and bearer tokens
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1 ${MASK}`],
  // Command-line flags that carry a secret: kubeadm join --token … --discovery-token-ca-cert-hash sha256:…
  // --certificate-key …, and any --*password/--*secret/--*token flag.
  [
    /(--[A-Za-z0-9-]*(?:token|password|passwd|secret|certificate-key|cert-hash)[A-Za-z0-9-]*)(\s+|=)(?!\[REDACTED\])([^\s"']{4,})/gi,
    `$1$2${MASK}`,
  ],
  // kubeadm bootstrap tokens on their own ("abcdef.0123456789abcdef", printed by `kubeadm token create`)
  [/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, MASK],
  // kubeconfig and key=value / key: value pairs whose key names a secret
  [
    new RegExp(
      `\\b([A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|client-key-data|client-certificate-data)[A-Za-z0-9_.-]*)(["']?\\s*[:=]\\s*["']?)${VALUE}`,
      "gi",
    ),
    `$1$2${MASK}`,
  ],
  // Keys named *PASS* (VAULT_PASS, db_pass, passphrase), but not words that merely start with it ("passed: 3")
  [
    new RegExp(`\\b([A-Za-z0-9_.-]*pass(?:phrase)?(?:[_.-][A-Za-z0-9_.-]*)?)(["']?\\s*[:=]\\s*["']?)${VALUE}`, "gi"),
    `$1$2${MASK}`,
  ],
  // GitHub tokens and similar prefixed tokens
  [/\b(?:ghp|gho|ghu|ghs|ghr|github_pat|glpat|xox[abpr])[_-][A-Za-z0-9_]{16,}\b/g, MASK],
];
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*(PRIVATE KEY|CERTIFICATE|ENCRYPTED|RSA|OPENSSH)[A-Z0-9 ]*-----/;
const PEM_END = /-----END [A-Z0-9 ]+-----/;
/** The shortest piece of a secret hidden at the end or start of a line when the secret continues across it. */
const MIN_FRAGMENT = 4;

/** Values of environment variables whose names mark them as secrets (at least 6 characters long). */
export function secretValuesFrom(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => v && v.length >= 6 && SECRET_ENV_NAME.test(k))
    .map(([, v]) => v!);
}

/** The forms a secret takes in base64 output: encoded alone, or at any of the three offsets inside a longer
 * encoded text (the characters that depend on the neighbours are left out), with and without padding. */
export function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const out = new Set<string>();
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes])
      .toString("base64")
      .replace(/=+$/, "");
    // The first chars mix the padding bytes in, the last ones the next byte: keep only the stable middle.
    const start = Math.ceil((shift * 4) / 3);
    const end = Math.floor(((shift + bytes.length) * 4) / 3);
    const stable = encoded.slice(start, end);
    if (stable.length >= 8) out.add(stable);
  }
  const whole = bytes.toString("base64");
  out.add(whole);
  out.add(bytes.toString("base64url"));
  return [...out].filter((s) => s.length >= 8);
}

/** Redacts one piece of free text that is not step output (a run's reason), with the patterns alone. */
export function redactText(text: string): string {
  return new Redactor().line(text);
}

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A per-run redactor. */
export class Redactor {
  private inPem = false;
  private readonly literals: string[];
  private readonly literal: RegExp | null;
  /** What the previous line ended with that began a secret, and the secret it began. */
  private carry: { secret: string; rest: string } | null = null;
  private readonly byHead = new Map<string, string[]>();
  private readonly longest: number;

  constructor(secrets: string[] = []) {
    const values = secrets.filter((s) => s.length >= 6);
    this.literals = [...new Set([...values, ...values.flatMap(base64Forms)])].sort((a, b) => b.length - a.length);
    this.literal = this.literals.length ? new RegExp(this.literals.map(escape).join("|"), "g") : null;
    for (const l of this.literals) {
      const head = l.slice(0, MIN_FRAGMENT);
      this.byHead.set(head, [...(this.byHead.get(head) ?? []), l]);
    }
    this.longest = Math.max(0, ...this.literals.map((l) => l.length));
  }

  /** Redacts one line; lines inside a PEM block are replaced entirely. */
  line(raw: string): string {
    const text = stripAnsi(raw);
    const out = this.redact(text);
    // Unchanged: keep the original with its colours. Changed: the plain text, since an escape could sit inside a secret.
    return out === text ? raw : out;
  }

  private redact(text: string): string {
    if (this.inPem) {
      if (PEM_END.test(text)) {
        this.inPem = false;
        return text.replace(/^.*?(-----END [A-Z0-9 ]+-----)/, `${MASK} $1`);
      }
      return MASK;
    }
    const begin = PEM_BEGIN.exec(text);
    if (begin) {
      const rest = text.slice(begin.index + begin[0].length);
      if (!PEM_END.test(rest)) this.inPem = true;
      return text.slice(0, begin.index + begin[0].length) + (this.inPem ? "" : ` ${MASK} -----END-----`);
    }
    let out = this.continuation(text);
    if (this.literal) out = out.replace(this.literal, MASK);
    for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
    return this.startOfSecretAtEnd(out);
  }

  // A line that starts with the rest of a secret the previous line began.
  private continuation(text: string): string {
    const carry = this.carry;
    this.carry = null;
    if (!carry) return text;
    if (text.startsWith(carry.rest)) return MASK + text.slice(carry.rest.length);
    // The rest may go on over a further line (base64 wrapped at 76 characters, a secret longer than that).
    if (carry.rest.startsWith(text) && text.length > 0) {
      this.carry = { secret: carry.secret, rest: carry.rest.slice(text.length) };
      return MASK;
    }
    return text;
  }

  // A line that ends with the beginning of a secret (at least MIN_FRAGMENT characters) hides it and expects the rest.
  // Candidates are looked up by their first characters, so a line costs a few map lookups, not a scan per secret.
  private startOfSecretAtEnd(out: string): string {
    if (this.carry || !this.byHead.size) return out;
    for (let pos = Math.max(0, out.length - this.longest + 1); pos <= out.length - MIN_FRAGMENT; pos++) {
      const candidates = this.byHead.get(out.slice(pos, pos + MIN_FRAGMENT));
      if (!candidates) continue;
      const tail = out.slice(pos);
      const secret = candidates.find((c) => c.length > tail.length && c.startsWith(tail));
      if (secret) {
        this.carry = { secret, rest: secret.slice(tail.length) };
        return out.slice(0, pos) + MASK;
      }
    }
    return out;
  }
}
