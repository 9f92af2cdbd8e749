/**
 * A small XML 1.0 well-formedness check, enough for the JUnit files shadowcheck writes: only
 * characters the Char production allows, markup balanced with one root, attributes quoted and unique,
 * `<` never in text or attribute values, `&` only as an entity or character reference. Returns the
 * first problem, or undefined.
 */
const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const REFERENCE = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
const NAME = '[A-Za-z_:][-A-Za-z0-9_:.]*';
const ATTR = new RegExp(`\\s+(${NAME})\\s*=\\s*("[^"]*"|'[^']*')`, 'gy');

export function xmlProblem(xml: string): string | undefined {
  if (!XML_CHAR.test(xml)) {
    const bad = [...xml].findIndex((c) => !XML_CHAR.test(c));
    return `character U+${xml.codePointAt(bad)!.toString(16).toUpperCase().padStart(4, '0')} at ${bad} is not allowed in XML 1.0`;
  }
  let i = 0;
  if (xml.startsWith('<?xml')) {
    i = xml.indexOf('?>');
    if (i < 0) return 'unterminated XML declaration';
    i += 2;
  }
  const stack: string[] = [];
  let roots = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? undefined : lt);
    if (REFERENCE.test(text)) return `a bare '&' in text at ${i}`;
    if (stack.length === 0 && text.trim() !== '') return `text outside the root at ${i}`;
    if (lt < 0) break;
    if (xml.startsWith('</', lt)) {
      const m = new RegExp(`^</(${NAME})\\s*>`).exec(xml.slice(lt));
      if (!m) return `a malformed end tag at ${lt}`;
      if (stack.pop() !== m[1]) return `</${m[1]}> at ${lt} closes nothing open`;
      i = lt + m[0].length;
      continue;
    }
    const name = new RegExp(`^<(${NAME})`).exec(xml.slice(lt));
    if (!name) return `a '<' that starts no tag at ${lt}`;
    let j = lt + name[0].length;
    const seen = new Set<string>();
    ATTR.lastIndex = j;
    for (let m = ATTR.exec(xml); m !== null; m = ATTR.exec(xml)) {
      if (seen.has(m[1])) return `attribute ${m[1]} repeated at ${lt}`;
      seen.add(m[1]);
      const value = m[2].slice(1, -1);
      if (value.includes('<')) return `a '<' in attribute ${m[1]} at ${lt}`;
      if (REFERENCE.test(value)) return `a bare '&' in attribute ${m[1]} at ${lt}`;
      j = ATTR.lastIndex;
    }
    const end = /^\s*(\/?)>/.exec(xml.slice(j));
    if (!end) return `a malformed start tag <${name[1]} at ${lt}`;
    if (stack.length === 0) roots += 1;
    if (end[1] !== '/') stack.push(name[1]);
    i = j + end[0].length;
  }
  if (stack.length > 0) return `<${stack[stack.length - 1]}> is never closed`;
  if (roots !== 1) return `${roots} root elements`;
  return undefined;
}
