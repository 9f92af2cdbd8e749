import { describe, expect, it } from 'vitest';
import { kvmgtPageTrack } from '../../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import type { State } from '../../../../src/model/core/state.ts';
import { opOf, run, shadowWorld, withDom1Ppgtt } from '../../../fixtures/gpuShadow.ts';

const d = kvmgtPageTrack;

/** dom1 maps gfn 2 at GGTT 0 and in PPGTT 0 (root gfn 0, PD[0] → gfn 1, PT[0] → gfn 2); dom2 maps gfn 1 at GGTT 4. */
function mapped(): State {
  const s = withDom1Ppgtt(d);
  run(d, s, 'ggttWrite', { dom: 1, index: 0, value: 2 });
  run(d, s, 'ggttWrite', { dom: 2, index: 4, value: 1 });
  return s;
}

describe('gpuContextSwitch', () => {
  it("loads the client's context and shadow PPGTT root", () => {
    const s = mapped();
    const { result, ctx } = run(d, s, 'gpuContextSwitch', { client: 1, ppgtt: 0 });
    expect(result).toEqual({ ok: true });
    expect(ctx.notes).toEqual(['gpu-context-switch']);
    expect(s.gpu.shadow!.running).toEqual({ client: 1, ppgtt: 0 });
    run(d, s, 'gpuContextSwitch', { client: 2, ppgtt: -1 });
    expect(s.gpu.shadow!.running).toEqual({ client: 2, ppgtt: -1 });
  });

  it('refuses a PPGTT that is not there, a VM without vGPU, a dead VM', () => {
    const s = mapped();
    expect(run(d, s, 'gpuContextSwitch', { client: 1, ppgtt: 1 }).result).toEqual({ ok: false, err: 'ENOENT' });
    expect(run(d, s, 'gpuContextSwitch', { client: 3, ppgtt: -1 }).result).toEqual({ ok: false, err: 'ENOENT' });
    s.domains[1].state = 'dying';
    expect(run(d, s, 'gpuContextSwitch', { client: 1, ppgtt: 0 }).result).toEqual({ ok: false, err: 'ESRCH' });
  });

  it('resolves to a live client and one of its PPGTTs, or none', () => {
    const s = mapped();
    const op = opOf(d, 'gpuContextSwitch');
    expect(op.resolve(s, { client: 0, ppgtt: 0 }, DEFAULT_SCOPE)).toEqual({ client: 1, ppgtt: 0 });
    expect(op.resolve(s, { client: 0, ppgtt: 1 }, DEFAULT_SCOPE)).toEqual({ client: 1, ppgtt: -1 });
  });
});

describe('submitCommand: the audit', () => {
  it('queues a command inside the VM slice, or in its PPGTT', () => {
    const s = mapped();
    expect(run(d, s, 'submitCommand', { dom: 1, space: 'ggtt', gma: 3, write: true }).result).toEqual({ ok: true });
    expect(run(d, s, 'submitCommand', { dom: 1, space: 'ppgtt', gma: 3, write: false }).result).toEqual({ ok: true });
    expect(s.gpu.shadow!.vgpus[1].ring).toEqual([
      { space: 'ggtt', gma: 3, write: true },
      { space: 'ppgtt', gma: 3, write: false },
    ]);
  });

  it("refuses a global address in another VM's slice — unless the audit is off", () => {
    const s = mapped();
    const refused = run(d, s, 'submitCommand', { dom: 1, space: 'ggtt', gma: 4, write: true });
    expect(refused.result).toEqual({ ok: false, err: 'EPERM' });
    expect(refused.ctx.notes).toEqual(['command-outside-partition-refused']);
    const accepted = run(d, s, 'submitCommand', { dom: 1, space: 'ggtt', gma: 4, write: true }, { auditCommands: false });
    expect(accepted.result).toEqual({ ok: true });
    expect(accepted.ctx.notes).toEqual(['unaudited-command-outside-partition']);
  });

  it('refuses a full ring, bad addresses, a VM without vGPU, a dead VM', () => {
    const s = mapped();
    for (let i = 0; i < 4; i++) run(d, s, 'submitCommand', { dom: 1, space: 'ppgtt', gma: 0, write: true });
    expect(run(d, s, 'submitCommand', { dom: 1, space: 'ppgtt', gma: 0, write: true }).result).toEqual({ ok: false, err: 'EBUSY' });
    expect(run(d, s, 'submitCommand', { dom: 2, space: 'ggtt', gma: 8, write: true }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(run(d, s, 'submitCommand', { dom: 2, space: 'ppgtt', gma: 4, write: true }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(run(d, s, 'submitCommand', { dom: 2, space: 'mmio', gma: 0, write: true }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(run(d, s, 'submitCommand', { dom: 3, space: 'ppgtt', gma: 0, write: true }).result).toEqual({ ok: false, err: 'ENOENT' });
    s.domains[2].state = 'dying';
    expect(run(d, s, 'submitCommand', { dom: 2, space: 'ppgtt', gma: 0, write: true }).result).toEqual({ ok: false, err: 'ESRCH' });
  });

  it('resolves GGTT addresses over every slice and PPGTT ones in the per-process space', () => {
    const s = mapped();
    const op = opOf(d, 'submitCommand');
    expect(op.resolve(s, { dom: 0, space: 'ggtt', slice: 1, offset: 5, write: true }, DEFAULT_SCOPE)).toEqual({ dom: 1, space: 'ggtt', gma: 5, write: true });
    expect(op.resolve(s, { dom: 1, space: 'ppgtt', slice: 0, offset: 6, write: false }, DEFAULT_SCOPE)).toEqual({ dom: 2, space: 'ppgtt', gma: 2, write: false });
  });
});

describe('gpuComplete: DMA through the shadows and the IOMMU', () => {
  it("runs the loaded context's oldest command and answers the frame it reached", () => {
    const s = mapped();
    run(d, s, 'submitCommand', { dom: 1, space: 'ppgtt', gma: 0, write: true });
    run(d, s, 'submitCommand', { dom: 1, space: 'ggtt', gma: 0, write: true });
    run(d, s, 'gpuContextSwitch', { client: 1, ppgtt: 0 });
    expect(run(d, s, 'gpuComplete', { client: 1 }).result).toEqual({ ok: true, value: 8 });
    expect(run(d, s, 'gpuComplete', { client: 1 }).result).toEqual({ ok: true, value: 8 });
    expect(run(d, s, 'gpuComplete', { client: 1 }).result).toEqual({ ok: false, err: 'ENOENT' });
  });

  it('a scratch entry faults; no PPGTT loaded faults', () => {
    const s = mapped();
    run(d, s, 'submitCommand', { dom: 1, space: 'ppgtt', gma: 3, write: true });
    run(d, s, 'submitCommand', { dom: 1, space: 'ppgtt', gma: 0, write: true });
    run(d, s, 'gpuContextSwitch', { client: 1, ppgtt: 0 });
    expect(run(d, s, 'gpuComplete', { client: 1 }).result).toEqual({ ok: false, err: 'EFAULT' });
    s.gpu.shadow!.running = { client: 1, ppgtt: -1 };
    expect(run(d, s, 'gpuComplete', { client: 1 }).result).toEqual({ ok: false, err: 'EFAULT' });
    expect(s.gpu.shadow!.vgpus[1].ring).toEqual([]);
  });

  it("notes a DMA that lands outside the running VM (an unaudited command into dom2's slice)", () => {
    const s = mapped();
    run(d, s, 'submitCommand', { dom: 1, space: 'ggtt', gma: 4, write: true }, { auditCommands: false });
    run(d, s, 'gpuContextSwitch', { client: 1, ppgtt: -1 });
    const { result, ctx } = run(d, s, 'gpuComplete', { client: 1 });
    expect(result).toEqual({ ok: true, value: 11 });
    expect(ctx.notes).toEqual(['gpu-dma-outside-own-vm']);
  });

  it('refuses a client whose context is not loaded; resolves only with work to do', () => {
    const s = mapped();
    const op = opOf(d, 'gpuComplete');
    expect(op.resolve(s, {}, DEFAULT_SCOPE)).toBeNull();
    expect(run(d, s, 'gpuComplete', { client: 1 }).result).toEqual({ ok: false, err: 'EINVAL' });
    run(d, s, 'gpuContextSwitch', { client: 2, ppgtt: -1 });
    expect(op.resolve(s, {}, DEFAULT_SCOPE)).toBeNull();
    expect(run(d, s, 'gpuComplete', { client: 1 }).result).toEqual({ ok: false, err: 'EINVAL' });
    run(d, s, 'submitCommand', { dom: 2, space: 'ggtt', gma: 4, write: false });
    expect(op.resolve(s, {}, DEFAULT_SCOPE)).toEqual({ client: 2 });
  });
});
