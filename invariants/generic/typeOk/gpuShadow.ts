/**
 * type-ok over the GPU-shadowing slice: every vGPU belongs to a domain, its GGTT slice lies inside the
 * GGTT, each shadow entry's client is a domain and its GFN a GFN of that client, mirrored pages (PPGTT
 * roots and PTs) name a GFN of the VM and an MFN that exists (or -1 once gone), the running context
 * names a vGPU and one of its PPGTT slots, and page-track memslots belong to domains.
 */
import type { State } from '../../../src/model/core/state.ts';
import type { MirroredPage, ShadowEntry, Vgpu } from '../../../src/model/gpuShadow/state.ts';
import type { TypeFindings } from './check.ts';
import { isDomain, isFrame, isIndex, isNatural } from './check.ts';

function checkEntry(t: TypeFindings, s: State, e: ShadowEntry, at: () => string): void {
  if (!isDomain(s, e.client)) return t.badDomain(`${at()}.client`, e.client);
  const gfns = s.domains[e.client].p2m.length;
  if (!isIndex(e.gfn, gfns)) t.badIndex(`${at()}.gfn`, 'a GFN of the client', gfns, e.gfn);
  if (!isNatural(e.gen)) t.bad(`${at()}.gen`, 'a non-negative integer', e.gen);
}

function checkMirrored(t: TypeFindings, s: State, vm: number, p: MirroredPage, at: () => string): void {
  const gfns = s.domains[vm].p2m.length;
  if (!isIndex(p.gfn, gfns)) t.badIndex(`${at()}.gfn`, `a GFN of dom${vm}`, gfns, p.gfn);
  if (p.mfn !== -1 && !isFrame(s, p.mfn)) t.badFrame(s, `${at()}.mfn`, p.mfn);
}

function checkVgpu(t: TypeFindings, s: State, vm: number, vgpu: Vgpu, ggtt: number): void {
  const at = `$.gpu.shadow.vgpus[${vm}]`;
  if (!isNatural(vgpu.ggttBase) || vgpu.ggttBase + vgpu.vggtt.length > ggtt) t.bad(`${at}.ggttBase`, `a slice inside the ${ggtt}-entry GGTT`, vgpu.ggttBase);
  const gfns = s.domains[vm].p2m.length;
  for (let i = 0; i < vgpu.vggtt.length; i++) {
    const gfn = vgpu.vggtt[i];
    if (gfn !== -1 && !isIndex(gfn, gfns)) t.badIndex(`${at}.vggtt[${i}]`, '-1 or a GFN of the VM', gfns, gfn);
  }
  for (let i = 0; i < vgpu.ppgtts.length; i++) {
    const p = vgpu.ppgtts[i];
    if (p === null) continue;
    checkMirrored(t, s, vm, p.root, () => `${at}.ppgtts[${i}].root`);
    for (let j = 0; j < p.pts.length; j++) {
      const pt = p.pts[j];
      if (pt === null) continue;
      checkMirrored(t, s, vm, pt, () => `${at}.ppgtts[${i}].pts[${j}]`);
      for (let k = 0; k < pt.entries.length; k++) {
        const e = pt.entries[k];
        if (e !== null) checkEntry(t, s, e, () => `${at}.ppgtts[${i}].pts[${j}].entries[${k}]`);
      }
    }
  }
}

/** The GPU-shadowing slice's type-ok checks. */
export function gpuShadowTypeOk(t: TypeFindings, s: State): void {
  const g = s.gpu.shadow;
  if (g !== undefined) {
    for (let i = 0; i < g.ggtt.length; i++) {
      const e = g.ggtt[i];
      if (e !== null) checkEntry(t, s, e, () => `$.gpu.shadow.ggtt[${i}]`);
    }
    for (const key of Object.keys(g.vgpus)) {
      const vm = Number(key);
      if (!isDomain(s, vm)) t.badDomain(`$.gpu.shadow.vgpus[${key}] (VM)`, key);
      else checkVgpu(t, s, vm, g.vgpus[vm], g.ggtt.length);
    }
    const run = g.running;
    if (run !== null) {
      const vgpu = g.vgpus[run.client];
      if (vgpu === undefined) t.bad('$.gpu.shadow.running.client', 'a VM with a vGPU', run.client);
      else if (run.ppgtt !== -1 && !isIndex(run.ppgtt, vgpu.ppgtts.length)) t.badIndex('$.gpu.shadow.running.ppgtt', "-1 or one of the VM's PPGTT slots", vgpu.ppgtts.length, run.ppgtt);
    }
  }
  const vms = s.pageTrack?.vms;
  if (vms === undefined) return;
  for (const key of Object.keys(vms)) {
    const at = `$.pageTrack.vms[${key}]`;
    if (!isDomain(s, Number(key))) {
      t.badDomain(`${at} (VM)`, key);
      continue;
    }
    vms[Number(key)].memslots.forEach((m, i) => {
      if (!isNatural(m.base)) t.bad(`${at}.memslots[${i}].base`, 'a non-negative integer', m.base);
      if (m.writeTrack.length !== m.npages) t.bad(`${at}.memslots[${i}].writeTrack`, `one counter per page (${m.npages})`, m.writeTrack.length);
      for (let j = 0; j < m.writeTrack.length; j++) {
        if (!isNatural(m.writeTrack[j])) t.bad(`${at}.memslots[${i}].writeTrack[${j}]`, 'a non-negative integer', m.writeTrack[j]);
      }
    });
  }
}
