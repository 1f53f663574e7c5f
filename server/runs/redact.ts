// Secret redaction for step output, applied line by line before anything is stored or streamed.
// It is stateful: a PEM block spans several lines, and every line inside one is hidden.

export const MASK = "[REDACTED]";
const SECRET_ENV_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_KEY|SESSION)/i;
const PATTERNS: [RegExp, string][] = [
  // Credentials inside URLs: scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s/@]+@/gi, `$1:${MASK}@`],
  // AWS access key ids
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g, MASK],
  // Authorization headers and bearer tokens
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1 ${MASK}`],
  // key=value and key: value pairs whose key names a secret
  [/\b([A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key)[A-Za-z0-9_.-]*)(["']?\s*[:=]\s*["']?)(?!\[REDACTED\])([^\s"',;]{4,})/gi, `$1$2${MASK}`],
  // GitHub tokens and similar prefixed tokens
  [/\b(?:ghp|gho|ghu|ghs|ghr|github_pat|glpat|xox[abpr])[_-][A-Za-z0-9_]{16,}\b/g, MASK],
];
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*(PRIVATE KEY|CERTIFICATE|ENCRYPTED|RSA|OPENSSH)[A-Z0-9 ]*-----/;
const PEM_END = /-----END [A-Z0-9 ]+-----/;

/** Values of environment variables whose names mark them as secrets (at least 6 characters long). */
export function secretValuesFrom(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => v && v.length >= 6 && SECRET_ENV_NAME.test(k))
    .map(([, v]) => v!);
}

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A per-run redactor. */
export class Redactor {
  private inPem = false;
  private readonly literal: RegExp | null;

  constructor(secrets: string[] = []) {
    const uniq = [...new Set(secrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
    this.literal = uniq.length ? new RegExp(uniq.map(escape).join("|"), "g") : null;
  }

  /** Redacts one line; lines inside a PEM block are replaced entirely. */
  line(text: string): string {
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
    let out = this.literal ? text.replace(this.literal, MASK) : text;
    for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
    return out;
  }
}
