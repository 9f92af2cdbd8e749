/**
 * A VMM mmaps a device's MMIO BAR into its address space (VFIO's region mmap of the device fd) — the
 * HVA page a peer-to-peer DMA_MAP then maps for another device. The seed does not discuss it; the
 * model follows what a sound kernel must do and today's iommufd does ⟨outside⟩ (its dma-buf
 * peer-to-peer path): the mapping names the BAR frame, takes no page reference, charges no locked page,
 * and is revoked when the BAR's device fd is released (kernel.ts `zapBar`), before the device can change
 * hands. Pinning (registration, an mdev access) refuses a BAR page, as pin_user_pages does.
 */
import { isAlive, pickFrom } from '../../core/lookup.ts';
import { defineOp, fail, OK } from '../../core/op.ts';
import { findDevice, liveFd } from '../lookup.ts';

/** Where the VMMs mmap BARs, when the generator aims: an HVA page above guest RAM that DMA_MAP draws. */
const BAR_HVAS = [6, 7];

/** mmap of a device's BAR page by its owner, through the device fd it bound. */
export const mmapBar = defineOp({
  name: 'mmapBar',
  actor: 'backend',
  weight: 1,
  doc: "the owner of device mmaps its MMIO BAR page at HVA page hva (the device must be bound: the mmap is of its device fd's region)",
  gen: { device: { kind: 'pick' }, hva: { kind: 'pick' } },
  resolve(state, raw) {
    const s = state.ioasid;
    const bar = s === undefined ? undefined : pickFrom(s.bars, raw.device);
    return bar === undefined ? null : { device: bar.device, hva: BAR_HVAS[raw.hva % BAR_HVAS.length] };
  },
  enabled: () => true,
  apply(state, { device, hva }, ctx) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : findDevice(s, device);
    const bar = s?.bars.find((b) => b.device === device);
    if (s === undefined || dev === undefined || bar === undefined) return fail('ENOENT');
    if (!isAlive(state, dev.owner)) return fail('ESRCH');
    // The BAR is a region of the device fd: without a bound device fd there is nothing to mmap.
    if (liveFd(s, dev.boundFd)?.owner !== dev.owner) return fail('EPERM');
    const p2m = state.domains[dev.owner].p2m;
    if (!Number.isInteger(hva) || hva < 0 || hva >= p2m.length) return fail('EINVAL');
    if (p2m.some((e) => e !== null && e.type === 'mmio_direct' && e.mfn === bar.mfn)) return fail('EEXIST');
    if (p2m[hva] !== null) return fail('EBUSY');
    p2m[hva] = Object.freeze({ mfn: bar.mfn, type: 'mmio_direct', gen: state.frames[bar.mfn].gen, counted: false });
    ctx.note('bar-mmapped');
    return OK;
  },
});
