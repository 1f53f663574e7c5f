import "server-only";

// A step's output is untrusted: escape sequences in it could move the cursor, retitle the window,
// rewrite lines already printed (a fake "succeeded"), or write to the clipboard (OSC 52). Before the
// CLI prints log text to a terminal, it drops them. Sequence shapes from ECMA-48 and xterm's
// ctlseqs: CSI (ESC [ … final byte), OSC/DCS/SOS/PM/APC strings (ended by BEL or ESC \), other
// two-byte ESC sequences, and their 8-bit C1 forms.

const SEQUENCES =
  /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\s\S]*?(?:\x07|\x1b\\|\x9c|$)|\x1b[\x20-\x2f]*[\x30-\x7e]?/g;
// Whatever control characters remain (CR, backspace, C1), except tab.
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

/** `text` with every terminal control sequence and control character removed (tabs kept). */
export function stripTerminalEscapes(text: string): string {
  return text.replace(SEQUENCES, "").replace(CONTROLS, "");
}
