/**
 * The IOASID slice's knobs as its ops read them: the thread's own arguments (seed 001) and, where
 * marked ⟨outside⟩, later iommufd. Each default is what `ioasid-fd` — the RFC as the thread refines it —
 * does; every non-default value is one the thread argues about, and each is a `npm start` variant.
 */
import type { KnobConfig, KnobDefs } from '../core/design.ts';
import { knobReader } from '../core/design.ts';
import type { KnobValues } from '../core/op.ts';

/** The IOASID knobs. */
export const IOASID_KNOBS = {
  accounting: {
    description:
      'locked-page accounting: prereg (a page is charged once however many pins use it; IOASID_REGISTER_MEMORY charges a range up front), per-map (every root DMA_MAP charges its pages: what pre-registration is recommended against), child-too (software-nested children charged as well; the seed: only the gpa_ioasid)',
    values: ['prereg', 'per-map', 'child-too'],
    default: 'prereg',
  },
  shadowUpdate: {
    description: "when a parent's change reaches a software-nested child's shadow: sync (before the ioctl returns), on-child-op (at the child's next op), snapshot (never)",
    values: ['sync', 'on-child-op', 'snapshot'],
    default: 'sync',
  },
  attachCheck: {
    description: "VFIO_ATTACH_IOASID looks the IOASID up in the device's bound fd (bound-fd) or in whichever fd the caller names (any-fd)",
    values: ['bound-fd', 'any-fd'],
    default: 'bound-fd',
  },
  groupPolicy: {
    description: 'reject-partial: a group is attached as a whole, its DMA blocked while partly attached or partly owned ("an IOASID will reject cmd if partially-attached group exists"); per-device: members attached and owned independently, an attach retargets the shared context',
    values: ['reject-partial', 'per-device'],
    default: 'reject-partial',
  },
  unmapOrder: {
    description: "DMA_UNMAP on a root: revoke children's shadows, mdev pins and DMA in flight, then unpin (revoke-then-unpin); or unpin first and revoke at the fd's next op (unpin-then-revoke)",
    values: ['revoke-then-unpin', 'unpin-then-revoke'],
    default: 'revoke-then-unpin',
  },
  accessUnmapCallback: {
    description: "an mdev access's unmap callback runs on DMA_UNMAP (required), or the mdev keeps its pin and translation (ignored)",
    values: ['required', 'ignored'],
    default: 'required',
  },
  faultKey: {
    description: 'a fault response names the device label VFIO_BIND_IOASID_FD returned (Jason), or the IOASID, resuming every device pending on it (the RFC draft)',
    values: ['device-label', 'ioasid'],
    default: 'device-label',
  },
  drainOnFree: {
    description: 'faults pending on an IOASID or PASID are drained when it is freed (true), or survive it (false)',
    values: [true, false],
    default: true,
  },
  nesting: {
    description: 'software (§5.3: the kernel merges GIOVA→GPA with GPA→HVA into a shadow) or hardware (§5.4: the guest stage-1 table is bound and walked through the parent)',
    values: ['software', 'hardware'],
    default: 'software',
  },
  pasidTable: {
    description:
      'who owns the PASID table: kernel (the host IOMMU driver keeps it; a vPASID is attached with IOASID_ATTACH_USER_PASID and IOASID_BIND_PASID_TABLE is refused) or user-bound (§5.7: on platforms that put it in GPA space the guest owns it and the VMM binds it with IOASID_BIND_PASID_TABLE)',
    values: ['kernel', 'user-bound'],
    default: 'kernel',
  },
  pasidTableAddr: {
    description: 'the bound PASID table pointer (§5.7) is a GPA translated through the parent (gpa), or used as a host address (hpa: "PASID table is put in the GPA space" ignored)',
    values: ['gpa', 'hpa'],
    default: 'gpa',
  },
  kvmMapPasidCheck: {
    description: "KVM_MAP_PASID checks that the fd given is the VM process's own and holds the IOASID (true), or maps a guest PASID to an IOASID of any fd (false)",
    values: [true, false],
    default: true,
  },
  deviceModel: {
    description:
      "how the VMM gets its device fds: device-fd (§5: every device listed under /dev/vfio/devices, bound one by one) or group-fd (Kevin's question to Jason: keep VFIO's container/group, deprecate only VFIO_SET_IOMMU; a group is given to one process and bound as a whole, while the IOASID still rejects a partially attached group)",
    values: ['device-fd', 'group-fd'],
    default: 'device-fd',
  },
  memslotListener: {
    description:
      "when the VMM changes a KVM memslot (a GPA range deleted or moved to other HVAs) while IOASIDs map that GPA: sync (QEMU's VFIO memory listener: region_del unmaps the GPA — revoking first — and region_add maps the new HVA) or none (the IOASIDs keep the old HVA's frame: the device's view of guest RAM parts from the vCPU's)",
    values: ['sync', 'none'],
    default: 'sync',
  },
  mapBeforeAttach: {
    description:
      'whether IOASID_DMA_MAP is accepted on an IOASID no device is attached to: false (⟨outside⟩ the RFC §2.1: the IOASID takes its format from the devices attached and accepts no command before one is) or true (what Jason asked for and iommufd does: an IOAS is mapped first and its mappings are copied into each domain attached later)',
    values: [false, true],
    default: false,
  },
} as const satisfies KnobDefs;

/** The IOASID configuration, e.g. `{ accounting: 'prereg' | 'per-map' | 'child-too'; … }`. */
export type IoasidConfig = KnobConfig<typeof IOASID_KNOBS>;

/** The IOASID configuration under a run's knob values. */
export const ioasidConfig: (knobs: KnobValues) => IoasidConfig = knobReader(IOASID_KNOBS);
