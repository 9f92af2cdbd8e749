/**
 * Writing JUnit XML that every CI dashboard reads: suites of test cases, each with its time, optional
 * properties, failure or error with a message and a body, and system-out. Text is escaped so the
 * document is well-formed XML 1.0 whatever a message holds: markup characters become entities, and
 * characters XML 1.0 cannot carry at all (C0 controls other than tab and newline, lone surrogates,
 * U+FFFE/U+FFFF) — not even as character references — become visible `\u001b`-style text.
 */

/** A character XML 1.0 forbids outright (Char production, §2.2), or an unpaired surrogate. */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Escape text for element content. */
export function xmlText(s: string): string {
  return s.replace(NOT_XML_CHAR, visible).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape text for an attribute value in double quotes; newlines and tabs as references, so parsers keep them. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** A failure (the check said no) or an error (the check could not run). */
export interface JunitProblem {
  kind: 'failure' | 'error';
  type: string;
  message: string;
  /** The body: the trace, the witness, the reproduce line. */
  text: string;
}

/** One test case. */
export interface JunitCase {
  name: string;
  classname: string;
  /** Seconds; left out when the case has no time of its own. */
  seconds?: number;
  properties?: Record<string, string>;
  problem?: JunitProblem;
  systemOut?: string;
}

/** One test suite. */
export interface JunitSuite {
  name: string;
  seconds: number;
  properties: Record<string, string>;
  cases: JunitCase[];
  /** ISO 8601 start time, when known. */
  timestamp?: string;
}

function secondsText(s: number): string {
  return (Math.round(s * 1000) / 1000).toFixed(3);
}

function propertiesXml(p: Record<string, string> | undefined, indent: string): string[] {
  const entries = Object.entries(p ?? {});
  if (entries.length === 0) return [];
  return [`${indent}<properties>`, ...entries.map(([k, v]) => `${indent}  <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`), `${indent}</properties>`];
}

function caseXml(c: JunitCase): string[] {
  const time = c.seconds !== undefined ? ` time="${secondsText(c.seconds)}"` : '';
  const out = [`    <testcase name="${xmlAttr(c.name)}" classname="${xmlAttr(c.classname)}"${time}>`, ...propertiesXml(c.properties, '      ')];
  if (c.problem !== undefined) {
    const p = c.problem;
    out.push(`      <${p.kind} type="${xmlAttr(p.type)}" message="${xmlAttr(p.message)}">${xmlText(p.text)}</${p.kind}>`);
  }
  if (c.systemOut !== undefined) out.push(`      <system-out>${xmlText(c.systemOut)}</system-out>`);
  out.push('    </testcase>');
  return out;
}

function count(cases: readonly JunitCase[], kind: JunitProblem['kind']): number {
  return cases.filter((c) => c.problem?.kind === kind).length;
}

/** The whole document. */
export function junitXml(name: string, suites: readonly JunitSuite[]): string {
  const all = suites.flatMap((s) => s.cases);
  const seconds = suites.reduce((t, s) => t + s.seconds, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlAttr(name)}" tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}" time="${secondsText(seconds)}">`,
  ];
  for (const s of suites) {
    const stamp = s.timestamp !== undefined ? ` timestamp="${xmlAttr(s.timestamp)}"` : '';
    out.push(
      `  <testsuite name="${xmlAttr(s.name)}" tests="${s.cases.length}" failures="${count(s.cases, 'failure')}" errors="${count(s.cases, 'error')}" skipped="0" time="${secondsText(s.seconds)}"${stamp}>`,
      ...propertiesXml(s.properties, '    '),
      ...s.cases.flatMap(caseXml),
      '  </testsuite>',
    );
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}
