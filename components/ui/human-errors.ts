// Validator messages in words a user acts on. The server's zod rules answer in zod's own wording
// ("Too big: expected string to have <=500 characters"); these turn that into a sentence with the fix.

const RULES: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^Too big: expected string to have <=\s*(\d+) characters?$/i,
    (m) => `Too long: keep it to ${m[1]} characters or fewer.`,
  ],
  [
    /^Too small: expected string to have >=\s*(\d+) characters?$/i,
    (m) => `Too short: write at least ${m[1]} characters.`,
  ],
  [/^Invalid option: expected one of (.+)$/i, (m) => `Pick one of ${m[1]!.replaceAll("|", ", ").replaceAll('"', "")}.`],
  [/^Invalid input: expected string, received undefined$/i, () => "This field is required."],
];

/** One validator message as a sentence with the fix; messages already written for people pass through. */
export function humanFieldError(message: string): string {
  for (const [re, say] of RULES) {
    const m = re.exec(message.trim());
    if (m) return say(m);
  }
  return message;
}

/** "Too long: 3,400 of at most 500 characters. Shorten it by 2,900." — the live counter's warning, or null. */
export function lengthProblem(length: number, min: number, max: number): string | null {
  if (length > max)
    return `Too long: ${length.toLocaleString("en-US")} characters, at most ${max.toLocaleString("en-US")}. Shorten it by ${(length - max).toLocaleString("en-US")}.`;
  if (length > 0 && length < min) return `Too short: at least ${min} characters.`;
  return null;
}
