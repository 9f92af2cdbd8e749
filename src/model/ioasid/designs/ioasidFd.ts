/**
 * `ioasid-fd`: the /dev/ioasid uAPI as the thread refines it (seed 001, Kevin Tian 2021-06-01 quoting
 * §5.1–5.7, with Jason Gunthorpe's replies): one IOASID fd per VMM; device fds bound to it; attach by
 * FD-local IOASID in the bound fd; locked pages charged once however many mappings pin them;
 * software nesting with a kernel shadow updated before the ioctl returns; hardware nesting with the
 * guest's stage 1 translated through the parent; per-device vPASIDs; a checked KVM_MAP_PASID; faults
 * labelled by device (Jason) and drained on free; partially attached groups refused ("an IOASID will
 * reject cmd if partially-attached group exists"). Believed sound with its defaults; each knob is one
 * of the thread's arguments, and the known-bad values break what they must.
 */
import type { Design, Expectation } from '../../core/design.ts';
import type { KnobValues } from '../../core/op.ts';
import { ioasidConfig, IOASID_KNOBS } from '../knobs.ts';
import { IOASID_DESIGN_TEARDOWN, ioasidFdOps } from '../ops/ioasidOps.ts';
import { buildIoasidWorld } from '../world.ts';
import { HOST_CORE_INVARIANT_IDS, IOASID_INVARIANT_IDS } from './ioasidInvariants.ts';

const OPS = ioasidFdOps();

/** Mark each of `ids` violated for `why` (keeping the first reason an invariant was given). */
function violated(out: Record<string, Expectation>, ids: readonly string[], why: string): void {
  for (const id of ids) out[id] ??= { verdict: 'violated', why };
}

/** Expected violations for knob values: always the knob's doing. */
function expectations(knobs: KnobValues): Record<string, Expectation> {
  const c = ioasidConfig(knobs);
  const out: Record<string, Expectation> = {};
  if (c.accounting === 'per-map') {
    violated(out, ['locked-accounting-exact'], 'accounting=per-map: mapping an HVA into a second IOASID charges its page again (the duplicated locked page accounting pre-registration avoids)');
  }
  if (c.accounting === 'child-too') {
    violated(out, ['locked-accounting-exact'], 'accounting=child-too: a software-nested child mapping charges a page its parent already pins (the seed: only the gpa_ioasid is accounted)');
  }
  if (c.shadowUpdate !== 'sync') {
    violated(
      out,
      ['nested-shadow-coherent', 'unmap-revokes-before-unpin', 'no-stale-reference', 'dma-only-own-memory', 'no-foreign-reach', 'no-xen-frame-reach'],
      `shadowUpdate=${c.shadowUpdate}: a parent unmap leaves the child's shadow naming the unpinned page; once the VMM munmaps it and the frame is freed or goes to another process or the kernel, the child's device DMAs into it`,
    );
  }
  if (c.attachCheck === 'any-fd') {
    violated(
      out,
      ['attach-only-through-bound-fd', 'dma-only-own-memory', 'no-foreign-reach', 'pasid-confined-to-fd', 'fault-delivered-to-owner'],
      "attachCheck=any-fd: a device is attached to an IOASID of another process's fd, DMAs into that process's memory, and its page requests queue on that process's fd",
    );
  }
  if (c.groupPolicy === 'per-device') {
    violated(
      out,
      ['no-partial-group-dma', 'dma-only-own-memory', 'no-foreign-reach'],
      "groupPolicy=per-device: attaching one member of an ACS-less group retargets the shared context, so the other member — unattached, or another process's — DMAs through it",
    );
  }
  if (c.unmapOrder === 'unpin-then-revoke') {
    violated(
      out,
      ['unmap-revokes-before-unpin', 'nested-shadow-coherent', 'no-stale-reference', 'dma-only-own-memory', 'no-foreign-reach', 'no-xen-frame-reach'],
      "unmapOrder=unpin-then-revoke: DMA_UNMAP returns with the pages unpinned while a child's shadow and mdev pins still reach them; munmapped and reallocated, the child's device DMAs into a free frame, another process's or the kernel's",
    );
  }
  if (c.accessUnmapCallback === 'ignored') {
    violated(out, ['unmap-revokes-before-unpin'], 'accessUnmapCallback=ignored: the mdev keeps its pin and translation after the user unmapped the IOVA');
  }
  if (c.faultKey === 'ioasid') {
    violated(out, ['fault-delivered-to-owner'], "faultKey=ioasid: a response on the IOASID resumes every fault pending on it, not the one answered (Jason's question; within one fd, the functional half)");
  }
  if (!c.drainOnFree) {
    violated(out, ['fault-delivered-to-owner'], 'drainOnFree=false: a fault pending on a freed IOASID or PASID survives it, for the next owner of the id');
  }
  // The pointer's address space matters only where the guest's PASID table is bound at all.
  if (c.pasidTable === 'user-bound' && c.pasidTableAddr === 'hpa') {
    violated(
      out,
      ['dma-only-own-memory', 'pasid-confined-to-fd', 'no-foreign-reach', 'no-xen-frame-reach'],
      'pasidTableAddr=hpa: the bound PASID table pointer is used as a host address, so the IOMMU reads whatever frame the guest names — another process\'s or the kernel\'s',
    );
  }
  if (c.memslotListener === 'none') {
    violated(out, ['iommu-follows-memslots'], "memslotListener=none: a memslot moved or deleted under a live mapping leaves the gpa IOASID naming the old HVA's frame, which the guest no longer sees at that GPA");
  }
  if (!c.kvmMapPasidCheck) {
    violated(
      out,
      ['pasid-confined-to-fd', 'attach-only-through-bound-fd', 'dma-only-own-memory', 'no-foreign-reach'],
      "kvmMapPasidCheck=false: KVM maps a guest PASID to an IOASID of another process's fd, and the guest's ENQCMD DMAs into that process's memory",
    );
  }
  return out;
}

/**
 * Every non-default knob value, singly — except that `pasidTableAddr=hpa` comes with
 * `pasidTable=user-bound`, without which no PASID table pointer is ever bound.
 */
const VARIANTS: readonly KnobValues[] = Object.entries(IOASID_KNOBS).flatMap(([name, k]) =>
  (k.values as readonly (string | boolean)[])
    .filter((v) => v !== k.default)
    .map((v): KnobValues => (name === 'pasidTableAddr' ? { pasidTable: 'user-bound', [name]: v } : { [name]: v })),
);

/** The RFC as the thread refines it. */
export const ioasidFd: Design = {
  id: 'ioasid-fd',
  title: '/dev/ioasid: one IOASID fd per VMM, bound device fds, nesting, vPASIDs and I/O page faults',
  description:
    'A VMM opens /dev/ioasid, binds its device fds, attaches them to FD-local IOASIDs and DMA-maps its HVAs (pinned, each page charged once); a vIOMMU guest gets GIOVA/GVA spaces nested on the gpa IOASID (software: a kernel shadow kept in sync; hardware: the guest stage 1 walked through the parent), vPASIDs, KVM_MAP_PASID for ENQCMD, and page faults labelled by device; partially attached IOMMU groups DMA nowhere.',
  source: "seed 001: Kevin Tian 2021-06-01 (RFC §5.1-5.7) and Jason Gunthorpe's replies of 2021-05-28",
  knobs: IOASID_KNOBS,
  variants: VARIANTS,
  teardown: IOASID_DESIGN_TEARDOWN,
  ops: OPS,
  invariants: [...HOST_CORE_INVARIANT_IDS, ...IOASID_INVARIANT_IDS],
  expect: expectations,
  sometimes: () => ['hva-munmapped-while-pinned', 'fd-closed-with-mappings', 'double-mapped-hva', 'page-request-queued'],
  buildWorld: (scope, knobs) => buildIoasidWorld(scope, knobs, OPS),
};
