// Text people typed (reasons, names): marked lang="ko" when it holds Hangul, so browsers pick Korean glyphs
// and line breaking, and screen readers read it with a Korean voice. The page itself stays lang="en".

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

/** "ko" for text containing Hangul, else undefined (the page's own language applies). */
export const langOf = (text: string): "ko" | undefined => (HANGUL.test(text) ? "ko" : undefined);

export function UserText({ text, className }: { text: string; className?: string }) {
  return (
    <span lang={langOf(text)} className={className}>
      {text}
    </span>
  );
}
