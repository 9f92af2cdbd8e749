/**
 * Domain life cycle on a platform with assignable devices, issued by the toolstack. `createDomain` is
 * libxl's domain creation: the domain builder lays out RAM and the reservation, hvmloader places its
 * tables, and the configuration's static devices are recorded (their assignment is `assignDevice`,
 * which libxl issues before the guest runs). Destruction is the core's `destroyDomain`, with the devices
 * given back first (see ../teardown.ts).
 */
import { allocFrame, freeFrames } from '../../core/frames.ts';
import type { Scope } from '../../core/scope.ts';
import type { DomId, State } from '../../core/state.ts';
import { platformFor } from '../platformLayout.ts';
import type { BoolSpec, IntSpec, OpContext, OpDef, OpResult } from '../../core/op.ts';
import { defineOp, fail, okValue } from '../../core/op.ts';
import type { GuestConfig } from './domainBuilder.ts';
import type { RmrrSemantics } from './semantics.ts';

/** Give `dom` a fresh RAM frame at `gfn` (the builder's populate_physmap). */
export function populateAt(state: State, dom: DomId, gfn: number, mfn: number): void {
  allocFrame(state, mfn, { kind: 'dom', dom });
  state.domains[dom].p2m[gfn] = { mfn, type: 'ram_rw', gen: state.frames[mfn].gen, counted: true };
}

/** The indexes set in a bit mask, below `n`. */
export function bitsOf(mask: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (mask & (1 << i)) out.push(i);
  return out;
}

/** Whether a list holds distinct indexes below `n`. */
function validIndexes(xs: readonly number[], n: number): boolean {
  return xs.every((x, i) => Number.isInteger(x) && x >= 0 && x < n && xs.indexOf(x) === i);
}

/** Build guest `dom` (a spare id) from `config`: the design's builder and hvmloader, then the record. */
export function buildGuest(sem: RmrrSemantics, state: State, dom: DomId, config: GuestConfig, pages: number, ctx: OpContext): OpResult {
  const p = state.platform;
  if (p === undefined) return fail('EOPNOTSUPP');
  const d = state.domains[dom];
  if (d === undefined || d.state !== 'none') return fail('EEXIST');
  if (!validIndexes(config.static, p.devices.length) || !validIndexes(config.explicit, p.rmrrs.length)) return fail('EINVAL');
  const plan = sem.planGuest(p, config, pages);
  const gfns = plan.tables.gfn === null ? plan.layout.ram : [...plan.layout.ram, plan.tables.gfn];
  const free = freeFrames(state);
  if (gfns.length > free.length || gfns.length > d.maxPages) return fail('ENOMEM');
  d.state = 'alive';
  p.domains[dom] = { static: [...config.static], reservation: plan.layout.reservation, iommuOnly: [] };
  gfns.forEach((gfn, i) => populateAt(state, dom, gfn, free[i]));
  for (const w of [...plan.layout.warnings, ...plan.tables.warnings]) ctx.warn(w);
  if (plan.layout.warnings.length > 0) ctx.note('builder-rmrr-conflict-warned');
  if (plan.tables.avoidedReserved) ctx.note('hvmloader-avoided-rmrr');
  return okValue(dom);
}

type CreateArgs = { dom: number; static: number[]; mirrorHost?: boolean; explicit?: number[] };

/** The generated configuration: static devices always; mirror-host and explicit RMRRs where the builder reserves them. */
type CreateGen = { static: IntSpec; mirrorHost?: BoolSpec; explicit?: IntSpec };

/** libxl domain creation for a design: the next spare id, with a generated configuration. */
export function makeCreateDomain(sem: RmrrSemantics): OpDef {
  const devices = (s: Scope) => platformFor(s).devices.length;
  const rmrrs = (s: Scope) => platformFor(s).rmrrs.length;
  const gen: CreateGen = sem.reserves
    ? { static: { kind: 'int', max: (s) => (1 << devices(s)) - 1 }, mirrorHost: { kind: 'bool' }, explicit: { kind: 'int', max: (s) => (1 << rmrrs(s)) - 1 } }
    : { static: { kind: 'int', max: (s) => (1 << devices(s)) - 1 } };
  return defineOp({
    name: 'createDomain',
    actor: 'toolstack',
    weight: 1,
    doc: sem.reserves
      ? 'toolstack creates a guest: static devices, mirror-host and explicit RMRRs reserved by the builder'
      : 'toolstack creates a guest with static devices (the 2014 builder reserves nothing)',
    gen,
    resolve(state, raw, scope) {
      const dom = state.domains.findIndex((d) => d.state === 'none');
      if (dom < 0 || state.platform === undefined) return null;
      const args: CreateArgs = { dom, static: bitsOf(raw.static, devices(scope)) };
      if (sem.reserves) {
        args.mirrorHost = raw.mirrorHost;
        args.explicit = bitsOf(raw.explicit ?? 0, rmrrs(scope));
      }
      return args;
    },
    enabled: () => true,
    apply(state, a, ctx) {
      const config: GuestConfig = {
        static: Array.isArray(a.static) ? a.static : [],
        mirrorHost: sem.reserves && a.mirrorHost === true,
        explicit: sem.reserves && Array.isArray(a.explicit) ? a.explicit : [],
      };
      return buildGuest(sem, state, a.dom, config, ctx.scope.initialPages, ctx);
    },
  });
}
