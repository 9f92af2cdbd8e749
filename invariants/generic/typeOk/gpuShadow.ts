/**
 * type-ok over the GPU-shadowing slice: every vGPU belongs to a domain, its GGTT slice lies inside the
 * GGTT, each shadow entry's client is a domain and its GFN a GFN of that client, mirrored pages (PPGTT
 * roots and PTs) name a GFN of the VM and an MFN that exists (or -1 once gone), the running context
 * names a vGPU and one of its PPGTT slots, and page-track memslots belong to domains.
 */
import type { State } from '../../../src/model/core/state.ts';
import type { MirroredPage, ShadowEntry } from '../../../src/model/gpuShadow/state.ts';
import type { TypeFindings } from './check.ts';
import { domainId, frameNumber } from './core.ts';

function checkEntry(t: TypeFindings, s: State, at: string, e: ShadowEntry): void {
  if (!domainId(t, s, `${at}.client`, e.client)) return;
  t.index(`${at}.gfn`, e.gfn, 0, s.domains[e.client].p2m.length, 'a GFN of the client');
  t.natural(`${at}.gen`, e.gen);
}

function checkMirrored(t: TypeFindings, s: State, at: string, vm: number, p: MirroredPage): void {
  t.index(`${at}.gfn`, p.gfn, 0, s.domains[vm].p2m.length, `a GFN of dom${vm}`);
  if (p.mfn !== -1) frameNumber(t, s, `${at}.mfn`, p.mfn);
}

/** The GPU-shadowing slice's type-ok checks. */
export function gpuShadowTypeOk(t: TypeFindings, s: State): void {
  const g = s.gpu.shadow;
  if (g !== undefined) {
    g.ggtt.forEach((e, i) => e !== null && checkEntry(t, s, `$.gpu.shadow.ggtt[${i}]`, e));
    for (const [key, vgpu] of Object.entries(g.vgpus)) {
      const at = `$.gpu.shadow.vgpus[${key}]`;
      if (!domainId(t, s, `${at} (VM)`, Number(key))) continue;
      const vm = Number(key);
      if (t.natural(`${at}.ggttBase`, vgpu.ggttBase) && vgpu.ggttBase + vgpu.vggtt.length > g.ggtt.length) {
        t.bad(`${at}.ggttBase`, `a slice inside the ${g.ggtt.length}-entry GGTT`, vgpu.ggttBase);
      }
      vgpu.vggtt.forEach((gfn, i) => gfn !== -1 && t.index(`${at}.vggtt[${i}]`, gfn, 0, s.domains[vm].p2m.length, '-1 or a GFN of the VM'));
      vgpu.ppgtts.forEach((p, i) => {
        if (p === null) return;
        checkMirrored(t, s, `${at}.ppgtts[${i}].root`, vm, p.root);
        p.pts.forEach((pt, j) => {
          if (pt === null) return;
          checkMirrored(t, s, `${at}.ppgtts[${i}].pts[${j}]`, vm, pt);
          pt.entries.forEach((e, k) => e !== null && checkEntry(t, s, `${at}.ppgtts[${i}].pts[${j}].entries[${k}]`, e));
        });
      });
    }
    const run = g.running;
    if (run !== null) {
      const vgpu = g.vgpus[run.client];
      if (vgpu === undefined) t.bad('$.gpu.shadow.running.client', 'a VM with a vGPU', run.client);
      else if (run.ppgtt !== -1) t.index('$.gpu.shadow.running.ppgtt', run.ppgtt, 0, vgpu.ppgtts.length, "-1 or one of the VM's PPGTT slots");
    }
  }
  for (const [key, vm] of Object.entries(s.pageTrack?.vms ?? {})) {
    const at = `$.pageTrack.vms[${key}]`;
    if (!domainId(t, s, `${at} (VM)`, Number(key))) continue;
    vm.memslots.forEach((m, i) => {
      t.natural(`${at}.memslots[${i}].base`, m.base);
      if (m.writeTrack.length !== m.npages) t.bad(`${at}.memslots[${i}].writeTrack`, `one counter per page (${m.npages})`, m.writeTrack.length);
      m.writeTrack.forEach((c, j) => t.natural(`${at}.memslots[${i}].writeTrack[${j}]`, c));
    });
  }
}
