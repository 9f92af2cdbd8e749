/**
 * What one step changed in ownership, as data: frames whose owner, generation or stored refcount
 * changed, references taken or dropped (the `refs` relation), mappings gained or lost (the `reach`
 * relation), and domain facts that decide who may reach what (life state, target list, page count).
 * `explain` renders it; computing and saying are kept apart.
 */
import { ownerText, principalText } from '../model/core/words.ts';
import { hopText } from '../model/words.ts';
import type { ReachEntry, Ref } from '../model/core/path.ts';
import { reach } from '../model/reach.ts';
import { refs } from '../model/refs.ts';
import type { State } from '../model/core/state.ts';

/** Changes to one frame. */
export interface FrameChange {
  mfn: number;
  /** "owner dom1 → free", "gen 1 → 2", "refcount 1 → 0". */
  fields: string[];
  refsAdded: string[];
  refsDropped: string[];
  reachAdded: string[];
  reachLost: string[];
}

/** What one step changed. */
export interface StepChange {
  frames: FrameChange[];
  /** "dom0 targets [1,2] → [2]", "dom3 alive → dying". */
  domains: string[];
}

/** A reference in words: where it is held and the generation it names. */
function refWords(r: Ref): string {
  return `${hopText(r.holder)}, taken at gen ${r.gen}${r.counted ? '' : ' (no reference count)'}`;
}

/** A mapping in words: who, and through what. */
function reachWords(e: ReachEntry): string {
  return `${principalText(e.principal)} → ${e.path.map(hopText).join(' → ')}${e.write ? '' : ' (read-only)'}`;
}

function group<T>(items: readonly T[], mfnOf: (t: T) => number, words: (t: T) => string): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const it of items) {
    const mfn = mfnOf(it);
    let set = out.get(mfn);
    if (set === undefined) out.set(mfn, (set = new Set()));
    set.add(words(it));
  }
  return out;
}

function minus(a: Set<string> | undefined, b: Set<string> | undefined): string[] {
  return [...(a ?? [])].filter((x) => !b?.has(x));
}

/** The frame and domain changes between two states. */
export function stepChange(before: State, after: State): StepChange {
  const refsBefore = group(refs(before), (r) => r.mfn, refWords);
  const refsAfter = group(refs(after), (r) => r.mfn, refWords);
  const reachBefore = group(reach(before), (e) => e.mfn, reachWords);
  const reachAfter = group(reach(after), (e) => e.mfn, reachWords);
  const frames: FrameChange[] = [];
  for (let mfn = 0; mfn < after.frames.length; mfn++) {
    const f0 = before.frames[mfn];
    const f1 = after.frames[mfn];
    const fields: string[] = [];
    if (ownerText(f0.owner) !== ownerText(f1.owner)) fields.push(`owner ${ownerText(f0.owner)} → ${ownerText(f1.owner)}`);
    if (f0.gen !== f1.gen) fields.push(`gen ${f0.gen} → ${f1.gen}`);
    if (f0.refcount !== f1.refcount) fields.push(`refcount ${f0.refcount} → ${f1.refcount}`);
    const change: FrameChange = {
      mfn,
      fields,
      refsAdded: minus(refsAfter.get(mfn), refsBefore.get(mfn)),
      refsDropped: minus(refsBefore.get(mfn), refsAfter.get(mfn)),
      reachAdded: minus(reachAfter.get(mfn), reachBefore.get(mfn)),
      reachLost: minus(reachBefore.get(mfn), reachAfter.get(mfn)),
    };
    if (fields.length + change.refsAdded.length + change.refsDropped.length + change.reachAdded.length + change.reachLost.length > 0) frames.push(change);
  }
  const domains: string[] = [];
  after.domains.forEach((d1, i) => {
    const d0 = before.domains[i];
    if (d0 === undefined) return;
    if (d0.state !== d1.state) domains.push(`dom${d1.id} ${d0.state === 'none' ? 'not created' : d0.state} → ${d1.state}`);
    const t0 = `[${d0.targets.join(',')}]`;
    const t1 = `[${d1.targets.join(',')}]`;
    if (t0 !== t1) domains.push(`dom${d1.id} targets ${t0} → ${t1}`);
    if (d0.totPages !== d1.totPages) domains.push(`dom${d1.id} tot_pages ${d0.totPages} → ${d1.totPages}`);
  });
  return { frames, domains };
}
