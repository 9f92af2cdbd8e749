import { describe, expect, it } from 'vitest';
import { reach } from '../../../src/model/reach.ts';
import { refs } from '../../../src/model/refs.ts';
import { P1, P2, P3 } from '../../../src/model/ioasid/world.ts';
import { failing, world } from './fixture.ts';

describe('the IOASID world (seed 001 §5.2/§5.3 pre-boot state)', () => {
  it("has P1's fd open with dev1 and dev2 bound and attached to a gpa IOASID mapping guest RAM", () => {
    const s = world();
    const io = s.ioasid!;
    expect(io.fds.map((f) => f!.owner)).toEqual([P1, P2]);
    const gpa = io.fds[0]!.ioasids[0]!;
    expect(gpa.kind).toBe('gpa');
    expect(gpa.maps.slice(0, 4).map((e) => e !== null && e.via === 'hva' && e.hva)).toEqual([0, 1, 2, 3]);
    expect(io.devices.find((d) => d.name === 'dev1')).toMatchObject({ boundFd: 0, rid: { fd: 0, ioasid: 0 } });
    // §5.3 after boot: dev2 moved onto the giova child nested on the gpa IOASID, which maps nothing yet.
    expect(io.fds[0]!.ioasids[1]).toMatchObject({ kind: 'giova', parent: 0 });
    expect(io.devices.find((d) => d.name === 'dev2')).toMatchObject({ boundFd: 0, rid: { fd: 0, ioasid: 1 } });
    expect(io.devices.find((d) => d.name === 'mdev1')).toMatchObject({ boundFd: 0, rid: null, enqcmdCapable: true });
    expect(io.groups[0].devices).toEqual(['dev3', 'dev4']);
    // P2's own device, attached before P2 maps its RAM (mapBeforeAttach=false).
    expect(io.devices.find((d) => d.name === 'dev5')).toMatchObject({ owner: P2, boundFd: 1, rid: { fd: 1, ioasid: 0 } });
    // §5.5 in P2's VM: a GVA space on dev5's vPASID 0, mapping GVA 0 → GPA 0 (none under hardware nesting).
    expect(io.fds[1]!.ioasids[1]).toMatchObject({ kind: 'gva', parent: 0, maps: [{ via: 'gpa', gpa: 0 }, null, null, null, null, null, null, null] });
    expect(io.devices.find((d) => d.name === 'dev5')!.pasids).toEqual([{ vpasid: 0, fd: 1, ioasid: 1, host: 1 }]);
    expect(world({ nesting: 'hardware' }).ioasid!.fds[1]!.ioasids[1]!.maps.every((e) => e === null)).toBe(true);
    expect(io.memlock).toEqual({ [P1]: 8, [P2]: 8, [P3]: 8 });
  });

  it('charges the four guest RAM pages once and pins each (a counted reference per mapping)', () => {
    const s = world();
    expect(s.ioasid!.fds.map((f) => f!.lockedPages)).toEqual([4, 4]);
    const pins = refs(s).filter((r) => r.holder.via === 'ioasidMap' && r.holder.fd === 0);
    expect(pins.map((r) => r.mfn)).toEqual([0, 1, 2, 3].map((g) => s.domains[P1].p2m[g]!.mfn));
    for (const r of pins) expect(s.frames[r.mfn].refcount).toBe(2);
  });

  it('lets dev1 reach exactly the mapped guest RAM, by RID, dev2 nothing yet, and every invariant holds', () => {
    const s = world();
    const devs = reach(s).filter((e) => e.principal.kind === 'device' && e.principal.dom === P1);
    expect(devs.map((e) => `${e.principal.device}:${e.mfn}`)).toEqual([0, 1, 2, 3].map((g) => `dev1:${s.domains[P1].p2m[g]!.mfn}`));
    expect(devs[0].path.map((h) => h.via)).toEqual(['ioasidAttach', 'ioasidMap']);
    expect(failing(s)).toEqual([]);
  });

  it('is built by the design\'s own ops under its knobs (per-map charges the same pages the same way here)', () => {
    expect(world({ accounting: 'per-map' }).ioasid!.fds[0]!.lockedPages).toBe(4);
  });
});
