import { describe, expect, it } from 'vitest';
import { findDesign } from '../../../src/model/designs.ts';
import { entryPage } from '../../../src/trace/html/pages.ts';
import type { SideView, ViewerPage } from '../../../src/trace/html/viewerData.ts';
import { corpusFiles, GPU_ENTRY, readEntry, STALE_ENTRY } from './fixtures.ts';

function pageOf(file: string): ViewerPage {
  const entry = readEntry(file);
  const page = entryPage(entry, findDesign(entry.design.id)!, file);
  if ('error' in page) throw new Error(page.error);
  return page;
}

/** "from → to" for the witness edges at step k, by node label. */
function witnessEdges(side: SideView, k: number): string[] {
  const label = new Map(side.nodes.map((n) => [n.id, n.label]));
  return side.steps[k].edges.filter((e) => e.witness).map((e) => `${label.get(e.from)} → ${label.get(e.to)}`).sort();
}

describe('viewer page of a corpus entry', () => {
  it('has one view per state, opens at the violating step, and highlights the witness path there', () => {
    const page = pageOf(GPU_ENTRY);
    const side = page.sides[0];
    expect(page.actions).toEqual(['ggttWrite dom=2 index=4 value=0', 'submitCommand dom=1 space=ggtt gma=4 write=false', 'gpuContextSwitch client=1 ppgtt=-1']);
    expect(side.steps).toHaveLength(4);
    expect(side.steps.map((s) => s.violated)).toEqual([false, false, false, true]);
    expect(page.focus).toBe(3);
    expect(witnessEdges(side, 3)).toEqual([
      'dom0 GPU (running dom1) → dom1 GPU commands',
      'dom0 IOMMU → mfn 0xa',
      'dom1 GPU commands → shadow GGTT',
      'shadow GGTT → dom0 IOMMU',
    ]);
    const highlighted = side.steps[3].nodes.filter((n) => n.witness).map((n) => n.id);
    expect(highlighted.sort()).toEqual(['F:10', 'P:dom0 GPU (running dom1)', 'T:dom0 IOMMU', 'T:dom1 GPU commands', 'T:shadow GGTT']);
    expect(side.witnessPaths).toEqual([['dom0 GPU (running dom1)', "dom1's command 0 (ggtt gma 0x4)", 'shadow GGTT entry 4 (dom2 gfn 0x0 → bfn 0x0)', 'dom0 IOMMU bfn 0x0', 'mfn 0xa (owner dom2, gen 1)']]);
  });

  it('marks what the step added: the GPU reaches dom2 only once the context switch runs dom1', () => {
    const side = pageOf(GPU_ENTRY).sides[0];
    const gpu = (k: number) => side.steps[k].edges.filter((e) => e.from === 'P:dom0 GPU (running dom1)');
    expect(gpu(2)).toEqual([]);
    expect(gpu(3).map((e) => e.mark)).toEqual(['added']);
    expect(side.steps[3].nodes.find((n) => n.id === 'P:dom0 GPU (running dom1)')?.mark).toBe('added');
    // The frame is dom2's, at generation 1, in every state.
    expect(side.steps[3].nodes.find((n) => n.id === 'F:10')?.frame).toEqual({ owner: 'dom2', gen: 1, refcount: 2 });
  });

  it('marks what the step removed, a frame whose owner and generation changed, and a stale reference', () => {
    const side = pageOf(STALE_ENTRY).sides[0];
    const p2mToFrame = (k: number) => side.steps[k].edges.find((e) => e.from === 'T:dom1 p2m' && e.to === 'F:6');
    expect(p2mToFrame(1)?.mark).toBe('same');
    expect(p2mToFrame(2)?.mark).toBe('removed');
    expect(p2mToFrame(3)).toBeUndefined();
    expect(side.steps[2].changes).toContain('mfn 0x6: owner dom1 → free, refcount 1 → 0');
    const frame = side.steps[3].nodes.find((n) => n.id === 'F:6');
    expect(frame).toMatchObject({ mark: 'changed', frame: { owner: 'dom0', gen: 2 }, witness: true });
    const slot = side.steps[3].edges.find((e) => e.from === 'T:DMA table of dom1' && e.to === 'F:6');
    expect(slot).toMatchObject({ kind: 'ref', stale: true, witness: true });
    expect(side.steps[2].edges.find((e) => e.from === 'T:DMA table of dom1' && e.to === 'F:6')?.stale).toBe(false);
  });

  it('shows an action the design no longer accepts as skipped, and the state unchanged by it', () => {
    const entry = readEntry(STALE_ENTRY);
    entry.trace.splice(1, 0, { action: { op: 'noSuchOp', dom: 1 }, result: { ok: true } });
    const page = entryPage(entry, findDesign(entry.design.id)!, 'edited');
    if ('error' in page) throw new Error(page.error);
    const steps = page.sides[0].steps;
    expect(steps).toHaveLength(5);
    expect(steps[2].result).toBe('skipped: xen-translate-gpfn has no op noSuchOp');
    expect(steps[2].edges.every((e) => e.mark === 'same')).toBe(true);
    expect(steps[4].violated).toBe(true);
  });

  it('draws a grant as a line from the granter\'s grant table, which becomes a mapping once the grantee maps it', () => {
    const entry = readEntry(STALE_ENTRY);
    entry.trace = [
      { action: { op: 'grantAccess', granter: 1, ref: 0, grantee: 2, gfn: 0, readonly: false }, result: { ok: true, value: 0 } },
      { action: { op: 'mapGrant', grantee: 2, granter: 1, ref: 0, readonly: false, hostGfn: 8, deviceBfn: -1 }, result: { ok: true, value: 0 } },
    ];
    const page = entryPage(entry, findDesign(entry.design.id)!, 'edited');
    if ('error' in page) throw new Error(page.error);
    const steps = page.sides[0].steps;
    expect(steps.map((s) => s.result)).toEqual(['', 'ok → 0x0', 'ok → 0x0']);
    const grant = (k: number) => steps[k].edges.find((e) => e.from === 'T:dom1 grant table');
    expect(grant(0)).toBeUndefined();
    expect(grant(1)).toMatchObject({ from: 'T:dom1 grant table', to: 'F:6', mark: 'added', labels: ['grant ref 0 of dom1 to dom2, gfn 0x0, 0 mappings'] });
    // Once mapped, dom2 reaches the frame through its p2m and the grant: the grant's line becomes a mapping.
    expect(grant(2)).toMatchObject({ kind: 'reach', mark: 'changed' });
    expect(grant(2)?.labels).toContain('grant ref 0 of dom1 to dom2, gfn 0x0, 1 mapping');
    expect(steps[2].edges.find((e) => e.from === 'T:dom2 p2m' && e.to === 'T:dom1 grant table')).toMatchObject({ kind: 'reach', mark: 'added' });
  });

  it('builds for every committed corpus entry: edges run left to right between placed nodes, the witness is lit at the violation', () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const entry = readEntry(file);
      const page = pageOf(file);
      for (const side of page.sides) {
        const at = new Map(side.nodes.map((n) => [n.id, n]));
        expect(side.steps).toHaveLength(entry.trace.length + 1);
        for (const step of side.steps) {
          for (const e of step.edges) {
            expect(at.has(e.from) && at.has(e.to), `${file}: ${e.from} → ${e.to}`).toBe(true);
            expect(at.get(e.from)!.column, `${file}: ${e.from} → ${e.to}`).toBeLessThan(at.get(e.to)!.column);
          }
        }
        // Every place is taken by one node only.
        expect(new Set(side.nodes.map((n) => `${n.column},${n.row}`)).size).toBe(side.nodes.length);
        if (entry.expect.verdict === 'violated' && entry.witnesses.length > 0) {
          const broken = side.steps[entry.expect.step + 1];
          expect(broken.violated, file).toBe(true);
          expect(broken.nodes.some((n) => n.witness), file).toBe(true);
        }
      }
    }
  });
});
