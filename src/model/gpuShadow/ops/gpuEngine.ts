/**
 * The GPU itself, time-shared among the vGPUs (seed 000, Kevin Tian 2014-12-10 08:47: "with GPU
 * scheduling, every VM's command buffer will be fetched by GPU in a time-shared manner"):
 *  - `gpuContextSwitch`: the device model's scheduler loads a VM's context and its shadow PPGTT root
 *    ("shadow page table is switched when doing GPU context switch");
 *  - `submitCommand`: a guest submits a command naming a graphics memory address; the device model
 *    audits it — a global-GTT address outside the VM's slice is refused (Tim Deegan 2014-12-11 16:46:
 *    "the XenGT backend still has to audit all GPU commands to maintain isolation between clients");
 *  - `gpuComplete`: the GPU runs the oldest command of the loaded context: a DMA through the shadow
 *    GGTT or PPGTT, then the backend's IOMMU.
 */
import { inSlice, livePpgtts, liveVgpuClients, ppgttLeaf, vgpuOf } from '../shadow.ts';
import { GGTT_SLICE, PPGTT_GMAS, RING_SIZE } from '../sizes.ts';
import { gpuPerformDma } from '../../core/iommu.ts';
import { isAlive, pickFrom } from '../../core/lookup.ts';
import type { ShadowEntry } from '../state.ts';
import { sliceBases } from './ggtt.ts';
import { defineOp, fail, OK, okValue } from '../../core/op.ts';
import { gpuShadowConfig } from '../knobs.ts';

/** The device model's scheduler loads client's context with its PPGTT `ppgtt` (-1: none) on the GPU. */
export const gpuContextSwitch = defineOp({
  name: 'gpuContextSwitch',
  actor: 'backend',
  weight: 3,
  doc: "device model's scheduler switches the GPU to client's context, loading the root of its shadow PPGTT ppgtt (-1: none)",
  gen: { client: { kind: 'pick' }, ppgtt: { kind: 'pick' } },
  resolve(state, raw) {
    const client = pickFrom(liveVgpuClients(state), raw.client);
    if (client === undefined) return null;
    const choices = livePpgtts(vgpuOf(state, client)!);
    choices.push(-1);
    const ppgtt = pickFrom(choices, raw.ppgtt)!;
    return { client, ppgtt };
  },
  enabled: (state) => isAlive(state, state.gpu.backend),
  apply(state, { client, ppgtt }, ctx) {
    if (!isAlive(state, client)) return fail('ESRCH');
    const vgpu = vgpuOf(state, client);
    if (vgpu === undefined) return fail('ENOENT');
    if (ppgtt !== -1 && (vgpu.ppgtts[ppgtt] === null || vgpu.ppgtts[ppgtt] === undefined)) return fail('ENOENT');
    ctx.note('gpu-context-switch');
    state.gpu.shadow!.running = { client, ppgtt };
    return OK;
  },
});

type Command = { dom: number; space: string; gma: number; write: boolean };

/** A guest submits a GPU command; the device model audits its address before queueing it. */
export const submitCommand = defineOp({
  name: 'submitCommand',
  actor: 'guest',
  weight: 3,
  doc: "guest submits a GPU command naming graphics address gma in the global GTT or its PPGTT; the device model's audit refuses global addresses outside the VM's slice",
  gen: {
    dom: { kind: 'pick' },
    space: { kind: 'oneOf', values: ['ppgtt', 'ggtt'] },
    // Uniform over the slices, not own-first like a GTT write: a command naming another VM's slice is the audit's case.
    slice: { kind: 'int', max: () => 3 },
    offset: { kind: 'pick' },
    write: { kind: 'bool' },
  },
  resolve(state, raw) {
    const dom = pickFrom(liveVgpuClients(state), raw.dom);
    if (dom === undefined) return null;
    const offset = raw.offset;
    const write = raw.write;
    if (raw.space === 'ppgtt') return { dom, space: 'ppgtt', gma: offset % PPGTT_GMAS, write };
    const base = pickFrom(sliceBases(state, dom), raw.slice)!;
    return { dom, space: 'ggtt', gma: base + (offset % GGTT_SLICE), write };
  },
  enabled: (state, a) => isAlive(state, a.dom),
  apply(state, { dom, space, gma, write }, ctx) {
    if (!isAlive(state, dom)) return fail('ESRCH');
    const vgpu = vgpuOf(state, dom);
    if (vgpu === undefined) return fail('ENOENT');
    if (vgpu.ring.length >= RING_SIZE) return fail('EBUSY');
    if (space === 'ggtt') {
      if (gma < 0 || gma >= state.gpu.shadow!.ggtt.length) return fail('EINVAL');
      if (!inSlice(vgpu, gma)) {
        if (gpuShadowConfig(ctx.knobs).auditCommands) {
          ctx.note('command-outside-partition-refused');
          return fail('EPERM');
        }
        ctx.note('unaudited-command-outside-partition');
      }
      vgpu.ring.push({ space: 'ggtt', gma, write });
      return OK;
    }
    // The per-process space is the VM's own: there is nothing in its addresses to audit.
    if (space !== 'ppgtt' || gma < 0 || gma >= PPGTT_GMAS) return fail('EINVAL');
    vgpu.ring.push({ space: 'ppgtt', gma, write });
    return OK;
  },
});

/** The GPU runs the loaded context's oldest command: DMA through the shadow table, then the backend's IOMMU. */
export const gpuComplete = defineOp({
  name: 'gpuComplete',
  actor: 'gpu',
  // Rarer than submissions, so commands wait in the ring across context switches and GTT writes.
  weight: 1,
  doc: "GPU executes the running context's oldest command: DMA through the shadow GGTT or PPGTT, then the backend's IOMMU",
  gen: {},
  resolve(state) {
    const running = state.gpu.shadow?.running;
    if (running === null || running === undefined) return null;
    const ring = vgpuOf(state, running.client)?.ring;
    return ring === undefined || ring.length === 0 ? null : { client: running.client };
  },
  enabled: () => true,
  apply(state, { client }, ctx) {
    const sh = state.gpu.shadow;
    const running = sh?.running;
    if (sh === undefined || running === null || running === undefined || running.client !== client) return fail('EINVAL');
    const vgpu = vgpuOf(state, client);
    const cmd = vgpu?.ring.shift();
    if (vgpu === undefined || cmd === undefined) return fail('ENOENT');
    const p = running.ppgtt >= 0 ? vgpu.ppgtts[running.ppgtt] : null;
    const e: ShadowEntry | null = cmd.space === 'ggtt' ? sh.ggtt[cmd.gma] : p === null ? null : ppgttLeaf(p, cmd.gma);
    // A not-present shadow entry points at the scratch page: the command's access faults harmlessly.
    if (e === null) return fail('EFAULT');
    const t = gpuPerformDma(state, client, e.addr, ctx);
    if (t === undefined) return fail('EFAULT');
    const f = state.frames[t.mfn];
    if (f.owner.kind !== 'dom' || f.owner.dom !== client || f.gen !== e.gen) ctx.note('gpu-dma-outside-own-vm');
    return okValue(t.mfn);
  },
});
