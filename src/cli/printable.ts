/**
 * Text from files (design ids, reasons, file names) reaches the terminal through here: control and
 * escape characters are shown escaped, so a corpus entry cannot set the window title, move the
 * cursor or hide text behind a bidirectional override.
 */

/**
 * C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the bidirectional
 * embeddings, overrides and isolates.
 */
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every unprintable character written as `\uXXXX`. The same escape JSON uses, so JSON
 * output stays valid JSON with the same value (JSON.stringify already escapes C0 inside strings).
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `text` for a single line — an error message, a file name in a report — newlines and tabs escaped too. */
export function printableLine(text: string): string {
  return printable(text).replace(/[\n\t]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
