/**
 * The IOASID world (seed 001 §5.2/§5.3's pre-boot state): dom0 is the toolstack; dom1 (P1) and dom2 (P2)
 * are VMM processes of two VMs, dom3 (P3) an unrelated process — the attacker. A VMM's p2m is its HVA
 * page table, and its guest's GPA page g is its HVA page g (one memslot at offset 0). P1 has opened
 * /dev/ioasid, bound dev1 and dev2, allocated a gpa IOASID, attached both and DMA-mapped its guest RAM
 * (GPA 0..3 from HVA 0..3); the guest has just booted and enabled a GIOVA space for dev2: a giova IOASID
 * nested on the gpa one, dev2 attached to it, nothing mapped in it yet (§5.3), and a GVA space for
 * dev1's vPASID 0 (§5.5: gva_ioasid, gpasid1), also empty. Its ENQCMD-capable mdev1 is bound but not attached, and it owns dev3 and
 * dev4 — one IOMMU group without ACS — unbound (the toolstack may give either to another process).
 * P2's VMM has done the same for its VM with no device yet (fd1, its gpa IOASID mapping its RAM): the
 * other process's address space a wrong attach or KVM_MAP_PASID would reach. The pre-boot steps are the design's own ops, so the state is what
 * that design makes of them.
 */
import type { KnobValues, OpContext, OpDef } from '../core/op.ts';
import type { Scope } from '../core/scope.ts';
import type { State } from '../core/state.ts';
import { buildWorld } from '../core/world.ts';
import { HOST_PASIDS } from './lookup.ts';
import type { IoDevice } from './state.ts';

/** Process roles. */
export const P1 = 1;
export const P2 = 2;
export const P3 = 3;

/** RLIMIT_MEMLOCK of every user, in pages: small enough to reach. */
export const MEMLOCK_PAGES = 8;

function device(name: string, kind: IoDevice['kind'], owner: number, group: number, caps: Partial<Pick<IoDevice, 'pasidCapable' | 'faultCapable' | 'enqcmdCapable'>>): IoDevice {
  return { name, kind, group, owner, boundFd: -1, label: -1, rid: null, pasids: [], inflight: [], pins: [], pasidCapable: false, faultCapable: false, enqcmdCapable: false, ...caps };
}

/** The pre-boot ioctls, in order (§5.2 without pre-registration, as §5.3 allows), then §5.3's first steps after boot. */
const PRE_BOOT: readonly Record<string, string | number | boolean>[] = [
  { op: 'ioasidOpen', proc: P1 },
  { op: 'bindIoasidFd', device: 'dev1', fd: 0 },
  { op: 'bindIoasidFd', device: 'dev2', fd: 0 },
  { op: 'bindIoasidFd', device: 'mdev1', fd: 0 },
  { op: 'ioasidAlloc', fd: 0 },
  { op: 'attachIoasid', device: 'dev1', fd: 0, ioasid: 0, vpasid: -1 },
  { op: 'attachIoasid', device: 'dev2', fd: 0, ioasid: 0, vpasid: -1 },
  { op: 'dmaMap', fd: 0, ioasid: 0, iova: 0, addr: 0, pages: 2 },
  { op: 'dmaMap', fd: 0, ioasid: 0, iova: 2, addr: 2, pages: 2 },
  // §5.3 "After boots": a GIOVA space nested on the GPA space, dev2 attached to it (still on the parent).
  { op: 'createNesting', fd: 0, parent: 0, kind: 'giova' },
  { op: 'attachIoasid', device: 'dev2', fd: 0, ioasid: 1, vpasid: -1 },
  // §5.5: the guest creates a GVA space on dev1 with its vPASID gpasid1 (0 here), nested on the GPA space.
  { op: 'createNesting', fd: 0, parent: 0, kind: 'gva' },
  { op: 'attachIoasid', device: 'dev1', fd: 0, ioasid: 2, vpasid: 0 },
  { op: 'ioasidOpen', proc: P2 },
  { op: 'ioasidAlloc', fd: 1 },
  { op: 'dmaMap', fd: 1, ioasid: 0, iova: 0, addr: 0, pages: 2 },
  { op: 'dmaMap', fd: 1, ioasid: 0, iova: 2, addr: 2, pages: 2 },
];

/**
 * The platform an IOASID design assumes, beside the scope: each user's RLIMIT_MEMLOCK, and whether
 * the PCIe fabric has ACS between dev3 and dev4 (with it each is its own IOMMU group; without it —
 * the default — they share one, so binding one binds the group). A proposal that assumes another
 * platform passes its own instead of copying this builder.
 */
export interface IoasidPlatform {
  /** RLIMIT_MEMLOCK of every user, in pages (default MEMLOCK_PAGES). */
  memlockPages?: number;
  /** ACS between dev3 and dev4 (default false: one group). */
  acs?: boolean;
}

/** Build the world on `platform`, running the pre-boot ioctls with the design's own ops and knobs. */
export function buildIoasidWorld(scope: Scope, knobs: KnobValues, ops: readonly OpDef[], platform: IoasidPlatform = {}): State {
  const memlock = platform.memlockPages ?? MEMLOCK_PAGES;
  const group = platform.acs === true ? -1 : 0;
  if (scope.domains <= P3) throw new Error('the IOASID world needs 4 domains in scope (toolstack, P1, P2, P3)');
  const state = buildWorld(scope, { backendKind: 'pvh', clients: [] });
  state.domains[0].targets = [];
  state.ioasid = {
    fds: [],
    devices: [
      device('dev1', 'pdev', P1, -1, { pasidCapable: true, faultCapable: true }),
      device('dev2', 'pdev', P1, -1, {}),
      device('dev3', 'pdev', P1, group, {}),
      device('dev4', 'pdev', P1, group, {}),
      device('mdev1', 'mdev', P1, -1, { enqcmdCapable: true }),
    ],
    groups: platform.acs === true ? [] : [{ devices: ['dev3', 'dev4'], ctx: null }],
    kvmPasid: {},
    hostPasids: new Array(HOST_PASIDS).fill(null),
    hostPasidAllocs: new Array(HOST_PASIDS).fill(0),
    pendingFaults: [],
    memlock: { [P1]: memlock, [P2]: memlock, [P3]: memlock },
    pages: {},
    nextLabel: 100,
  };
  const ctx: OpContext = { scope, knobs, note: () => {}, warn: () => {} };
  // A design without nesting (the type1 container) boots without the §5.3 steps.
  const steps = ops.some((o) => o.name === 'createNesting') ? PRE_BOOT : PRE_BOOT.filter((a) => a.op !== 'createNesting' && !(a.fd === 0 && (a.ioasid === 1 || a.ioasid === 2)));
  for (const { op, ...args } of steps) {
    const def = ops.find((o) => o.name === op);
    const r = def?.apply(state, args, ctx);
    if (r === undefined || !r.ok) throw new Error(`the IOASID pre-boot step ${op} ${JSON.stringify(args)} failed: ${r === undefined ? 'no such op' : r.err}`);
  }
  return state;
}
