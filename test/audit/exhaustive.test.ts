import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/audit.ts';
import { answerLine } from '../../src/audit/auditReport.ts';
import { FALLBACK_SCOPE_NAME, smallScopeFor } from '../../src/audit/exhaustive.ts';
import { loadDesignFile } from '../../src/audit/designFile.ts';
import { auditJunit } from '../../src/audit/junit.ts';
import { checkScopeOf } from '../../src/check/scopes.ts';
import { EXIT_UNEXPECTED } from '../../src/cli/exitCodes.ts';
import type { Design } from '../../src/model/core/design.ts';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { deriveDesign } from '../../src/model/core/deriveDesign.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { findDesign } from '../../src/model/designs.ts';
import { OUTPUT_FORMATS, outputProblem } from '../../src/trace/schemas/outputSchemas.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/entries.ts';

const FIXTURE = 'test/fixtures/designs/endAccessWhileMapped.ts';
/** An empty corpus: the CLI replays nothing but the two sides' own traces. */
const EMPTY = tempDir();

async function design(file: string): Promise<Design> {
  const r = await loadDesignFile(file);
  if (!r.ok) throw new Error(r.message);
  return r.design;
}

/** The fixture audited with one random run per design: only an exhaustive pass can find its break. */
async function tiny(exhaustive: { depth: number; maxStates: number } | undefined) {
  return runAudit({ baseline: xenMapForDma, candidate: await design(FIXTURE), seed: 1, budget: { runs: 1 }, scope: DEFAULT_SCOPE, corpusFiles: [], exhaustive });
}

describe("audit's exhaustive pass", () => {
  it('without it, one random run misses the 3-action break (so the next test shows the pass at work)', async () => {
    const r = await tiny(undefined);
    expect(r.rows.find((x) => x.invariant === 'end-access-fails-while-mapped')!.change).toBe('unchanged');
    expect(r.exhaustive).toEqual({ ran: false, reason: 'not requested' });
    expect(answerLine(r)).toBe('no invariant newly broken, 0 fixed; evidence: 1 runs per design; no exhaustive pass: not requested');
  });

  it('finds it breadth-first in core-small: grant, map, end access — newly broken, replayed on the baseline, where it holds', async () => {
    const r = await tiny({ depth: 3, maxStates: 20_000 });
    const row = r.rows.find((x) => x.invariant === 'end-access-fails-while-mapped')!;
    expect(row.change).toBe('newly broken');
    expect(row.newBreak!.from).toBe('exhaustive');
    expect(row.newBreak!.trace.map((s) => s.action.op)).toEqual(['grantAccess', 'mapGrant', 'endAccess']);
    expect(row.newBreak!.trace[2].result).toEqual({ ok: true });
    // Replayed on the baseline in the scope it was found in: there end_access answers EBUSY.
    expect(row.onBaseline).toBe('holds through all 3 steps');
    expect(row.replays).toContainEqual(expect.objectContaining({ whose: 'candidate', from: 'exhaustive', length: 3, verdict: 'holds' }));
    // The same three actions leave dom1 mapping a page dom0 no longer grants it: no-foreign-reach too, and nothing else.
    expect(r.rows.filter((x) => x.change !== 'unchanged').map((x) => x.invariant)).toEqual(['no-foreign-reach', 'end-access-fails-while-mapped']);
    expect(r.newlyBroken).toBe(2);
    expect(r.exhaustive).toMatchObject({ ran: true, scope: 'core-small', depthBound: 3, baseline: { depth: 3, stopped: 'depth' }, candidate: { depth: 3 } });
    expect(answerLine(r)).toMatch(/^2 invariants newly broken, 0 fixed; evidence: 1 runs per design \+ all traces ≤ 3 actions in scope core-small \(\d[\d,]* and \d[\d,]* states\)$/);
    // JUnit carries the same reach.
    const xml = auditJunit(r, 'npx shadowcheck audit x');
    expect(xml).toContain('name="exhaustive-scope" value="core-small"');
    expect(xml).toContain('name="exhaustive-depth" value="3"');
    expect(xml).toMatch(/all traces ≤ 3 actions in scope core-small/);
  });

  it('states the depth it completed when the state limit stops it short of the bound', async () => {
    const r = await tiny({ depth: 6, maxStates: 200 });
    expect(r.exhaustive.ran && r.exhaustive.baseline.stopped).toBe('max-states');
    const depth = r.exhaustive.ran ? Math.min(r.exhaustive.baseline.depth, r.exhaustive.candidate.depth) : -1;
    expect(depth).toBeLessThan(6);
    expect(answerLine(r)).toContain(`all traces ≤ ${depth} actions in scope core-small (`);
    expect(answerLine(r)).toContain('state limit 200 reached before depth 6');
  });

  it('a side whose world cannot be built in the small scope makes the reach say so, not claim a depth', async () => {
    const noWorld = deriveDesign(xenMapForDma, { id: 'no-small-world', buildWorld: (scope, knobs) => {
      if (scope.domains < 3) throw new Error('needs a second guest');
      return xenMapForDma.buildWorld(scope, knobs);
    } });
    const r = await runAudit({ baseline: xenMapForDma, candidate: noWorld, seed: 1, budget: { runs: 1 }, scope: DEFAULT_SCOPE, corpusFiles: [], exhaustive: { depth: 2, maxStates: 20_000 } });
    expect(r.exhaustive.ran && r.exhaustive.candidate.error).toBe('building the world in scope core-small threw: needs a second guest');
    expect(answerLine(r)).toContain('evidence: 1 runs per design + exhaustive pass incomplete in scope core-small: building the world in scope core-small threw: needs a second guest');
    expect(answerLine(r)).not.toContain('all traces');
  });

  it('a baseline with no small scope says so instead of skipping silently', async () => {
    const rmrr = findDesign('rmrr-v2')!;
    expect(smallScopeFor(rmrr)).toBe('no small scope for design rmrr-v2');
    // The fallback's name is what marks "no small scope": check's fallback must still carry it.
    expect(checkScopeOf({ ...rmrr, id: 'no-such-design' }).name).toBe(FALLBACK_SCOPE_NAME);
    expect(typeof smallScopeFor(xenMapForDma)).toBe('object');
    const r = await runAudit({ baseline: rmrr, candidate: await design('examples/deassign-to-hwdom.ts'), seed: 1, budget: { runs: 1 }, scope: DEFAULT_SCOPE, corpusFiles: [], exhaustive: { depth: 4, maxStates: 20_000 } });
    expect(r.exhaustive).toEqual({ ran: false, reason: 'no small scope for design rmrr-v2' });
    expect(answerLine(r)).toMatch(/; evidence: 1 runs per design; no exhaustive pass: no small scope for design rmrr-v2$/);
  });

  it('the CLI runs it by default: first line names the depth, --json carries it under the schema', async () => {
    const text = await runCli(['audit', FIXTURE, '--runs', '1', '--depth', '3', '--corpus', EMPTY, '--step-timeout', '0']);
    expect(text.code).toBe(EXIT_UNEXPECTED);
    expect(text.out.split('\n')[0]).toMatch(/^2 invariants newly broken, 0 fixed; evidence: 1 runs per design \+ all traces ≤ 3 actions in scope core-small/);
    expect(text.out).toContain('shortest, found by the exhaustive pass');
    expect(text.out).toContain('--runs 1 --depth 3');
    const json = await runCli(['audit', FIXTURE, '--runs', '1', '--depth', '3', '--json', '--corpus', EMPTY, '--step-timeout', '0']);
    const doc = JSON.parse(json.out);
    expect(doc.format).toBe(OUTPUT_FORMATS.audit);
    expect(outputProblem(doc)).toBeUndefined();
    expect(doc.exhaustive).toMatchObject({ ran: true, scope: 'core-small', depthBound: 3, maxStates: 20_000 });
    // The schema requires the field and its shape.
    const { exhaustive: _x, ...without } = doc;
    expect(outputProblem(without)).toMatch(/exhaustive/);
    expect(outputProblem({ ...doc, exhaustive: { ran: true, scope: 'core-small' } })).toBeDefined();
    const off = await runCli(['audit', FIXTURE, '--no-exhaustive', '--depth', '3']);
    expect(off.err).toBe('shadowcheck: --no-exhaustive takes no --depth or --max-states');
  });
});
