// Splits a byte stream into text lines. A partial last line is kept until more data or the end;
// a line longer than `maxLine` is cut into pieces so one runaway line cannot exhaust memory.

export class LineSplitter {
  private rest = "";
  private readonly decoder = new TextDecoder("utf-8");

  constructor(private readonly maxLine = 16 * 1024) {}

  /** Feeds a chunk; returns the complete lines it finishes. */
  push(chunk: Uint8Array): string[] {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    const parts = text.split("\n");
    this.rest = parts.pop() ?? "";
    const out: string[] = [];
    for (const p of parts) this.cut(p.endsWith("\r") ? p.slice(0, -1) : p, out);
    if (this.rest.length > this.maxLine) {
      const keep = this.rest.length % this.maxLine;
      this.cut(this.rest.slice(0, this.rest.length - keep), out);
      this.rest = this.rest.slice(this.rest.length - keep);
    }
    return out;
  }

  /** Flushes what is left at the end of the stream. */
  end(): string[] {
    const text = this.rest + this.decoder.decode();
    this.rest = "";
    const out: string[] = [];
    if (text.length) this.cut(text, out);
    return out;
  }

  private cut(line: string, out: string[]) {
    if (line.length <= this.maxLine) {
      out.push(line);
      return;
    }
    for (let i = 0; i < line.length; i += this.maxLine) out.push(line.slice(i, i + this.maxLine));
  }
}
