import { describe, expect, it } from 'vitest';
import { runCli as run } from '../helpers/cli.ts';

describe('shadowcheck faults', () => {
  it('a sound design: exit 0, the points failed listed, every sound invariant held', async () => {
    const r = await run(['faults', '--design', 'xen-map-for-dma', '--set', 'checkTarget=true', '--runs', '20']);
    expect(r.code).toBe(0);
    // The setting is printed in full (the adversary knobs included); 12 sound invariants: the core's, iotlb-flushed-before-free and levels 0-2.
    expect(r.out).toMatch(/xen-map-for-dma \{"checkTarget":true,[^}]*\}: \d+ runs, failed .*iommu-pt-page \d+.* — 12 sound invariants hold on every error path/);
  });

  it('the leaking fixture as a design file: exit 1, the shrunk trace names the failed point', async () => {
    const r = await run(['faults', '--design-file', 'test/fixtures/designs/leakOnFailureMapGrant.ts', '--set', 'checkTarget=true', '--runs', '100']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('refcounts-match-refs');
    expect(r.out).toContain('injected: fallible point 1 (iommu-pt-page) failed with ENOMEM');
  });

  it('random mode and JSON: a document with the mode and the counts', async () => {
    const r = await run(['faults', '--design', 'xen-translate-gpfn', '--random', '0.5', '--runs', '10', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.mode).toEqual({ kind: 'random', rate: 0.5 });
    expect(doc.results[0].executions).toBe(10);
  });

  it('usage errors: a positional, an unknown design, a rate out of range', async () => {
    expect((await run(['faults', 'xen-map-for-dma'])).code).toBe(2);
    expect((await run(['faults', '--design', 'nope'])).code).toBe(2);
    expect((await run(['faults', '--random', '2'])).code).toBe(2);
  });
});
