import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/audit.ts';
import { loadDesignFile } from '../../src/audit/designFile.ts';
import { buildIoasidWorld, buildVirtioWorld, DEFAULT_SCOPE, DEFAULT_VIRTIO_PLATFORM, ioasidFd, MEMLOCK_PAGES, virtioGpuPrimitives } from '../../src/api.ts';
import { knobDefaults } from '../../src/model/core/design.ts';

const ioasidWorld = (platform?: Parameters<typeof buildIoasidWorld>[3]) => buildIoasidWorld(DEFAULT_SCOPE, knobDefaults(ioasidFd), ioasidFd.ops, platform);

describe("world builders take the platform as a parameter (core, RMRR and GPU shadowing already did)", () => {
  it('virtio: the default is the thread\'s platform; a PV dom0 backend and a wider GPU BAR are parameters, not copies', () => {
    expect(buildVirtioWorld(DEFAULT_SCOPE)).toEqual(buildVirtioWorld(DEFAULT_SCOPE, DEFAULT_VIRTIO_PLATFORM));
    expect(buildVirtioWorld(DEFAULT_SCOPE).domains[0].kind).toBe('pvh');
    const pv = buildVirtioWorld(DEFAULT_SCOPE, { backendKind: 'pv-dom0' });
    expect(pv.domains[0].kind).toBe('pv-dom0');
    const wide = buildVirtioWorld(DEFAULT_SCOPE, { gpuBarPages: 3 });
    const bars = wide.virtio!.iomemCaps[0];
    expect(bars).toHaveLength(3);
    for (const mfn of bars) expect(wide.frames[mfn].kind).toBe('mmio');
    // The NIC's BAR stays the last frame, at the frontend's last GFN.
    expect(wide.virtio!.iomemCaps[1]).toEqual([DEFAULT_SCOPE.frames - 1]);
    expect(() => buildVirtioWorld(DEFAULT_SCOPE, { gpuBarPages: 0 })).toThrow(/at least one page/);
  });

  it('ioasid: RLIMIT_MEMLOCK and ACS between dev3 and dev4 are parameters; the default is the seed\'s platform', () => {
    expect(ioasidWorld()).toEqual(ioasidWorld({ memlockPages: MEMLOCK_PAGES, acs: false }));
    expect(ioasidWorld().ioasid!.groups).toEqual([{ devices: ['dev3', 'dev4'], ctx: null }]);
    const acs = ioasidWorld({ acs: true, memlockPages: 4 });
    expect(acs.ioasid!.groups).toEqual([]);
    expect(acs.ioasid!.devices.filter((d) => d.name === 'dev3' || d.name === 'dev4').map((d) => d.group)).toEqual([-1, -1]);
    expect(Object.values(acs.ioasid!.memlock)).toEqual([4, 4, 4]);
  });

  it('the platform example passes its platform to the builder and audits as its comment says (nothing newly broken)', async () => {
    const r = await loadDesignFile('examples/virtio-pv-dom0-backend.ts');
    if (!r.ok) throw new Error(r.message);
    expect(r.design.buildWorld(DEFAULT_SCOPE, knobDefaults(r.design)).domains[0].kind).toBe('pv-dom0');
    // Its own copy of the model (a design file is compiled apart), so compare the ops by name: none changed.
    expect(r.design.ops.map((o) => o.name)).toEqual(virtioGpuPrimitives.ops.map((o) => o.name));
    const a = await runAudit({ baseline: virtioGpuPrimitives, candidate: r.design, seed: 1, budget: { runs: 50 }, scope: DEFAULT_SCOPE, corpusFiles: [] });
    expect(a.rows.filter((x) => x.change !== 'unchanged')).toEqual([]);
  });
});
