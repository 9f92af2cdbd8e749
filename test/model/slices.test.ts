/**
 * The slice listing (src/model/slices.ts) against the model it lists: every slice folder registered,
 * reach and refs facts where their order depends on it, and words for every hop the model builds.
 * Runs every design on fixed seeds and run counts, watching each checked state through a spy invariant.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REACH_EXEMPTIONS } from '../../invariants/reachExemptions.ts';
import type { StateInvariant } from '../../invariants/types.ts';
import { actionsArbitrary } from '../../src/fuzz/arbitraries.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import type { Derived } from '../../src/model/derived.ts';
import { DESIGNS } from '../../src/model/designs.ts';
import { SLICES } from '../../src/model/slices.ts';
import { hopText } from '../../src/model/words.ts';
import { makeChecker } from '../../src/runner/checker.ts';
import { runGenerated } from '../../src/runner/run.ts';

/** Run every design (default knobs) on fixed seeds, handing each checked state to `watch`. */
function watchEveryDesign(watch: (d: Derived) => void): void {
  const spy: StateInvariant = {
    kind: 'state',
    id: 'spy',
    title: 'watches every checked state',
    category: 'functional',
    rationale: 'test only',
    source: 'test',
    describe: () => '',
    check(d) {
      watch(d);
      return [];
    },
  };
  for (const design of DESIGNS) {
    const checker = makeChecker(design, knobDefaults(design), DEFAULT_SCOPE, [spy]);
    for (const actions of fc.sample(actionsArbitrary(design.ops, DEFAULT_SCOPE), { seed: 23, numRuns: 40 })) runGenerated(checker, actions);
  }
}

describe('the slice listing', () => {
  it('registers every folder under src/model/ as a slice, the core first', () => {
    const folders = readdirSync(join(import.meta.dirname, '../../src/model'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(SLICES[0].name).toBe('core');
    expect(SLICES.map((s) => s.name).sort()).toEqual(folders.sort());
  });

  it('keeps fact order: a world with GPU shadows never fills a flat DMA table (the core lists its flat tables first)', () => {
    let shadowStates = 0;
    const filled: string[] = [];
    watchEveryDesign((d) => {
      if (d.state.gpu.shadow === undefined) return;
      shadowStates++;
      for (const [client, table] of Object.entries(d.state.gpu.tables)) if (table.some((e) => e !== null)) filled.push(`dom${client}`);
    });
    expect(shadowStates).toBeGreaterThan(100);
    expect(filled).toEqual([]);
  });

  it('has words for every hop the model builds, in every reach path and refs holder', () => {
    const seen = new Set<string>();
    const unworded: string[] = [];
    watchEveryDesign((d) => {
      const hops = [...d.reach().flatMap((e) => e.path), ...d.refs().map((r) => r.holder)];
      for (const h of hops) {
        seen.add(h.via);
        const text = hopText(h);
        if (text.length === 0 || text.includes('undefined')) unworded.push(`${JSON.stringify(h)}: ${text}`);
      }
    });
    expect(unworded).toEqual([]);
    // The reach/refs hops of all four slices are reached, so the check is not vacuous.
    for (const via of ['p2m', 'iommu', 'grant', 'foreign', 'dmaTable', 'virtioMap', 'shadowGgtt', 'shadowPpgtt', 'aperture', 'dma', 'context', 'hypercall']) {
      expect(seen, via).toContain(via);
    }
  });
});

describe('the no-foreign-reach exemptions table', () => {
  it('has no dead row: each exemption is the one that allows some reach in the campaign', () => {
    const used = new Set<string>();
    watchEveryDesign((d) => {
      for (const e of d.reach()) {
        const x = REACH_EXEMPTIONS.find((row) => row.allows(d.state, e, d.state.frames[e.mfn]));
        if (x !== undefined) used.add(x.id);
      }
    });
    expect([...used].sort()).toEqual(REACH_EXEMPTIONS.map((x) => x.id).sort());
  });
});
