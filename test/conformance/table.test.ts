/**
 * docs/conformance.md is data: each row names a real function and a test, and its summary counts the
 * rows. This test keeps the table honest — a row without a real-code reference or a test that exists,
 * a status outside the five, a difference with no reason kept, or a stale summary fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'conformance.md'), 'utf8');
const STATUSES = ['match', 'errno', 'differs', 'missing', 'proposal'] as const;
type Status = (typeof STATUSES)[number];

interface Row {
  id: string;
  realCode: string;
  status: string;
  kept: string;
  test: string;
}

/** Split a table line on its unescaped pipes (cells may hold code spans with `›`, never a pipe). */
function cells(line: string): string[] {
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

function rows(): Row[] {
  const out: Row[] = [];
  for (const line of DOC.split('\n')) {
    if (!/^\| [A-Z]{3}-\d\d \|/.test(line)) continue;
    const c = cells(line);
    out.push({ id: c[0], realCode: c[3], status: c[6], kept: c[7], test: c[8] });
  }
  return out;
}

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const ALL = rows();
const TEST_DIR = join(ROOT, 'test');
const TAGGED = testFiles(join(TEST_DIR, 'conformance')).map((f) => readFileSync(f, 'utf8')).join('\n');

describe('docs/conformance.md', () => {
  it('has at least 100 rows, each with a unique id', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(100);
    expect(new Set(ALL.map((r) => r.id)).size).toBe(ALL.length);
  });

  it('names a real function as repo:path:function in every row', () => {
    const bad = ALL.filter((r) => !/^`(xen-project\/xen|torvalds\/linux):[\w./-]+\.[ch]:\w+`$/.test(r.realCode));
    expect(bad.map((r) => `${r.id}: ${r.realCode}`)).toEqual([]);
  });

  it('gives every row one of the five statuses, and a reason for every difference kept', () => {
    const bad = ALL.filter((r) => !STATUSES.includes(r.status as Status));
    expect(bad.map((r) => `${r.id}: ${r.status}`)).toEqual([]);
    const unexplained = ALL.filter((r) => (r.status === 'differs' || r.status === 'missing' || r.status === 'proposal') && r.kept === '');
    expect(unexplained.map((r) => r.id)).toEqual([]);
  });

  it('names, in every row, a test that exists', () => {
    const missing: string[] = [];
    for (const r of ALL) {
      const tag = /^\[([A-Z]{3}-\d\d)\]$/.exec(r.test);
      if (tag !== null) {
        if (tag[1] !== r.id || !TAGGED.includes(`'[${r.id}]`) && !TAGGED.includes(`"[${r.id}]`)) missing.push(`${r.id}: no test tagged [${r.id}] in test/conformance/`);
        continue;
      }
      const cited = /^`([\w./-]+\.test\.ts) › (.+)`$/.exec(r.test);
      if (cited === null) {
        missing.push(`${r.id}: test cell is neither [ID] nor \`file › title\`: ${r.test}`);
        continue;
      }
      let text: string;
      try {
        text = readFileSync(join(TEST_DIR, cited[1]), 'utf8');
      } catch {
        missing.push(`${r.id}: no such test file test/${cited[1]}`);
        continue;
      }
      const title = cited[2];
      const quoted = [`'${title}'`, `"${title}"`, `\`${title}\``, `'${title.replace(/'/g, "\\'")}'`];
      if (!quoted.some((q) => text.includes(q))) missing.push(`${r.id}: no test titled "${title}" in test/${cited[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it('states, in its summary, the counts the rows give', () => {
    const counts: Record<string, number> = {};
    for (const r of ALL) counts[r.status] = (counts[r.status] ?? 0) + 1;
    const summary = /<!-- conformance-summary -->([\s\S]*?)<!-- \/conformance-summary -->/.exec(DOC);
    expect(summary, 'the summary block').not.toBeNull();
    const stated: Record<string, number> = {};
    for (const line of summary![1].split('\n')) {
      const c = /^\| \**(\w+)\** \| \**(\d+)\** \|$/.exec(line.trim());
      if (c !== null) stated[c[1]] = Number(c[2]);
    }
    expect(stated).toEqual({ ...counts, total: ALL.length });
  });
});
