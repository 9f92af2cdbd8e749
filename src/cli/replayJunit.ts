/**
 * `replay --junit FILE`: the replay as JUnit XML. A test suite per design (entries that could not be
 * read in their own suite), a test case per entry with its time and its seed, knobs and invariant as
 * properties. An entry that no longer reproduces or is stale fails — the body is the reason, the
 * witness it recorded and the line that replays it — and a bad file is an error.
 */
import { junitXml } from '../audit/junitXml.ts';
import type { JunitCase, JunitSuite } from '../audit/junitXml.ts';
import { settingsOf } from '../model/core/settings.ts';
import type { ReplayResult } from '../trace/replay.ts';

/** The suite of files that are not a readable entry of any known design. */
const UNREADABLE = '(unreadable)';

function testCase(r: ReplayResult, ms: number): JunitCase {
  const file = r.file ?? '';
  const e = r.entry;
  const properties: Record<string, string> = {};
  if (e !== undefined) {
    properties.design = e.design.id;
    properties.invariant = e.invariant;
    properties.knobs = (r.design ? settingsOf(r.design, e.knobs) : []).join(' ') || 'defaults';
    if (e.hints.seed !== undefined) properties.seed = String(e.hints.seed);
    properties.recorded = e.expect.verdict === 'violated' ? `violated at step ${e.expect.step + 1}` : 'holds';
  }
  const c: JunitCase = { name: file, classname: e?.design.id ?? UNREADABLE, seconds: ms / 1000, properties };
  const body = [
    `${r.status.replace(/-/g, ' ')}: ${r.reason}`,
    ...r.notes.map((n) => `note: ${n}`),
    ...(e?.witnessText ?? []).map((w) => `witness (${e!.invariant}, recorded): ${w}`),
    `reproduce: npx shadowcheck replay ${file}`,
  ].join('\n');
  if (r.status === 'bad-input') c.problem = { kind: 'error', type: 'bad-input', message: `${file}: ${r.reason}`, text: body };
  else if (r.status !== 'reproduced') c.problem = { kind: 'failure', type: r.status, message: `${file}: ${r.status.replace(/-/g, ' ')} — ${r.reason}`, text: body };
  else c.systemOut = body;
  return c;
}

/** JUnit XML for replayed entries; `ms[i]` is how long `results[i]` took. */
export function replayJunit(results: readonly ReplayResult[], ms: readonly number[]): string {
  const suites = new Map<string, JunitSuite>();
  results.forEach((r, i) => {
    const name = r.entry?.design.id ?? UNREADABLE;
    let suite = suites.get(name);
    if (suite === undefined) {
      suite = { name, seconds: 0, properties: name === UNREADABLE ? {} : { design: name }, cases: [] };
      suites.set(name, suite);
    }
    suite.cases.push(testCase(r, ms[i] ?? 0));
    suite.seconds += (ms[i] ?? 0) / 1000;
  });
  return junitXml(`shadowcheck replay (${results.length} entries)`, [...suites.values()]);
}
