/**
 * Corpus files as a person reads them: the top-level fields one per line, arrays one element per line
 * (so a trace is one action per line), everything deeper on the line of its element.
 */

/** Pretty JSON with at most two levels of indentation; ends with a newline. */
export function readableJson(value: unknown): string {
  return `${block(value, 0)}\n`;
}

function block(value: unknown, depth: number): string {
  const pad = '  '.repeat(depth + 1);
  const close = '  '.repeat(depth);
  if (depth < 2 && Array.isArray(value) && value.length > 0) {
    return `[\n${value.map((v) => pad + JSON.stringify(v)).join(',\n')}\n${close}]`;
  }
  if (depth < 1 && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const fields = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{\n${fields.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${block(v, depth + 1)}`).join(',\n')}\n${close}}`;
  }
  return JSON.stringify(value);
}
