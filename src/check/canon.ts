/**
 * Canonical state keys: two states with the same key are explored once. Two strengths:
 *
 * - `plain`: the state's JSON without the step clock (every step advances it; nothing but the
 *   allocator's `freedAt` stamps reads it). Sound for every design.
 * - `symmetry`: canonical renaming of interchangeable objects before serialising — guests of the same
 *   role (domains that start alike: the XenGT clients), machine frames (the allocator's choice is an
 *   explicit `pick` over every free frame, so which free frame a guest got never matters, only what
 *   refers to it), each domain's GFNs and BFNs (populate, grant and foreign maps pick any empty slot),
 *   the DMA table's slots, target lists as sets, and `freedAt` reduced to "freed or never" (its
 *   order only orders picks, which are all enumerated; only the `freed-frame-reallocated` note reads
 *   whether it is set).
 *
 * Renaming is sound when every renamed object is truly interchangeable and every place naming it is
 * renamed too: a key is then the serialisation of a state isomorphic to the original, and equal keys
 * mean isomorphic states (the renaming chosen below is a heuristic "first occurrence" labelling, so
 * some isomorphic states may still get different keys — that costs states, never verdicts). Where
 * identifiers live is known for the core's state only; a state with any other field (a slice's, or a
 * field added later) gets the plain key, so symmetry can never rename something it does not know.
 */
import { hash52, hashNumbers } from './hash.ts';
import type { DmaTableEntry, Domain, Frame, IommuEntry, P2mEntry, State } from '../model/core/state.ts';

/** How much reduction a key applies. */
export type Reduction = 'plain' | 'symmetry';

/** The plain key: the state's JSON, clock left out. */
export function plainKey(s: State): string {
  const clock = s.clock;
  s.clock = 0;
  try {
    return JSON.stringify(s);
  } finally {
    s.clock = clock;
  }
}

const CORE_KEYS = new Set(['frames', 'domains', 'gpu', 'clock', 'adversary']);
const GPU_KEYS = new Set(['backend', 'tables']);
const DOMAIN_KEYS = new Set(['id', 'kind', 'state', 'maxPages', 'totPages', 'p2m', 'iommu', 'targets', 'grants', 'maptrack']);
const P2M_KEYS = new Set(['mfn', 'type', 'gen', 'counted', 'grant', 'foreign']);
const FRAME_KEYS = new Set(['owner', 'kind', 'gen', 'refcount', 'freedAt', 'typeCount']);
const IOMMU_KEYS = new Set(['mfn', 'gen', 'counted', 'source']);
const DMA_KEYS = new Set(['gfn', 'addr', 'addrKind', 'gen']);

function onlyKeys(o: object, allowed: ReadonlySet<string>): boolean {
  for (const k in o) if (!allowed.has(k)) return false;
  return true;
}

/** Whether symmetry knows every identifier-bearing field of this state (the core's shape, nothing else). */
export function renamable(s: State): boolean {
  if (!onlyKeys(s, CORE_KEYS) || !onlyKeys(s.gpu, GPU_KEYS)) return false;
  // The adversary record names domains (its clients, renamed as a set below) and, per frame, what a
  // guest meant to share; a state where some guest has stated an intent gets the plain key.
  if (s.adversary !== undefined && s.adversary.intents.some((i) => i !== null)) return false;
  for (const f of s.frames) if (!onlyKeys(f, FRAME_KEYS) || f.owner.kind === 'io' || f.owner.kind === 'reserved' || f.kind !== 'ram') return false;
  for (const d of s.domains) {
    if (!onlyKeys(d, DOMAIN_KEYS)) return false;
    for (const e of d.p2m) if (e !== null && !onlyKeys(e, P2M_KEYS)) return false;
    for (const e of d.iommu) if (e !== null && !onlyKeys(e, IOMMU_KEYS)) return false;
  }
  for (const t of Object.values(s.gpu.tables)) for (const e of t) if (e !== null && !onlyKeys(e, DMA_KEYS)) return false;
  return true;
}

/**
 * Groups of interchangeable domains, from the initial world: domains other than the backend (dom0)
 * that start with the same kind, life state, page counts, p2m occupancy, target-list membership and
 * DMA table. Within a group, renaming is a symmetry of the model because ops name domains only by
 * explicit `dom` arguments, and the checker enumerates every value of those.
 */
export function domainGroups(world: State): number[][] {
  const bySig = new Map<string, number[]>();
  const backend = world.gpu.backend;
  world.domains.forEach((d, id) => {
    if (id === 0 || id === backend) return;
    const targetOf = world.domains.filter((o) => o.targets.includes(id)).map((o) => o.id).join(',');
    const sig = [d.kind, d.state, d.maxPages, d.totPages, d.p2m.map((e) => (e === null ? '_' : e.type)).join(','), d.targets.length, d.grants.length, targetOf, id in world.gpu.tables].join('|');
    const g = bySig.get(sig) ?? [];
    g.push(id);
    bySig.set(sig, g);
  });
  return [...bySig.values()].filter((g) => g.length > 1);
}

/** Every permutation of domain ids that permutes within groups (new id → old id), identity first. */
export function domainPermutations(domainCount: number, groups: readonly number[][], limit = 24): number[][] {
  let perms: number[][] = [Array.from({ length: domainCount }, (_, i) => i)];
  for (const g of groups) {
    const next: number[][] = [];
    for (const p of perms) {
      for (const order of permutationsOf(g)) {
        const q = p.slice();
        g.forEach((slot, i) => (q[slot] = order[i]));
        next.push(q);
      }
    }
    perms = next;
    if (perms.length > limit) return perms.slice(0, limit);
  }
  return perms;
}

function permutationsOf(xs: readonly number[]): number[][] {
  if (xs.length <= 1) return [xs.slice()];
  const out: number[][] = [];
  xs.forEach((x, i) => {
    for (const rest of permutationsOf([...xs.slice(0, i), ...xs.slice(i + 1)])) out.push([x, ...rest]);
  });
  return out;
}

/**
 * A slot order: used slots sorted by a label-free signature (ties by index), empty slots after.
 * Signatures are small integers here (hot path: no strings, no closures).
 */
function slotOrder(sigs: readonly number[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < sigs.length; i++) if (sigs[i] >= 0) order.push(i);
  order.sort((a, b) => sigs[a] - sigs[b] || a - b);
  for (let i = 0; i < sigs.length; i++) if (sigs[i] < 0) order.push(i);
  return order;
}

/** old index → new index, from a new-order list of old indices. */
function inverse(order: readonly number[]): number[] {
  const inv = new Array<number>(order.length);
  for (let i = 0; i < order.length; i++) inv[order[i]] = i;
  return inv;
}

const P2M_TYPES = ['ram_rw', 'ram_ro', 'mmio_direct', 'mmio_dm', 'grant_map_rw', 'grant_map_ro', 'foreign'];

/** A p2m entry's label-free signature (type, counted, provenance kind), -1 for an empty slot. */
function p2mSig(e: P2mEntry | null): number {
  if (e === null) return -1;
  return P2M_TYPES.indexOf(e.type) * 8 + (e.counted ? 4 : 0) + (e.grant ? 2 : 0) + (e.foreign ? 1 : 0);
}

/** An IOMMU entry's label-free signature, -1 for an empty slot. */
function iommuSig(e: IommuEntry | null): number {
  if (e === null) return -1;
  return (e.counted ? 2 : 0) + (e.source.kind === 'grant' ? 1 : 0);
}

/** What the renaming of one state needs whatever the domain permutation: slot orders per domain. */
interface SlotMaps {
  /** Per domain: p2m slots in new order (old GFNs), and old GFN → new GFN. */
  gfnOrder: number[][];
  gfnNew: number[][];
  bfnOrder: (number[] | undefined)[];
  bfnNew: (number[] | undefined)[];
}

function slotMaps(s: State): SlotMaps {
  const gfnOrder = s.domains.map((d) => slotOrder(d.p2m.map(p2mSig)));
  const bfnOrder = s.domains.map((d) => (d.kind === 'pv-dom0' ? undefined : slotOrder(d.iommu.map(iommuSig))));
  return { gfnOrder, gfnNew: gfnOrder.map(inverse), bfnOrder, bfnNew: bfnOrder.map((o) => (o === undefined ? undefined : inverse(o))) };
}

/**
 * Generations renamed by rank, frame by frame: invariants and ops compare a held generation with
 * the frame's own only for equality (stale or not), and allocation makes a generation no entry
 * holds yet, so only which held gens equal which matters, per frame — not their values. Sound only
 * when every generation-holding entry names its frame: a DMA table entry by BFN whose IOMMU slot is
 * empty would be compared with whatever frame the slot maps next, so then gens are kept as they are.
 */
function genRanks(s: State): (readonly number[] | undefined)[] {
  const held: number[][] = s.frames.map((f) => [f.gen]);
  let unnamed = false;
  for (const d of s.domains) {
    for (const e of d.p2m) if (e !== null && e.mfn >= 0 && e.mfn < held.length) held[e.mfn].push(e.gen);
    for (const e of d.iommu) if (e !== null && e.mfn >= 0 && e.mfn < held.length) held[e.mfn].push(e.gen);
  }
  const backend = s.domains[s.gpu.backend];
  const identity = backend?.kind === 'pv-dom0';
  for (const key in s.gpu.tables) {
    for (const e of s.gpu.tables[key]) {
      if (e === null) continue;
      const mfn = e.addrKind === 'mfn' || identity ? e.addr : (backend?.iommu[e.addr]?.mfn ?? -1);
      if (mfn < 0 || mfn >= held.length) unnamed = true;
      else held[mfn].push(e.gen);
    }
  }
  if (unnamed) return s.frames.map(() => undefined);
  // Per frame: its distinct held generations in ascending order, so a generation's rank is its index.
  return held.map((gens) => (gens.length === 1 ? gens : [...new Set(gens)].sort((a, b) => a - b)));
}

/** One renaming of one state: domains by a permutation, then frames by first occurrence. */
class Renaming {
  readonly domNew: number[];
  readonly mfnNew: number[];
  /** Client ids with a DMA table, in their new order. */
  readonly clientOrder: number[];
  private next = 0;
  constructor(
    readonly s: State,
    readonly perm: readonly number[],
    readonly slots: SlotMaps,
    /** Per old MFN: its distinct held generations ascending (a gen's rank is its index), or undefined to keep gens as they are. */
    readonly genRank: readonly (readonly number[] | undefined)[],
  ) {
    this.domNew = inverse(perm);
    this.mfnNew = new Array<number>(s.frames.length).fill(-1);
    this.clientOrder = Object.keys(s.gpu.tables)
      .map(Number)
      .sort((a, b) => this.dom(a) - this.dom(b));
    const identity = s.domains[s.gpu.backend]?.kind === 'pv-dom0';
    for (const old of perm) {
      const d = s.domains[old];
      for (const g of slots.gfnOrder[old]) {
        const e = d.p2m[g];
        if (e === null) break;
        this.visit(e.mfn);
      }
      const bo = slots.bfnOrder[old];
      if (bo !== undefined)
        for (const b of bo) {
          const e = d.iommu[b];
          if (e === null) break;
          this.visit(e.mfn);
        }
    }
    for (const c of this.clients()) for (const e of s.gpu.tables[c]) if (e !== null && (e.addrKind === 'mfn' || identity)) this.visit(e.addr);
    // Frames nothing names: by their own facts, so interchangeable ones (free, never used) fall together.
    const rest: number[] = [];
    const facts: number[][] = [];
    for (let i = 0; i < s.frames.length; i++)
      if (this.mfnNew[i] < 0) {
        rest.push(i);
        this.frameFacts(i, (facts[i] = []));
      }
    rest.sort((a, b) => compareNumbers(facts[a], facts[b]) || a - b);
    for (const i of rest) this.visit(i);
  }
  private visit(mfn: number): void {
    if (mfn >= 0 && mfn < this.mfnNew.length && this.mfnNew[mfn] < 0) this.mfnNew[mfn] = this.next++;
  }
  /** Client ids with a DMA table, in their new order. */
  clients(): number[] {
    return this.clientOrder;
  }
  dom(old: number): number {
    return old >= 0 && old < this.domNew.length ? this.domNew[old] : old;
  }
  mfn(m: number): number {
    return m >= 0 && m < this.mfnNew.length ? this.mfnNew[m] : m;
  }
  gfn(owner: number, g: number): number {
    return g < 0 ? g : (this.slots.gfnNew[owner]?.[g] ?? g);
  }
  bfn(owner: number, b: number): number {
    return b < 0 ? b : (this.slots.bfnNew[owner]?.[b] ?? b);
  }
  /** Frame `mfn`'s own facts as numbers, its owner renamed: owner, kind, generation rank, refcount, freed, writable-type count. */
  frameFacts(mfn: number, out: number[]): void {
    const f: Frame = this.s.frames[mfn];
    out.push(f.owner.kind === 'dom' ? this.dom(f.owner.dom) : -2 - code(f.owner.kind), code(f.kind), this.gen(mfn, f.gen), f.refcount, f.freedAt >= 0 ? 1 : 0, f.typeCount ?? 0);
  }
  /** A generation held for frame `mfn` (its own, or an entry's naming it), renamed by rank. */
  gen(mfn: number, g: number): number {
    const ranks = this.genRank[mfn];
    if (ranks === undefined) return g;
    const r = ranks.indexOf(g);
    return r < 0 ? g : r;
  }
  /**
   * The renamed state as numbers, appended to `out`. Each part is counted or of fixed width and an
   * empty slot is `EMPTY`, so the encoding is injective: equal encodings mean equal renamed states.
   */
  encode(out: number[], bound?: readonly number[]): boolean {
    const s = this.s;
    out.push(s.frames.length);
    const byNew: number[] = new Array<number>(s.frames.length);
    for (let i = 0; i < s.frames.length; i++) byNew[this.mfnNew[i]] = i;
    for (const i of byNew) this.frameFacts(i, out);
    // With a bound (the least encoding so far), stop as soon as this one's prefix is greater: it
    // cannot be the least. Checked after the frames and after each domain, where most differ.
    const cut = bound === undefined ? undefined : new PrefixCut(bound);
    if (cut?.exceeded(out) === true) return false;
    for (const old of this.perm) {
      this.encodeDomain(old, out);
      if (cut?.exceeded(out) === true) return false;
    }
    const backend = s.gpu.backend;
    const identity = s.domains[backend]?.kind === 'pv-dom0';
    out.push(this.dom(backend));
    const a = s.adversary;
    if (a === undefined) out.push(0);
    else {
      const clients = a.clients.map((c) => this.dom(c)).sort((x, y) => x - y);
      out.push(1, code(a.roles.backend), code(a.roles.client), code(a.roles.nonClient), code(a.privilege), a.identityCoversXen ? 1 : 0, clients.length, ...clients);
    }
    out.push(this.clientOrder.length);
    for (const c of this.clientOrder) {
      // The table as a multiset: its empty slots counted, its entries sorted (slots are interchangeable).
      const entries: number[][] = [];
      let empty = 0;
      for (const e of s.gpu.tables[c]) {
        if (e === null) empty += 1;
        else entries.push(this.dmaFacts(c, e, identity, backend));
      }
      if (entries.length > 1) entries.sort(compareNumbers);
      out.push(this.dom(c), empty, entries.length);
      for (const e of entries) for (const x of e) out.push(x);
    }
    // Pending continuations (phase.ts) and deferred IOTLB state, unrenamed: states that differ only there
    // are different states; leaving them unrenamed only costs symmetry, never merges distinct states.
    for (const extra of [s.continuations, s.iotlb]) {
      if (extra === undefined) {
        out.push(EMPTY);
        continue;
      }
      const text = JSON.stringify(extra);
      out.push(text.length);
      for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
    }
    return true;
  }
  private dmaFrame(e: DmaTableEntry, identity: boolean, backend: number): number {
    return e.addrKind === 'mfn' || identity ? e.addr : (this.s.domains[backend].iommu[e.addr]?.mfn ?? -1);
  }
  private dmaFacts(c: number, e: DmaTableEntry, identity: boolean, backend: number): number[] {
    const addr = e.addrKind === 'mfn' || identity ? this.mfn(e.addr) : this.bfn(backend, e.addr);
    return [this.gfn(c, e.gfn), addr, code(e.addrKind), this.gen(this.dmaFrame(e, identity, backend), e.gen)];
  }
  private encodeDomain(old: number, out: number[]): void {
    const d: Domain = this.s.domains[old];
    out.push(code(d.kind), code(d.state), d.maxPages, d.totPages, d.p2m.length);
    for (const g of this.slots.gfnOrder[old]) {
      const e = d.p2m[g];
      if (e === null) {
        out.push(EMPTY);
        continue;
      }
      out.push(this.mfn(e.mfn), code(e.type), this.gen(e.mfn, e.gen), (e.counted ? 1 : 0) + (e.grant ? 2 : 0) + (e.foreign ? 4 : 0));
      if (e.grant) out.push(this.dom(e.grant.granter), e.grant.ref);
      if (e.foreign) out.push(this.dom(e.foreign.dom), this.gfn(e.foreign.dom, e.foreign.gfn));
    }
    out.push(d.iommu.length);
    const bo = this.slots.bfnOrder[old];
    if (bo === undefined) for (const e of d.iommu) out.push(e === null ? EMPTY : 1);
    else
      for (const b of bo) {
        const e = d.iommu[b];
        if (e === null) {
          out.push(EMPTY);
          continue;
        }
        out.push(this.mfn(e.mfn), this.gen(e.mfn, e.gen), e.counted ? 1 : 0);
        if (e.source.kind === 'mapForDma') out.push(0, this.dom(e.source.dom), this.gfn(e.source.dom, e.source.gfn));
        else out.push(1, this.dom(e.source.granter), e.source.ref);
      }
    const targets = d.targets.map((t) => this.dom(t)).sort((x, y) => x - y);
    out.push(targets.length, ...targets, d.grants.length);
    for (const g of d.grants) {
      if (g === null) out.push(EMPTY);
      else out.push(this.dom(g.grantee), this.gfn(old, g.gfn), g.readonly ? 1 : 0, g.maps, g.pin.hostRw, g.pin.hostRo, g.pin.devRw, g.pin.devRo, g.mfn < 0 ? -1 : this.mfn(g.mfn));
    }
    out.push(d.maptrack.length);
    for (const m of d.maptrack) {
      if (m === null) out.push(EMPTY);
      else out.push(this.dom(m.granter), m.ref, m.readonly ? 1 : 0, this.gfn(old, m.hostGfn), this.bfn(old, m.deviceBfn));
    }
  }
}

/** An empty slot in an encoding: no identifier, count or code takes this value. */
const EMPTY = -0x7fff_fff0;

/** Fixed small codes for the core's enumerated strings, so encodings never depend on what was seen first. */
const CODES = new Map<string, number>(
  [
    ...['ram', 'mmio', 'xen', 'free', 'reserved', 'io', 'dom'],
    ...['pv-dom0', 'pvh', 'hvm', 'none', 'alive', 'dying', 'dead', 'mfn', 'bfn'],
    ...P2M_TYPES,
  ].map((v, i) => [v, i]),
);

/** The code of an enumerated string (the role and privilege names too): fixed, or a hash above the fixed ones. */
function code(v: string | number | boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const c = CODES.get(v);
  if (c !== undefined) return c;
  let h = 0x811c9dc5;
  for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
  return 1000 + (h >>> 1);
}

/** Lexicographic order of number sequences (a shorter prefix first). */
function compareNumbers(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Incremental comparison of a growing encoding with a bound: whether its prefix so far is greater. */
class PrefixCut {
  private at = 0;
  /** Once a prefix is less than the bound's, the whole encoding is: no more checks. */
  private less = false;
  constructor(private readonly bound: readonly number[]) {}
  exceeded(out: readonly number[]): boolean {
    if (this.less) return false;
    const n = Math.min(out.length, this.bound.length);
    for (; this.at < n; this.at++) {
      const d = out[this.at] - this.bound[this.at];
      if (d > 0) return true;
      if (d < 0) {
        this.less = true;
        return false;
      }
    }
    // Equal so far, and longer than the bound: greater (a shorter prefix sorts first).
    return out.length > this.bound.length;
  }
}

/** Two encoding buffers reused across states (the least so far, and the one being built): no garbage per key. */
const buffers: [number[], number[]] = [[], []];

/**
 * The encoding of `s` with domains renamed by each permutation: the least of them. The array returned
 * is a reused buffer, valid until the next call.
 */
function symmetricEncoding(s: State, perms: readonly (readonly number[])[]): number[] {
  const slots = slotMaps(s);
  const ranks = genRanks(s);
  let best = buffers[0];
  let spare = buffers[1];
  best.length = 0;
  new Renaming(s, perms[0], slots, ranks).encode(best);
  for (let i = 1; i < perms.length; i++) {
    spare.length = 0;
    if (new Renaming(s, perms[i], slots, ranks).encode(spare, best) && compareNumbers(spare, best) < 0) [best, spare] = [spare, best];
  }
  buffers[0] = best;
  buffers[1] = spare;
  return best;
}

/** A keying function for one exploration. */
export type StateKey = (s: State) => string;

/**
 * The key function for a reduction. With `symmetry`, states the renaming does not know get the plain
 * key, and the key is the least over the domain permutations of the world's interchangeable groups.
 */
export function stateKeyFor(reduction: Reduction, world: State): StateKey {
  if (reduction === 'plain') return plainKey;
  const perms = domainPermutations(world.domains.length, domainGroups(world));
  return (s) => (renamable(s) ? `#${symmetricEncoding(s, perms).join(',')}` : plainKey(s));
}

/** A hashing function for one exploration: the 52-bit hash of a state's key. */
export type StateHash = (s: State) => number;

/**
 * The key hash the explorer stores: `hash52` of the plain key, or — for a state symmetry renames —
 * `hashNumbers` of its least encoding, never turned into a string (the key's cost is the explorer's
 * largest). Equal keys (stateKeyFor) give equal hashes.
 */
export function stateHashFor(reduction: Reduction, world: State): StateHash {
  if (reduction === 'plain') return (s) => hash52(plainKey(s));
  const perms = domainPermutations(world.domains.length, domainGroups(world));
  return (s) => (renamable(s) ? hashNumbers(symmetricEncoding(s, perms)) : hash52(plainKey(s)));
}

/** Whether the symmetry key can rename this design's states at all (false: it falls back to plain). */
export function symmetryApplies(world: State): boolean {
  return renamable(world);
}
