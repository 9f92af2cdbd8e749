import { describe, expect, it } from 'vitest';
import { typeOk as inv } from '../../../invariants/generic/typeOk.ts';
import { findInvariant } from '../../../invariants/registry.ts';
import type { Design } from '../../../src/model/core/design.ts';
import { knobDefaults } from '../../../src/model/core/design.ts';
import { xenMapForDma } from '../../../src/model/core/designs/xenMapForDma.ts';
import type { OpDef } from '../../../src/model/core/op.ts';
import { OK } from '../../../src/model/core/op.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import type { State } from '../../../src/model/core/state.ts';
import { derive } from '../../../src/model/derived.ts';
import { DESIGNS, findDesign } from '../../../src/model/designs.ts';
import { runCampaign } from '../../../src/fuzz/campaign.ts';

const SEED = 4242;

function worldOf(id: string): State {
  const d = findDesign(id)!;
  return d.buildWorld(DEFAULT_SCOPE, knobDefaults(d));
}

/** Where each witness says the bad value sits. */
function where(s: State): string[] {
  return inv.check(derive(s)).map((w) => String(w.expected).split(':')[0]);
}

describe('type-ok', () => {
  it('is registered first and checked by every design', () => {
    expect(findInvariant('type-ok')).toBe(inv);
    for (const d of DESIGNS) expect(d.invariants, d.id).toContain(inv.id);
  });

  it.each(DESIGNS.map((d) => [d.id]))('holds on the world of %s', (id) => {
    expect(where(worldOf(id))).toEqual([]);
  });

  it('breaks on a p2m entry with a dangling MFN, and says where and what', () => {
    const s = worldOf('xen-map-for-dma');
    s.domains[1].p2m[0] = { ...s.domains[1].p2m[0]!, mfn: s.frames.length };
    const [w] = inv.check(derive(s));
    expect(w).toMatchObject({ reason: 'not-type-ok', actual: s.frames.length });
    expect(inv.describe(w)).toBe(`$.domains[1].p2m[0].mfn: an MFN in [0, ${s.frames.length}), but holds ${s.frames.length}`);
  });

  it('breaks on dangling grant refs, maptrack entries, targets and owners', () => {
    const s = worldOf('xen-map-for-dma');
    const grants = s.domains[1].grants.length;
    s.domains[2].p2m[0] = { mfn: 6, type: 'grant_map_rw', gen: 1, counted: true, grant: { granter: 1, ref: grants } };
    s.domains[2].maptrack[0] = { granter: 1, ref: -1, readonly: false, hostGfn: 0, deviceBfn: -1 };
    s.domains[0].targets = [99];
    s.frames[6] = { ...s.frames[6], owner: { kind: 'dom', dom: 7.5 } };
    expect(where(s)).toEqual(['$.frames[6].owner.dom', '$.domains[0].targets[0]', '$.domains[2].p2m[0].grant.ref', '$.domains[2].maptrack[0].ref']);
  });

  it('breaks on an IOMMU entry or DMA table entry that names nothing', () => {
    const s = worldOf('xen-map-for-dma');
    s.domains[0].iommu[0] = { mfn: -1, gen: 1, counted: true, source: { kind: 'mapForDma', dom: 1, gfn: 99 } };
    s.gpu.tables[1][0] = { gfn: 0, addr: s.domains[0].iommu.length, addrKind: 'bfn', gen: 1 };
    expect(where(s)).toEqual(['$.domains[0].iommu[0].mfn', '$.domains[0].iommu[0].source.gfn', '$.gpu.tables[1][0].addr']);
  });

  it('breaks on a slice cross-reference that does not resolve: a virtio Map, a PPGTT root, a device owner', () => {
    const v = worldOf('virtio-gpu-primitives');
    v.virtio!.maps[0] = { provider: 0, parent: 3, mfn: 2, gen: 1, dom: 1, gfn: 0, type: 'mmio_direct' };
    v.domains[1].p2m[3] = { mfn: 2, type: 'mmio_direct', gen: 1, counted: true, map: { handle: 5 } };
    expect(where(v)).toEqual(['$.domains[1].p2m[3].map.handle', '$.virtio.maps[0].parent']);

    const g = worldOf('kvmgt-page-track');
    const vgpu = Object.values(g.gpu.shadow!.vgpus)[0];
    vgpu.ppgtts[0] = { root: { gfn: 0, mfn: g.frames.length + 3, gen: 1 }, pts: [] };
    expect(where(g)).toEqual([expect.stringMatching(/^\$\.gpu\.shadow\.vgpus\[\d+\]\.ppgtts\[0\]\.root\.mfn$/)]);

    const r = worldOf('rmrr-v2');
    r.platform!.devices[0].owner = r.domains.length;
    expect(where(r)).toEqual(['$.platform.devices[0].owner']);
  });

  it('breaks under a fixture design whose op leaves a dangling MFN behind', () => {
    const populate = xenMapForDma.ops.find((o) => o.name === 'populatePhysmap')!;
    const dangling: OpDef = {
      ...populate,
      apply(s, a) {
        s.domains[a.dom as number].p2m[a.gfn as number] = { mfn: s.frames.length + (a.mfn as number), type: 'ram_rw', gen: 1, counted: true };
        return OK;
      },
    };
    const design: Design = { ...xenMapForDma, id: 'test-dangling', ops: xenMapForDma.ops.map((o) => (o.name === 'populatePhysmap' ? dangling : o)) };
    const r = runCampaign(design, { seed: SEED, budget: { runs: 50 }, scope: DEFAULT_SCOPE, knobs: knobDefaults(design), invariants: [inv] });
    expect(r.verdicts[0].verdict).toBe('violated');
    expect(r.verdicts[0].counterexample!.trace.map((t) => t.action.op)).toEqual(['populatePhysmap']);
  });

  it.each(DESIGNS.map((d) => [d.id, d]))('holds on %s for seed 4242 over 200 runs', (_id, design) => {
    const d = design as Design;
    const r = runCampaign(d, { seed: SEED, budget: { runs: 200 }, scope: DEFAULT_SCOPE, knobs: knobDefaults(d), invariants: [inv] });
    expect(r.verdicts[0].verdict).toBe('holds');
  });
});
