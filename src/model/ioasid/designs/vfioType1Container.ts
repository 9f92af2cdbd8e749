/**
 * `vfio-type1-container`: the legacy VFIO type1 interface the RFC replaces, as the comparison point for
 * `audit`. A container (here an IOASID fd) holds one IOMMU domain per address space (a root IOASID); a
 * group is the attach unit; there is no nesting, so for a vIOMMU guest QEMU builds the GIOVA→HVA shadow
 * itself (§5.2: "like how VFIO works today") by DMA-mapping the same HVA into a second domain — and every
 * map pins and charges its pages, so that HVA is charged twice: the "duplicated locked page accounting"
 * the RFC's pre-registration and nesting exist to avoid. The security invariants hold.
 */
import type { Design } from '../../core/design.ts';
import { IOASID_KNOBS } from '../knobs.ts';
import { IOASID_DESIGN_TEARDOWN, vfioType1Ops } from '../ops/ioasidOps.ts';
import { buildIoasidWorld } from '../world.ts';
import { HOST_CORE_INVARIANT_IDS, IOASID_INVARIANT_IDS } from './ioasidInvariants.ts';

const OPS = vfioType1Ops();

/** Type1 charges every vfio_dma's pages on their own: per-map is its rule (the other values are the fd's, for comparison). */
const KNOBS = { accounting: { ...IOASID_KNOBS.accounting, default: 'per-map' } } as const;

/** The legacy container. */
export const vfioType1Container: Design = {
  id: 'vfio-type1-container',
  title: 'VFIO type1 container: one IOMMU domain per address space, every map pinned and charged',
  description:
    'The VMM DMA-maps HVAs into per-address-space IOMMU domains of its container; no pre-registration and no nesting, so a vIOMMU guest\'s GIOVA space is a second domain QEMU fills with GIOVA→HVA shadows, charging those pages again.',
  source: 'seed 001: Kevin Tian 2021-06-01, §5.2 ("Qemu need to generate shadow mappings in userspace for giova_ioasid (like how VFIO works today)"; "To avoid duplicated locked page accounting")',
  knobs: KNOBS,
  teardown: IOASID_DESIGN_TEARDOWN,
  ops: OPS,
  invariants: [...HOST_CORE_INVARIANT_IDS, ...IOASID_INVARIANT_IDS],
  expect: () => ({
    'locked-accounting-exact': {
      verdict: 'violated',
      why: "every map charges its pages: QEMU's GIOVA→HVA shadow in a second domain charges an HVA the GPA domain already charged (the thread's duplicated locked page accounting)",
    },
  }),
  sometimes: () => ['hva-munmapped-while-pinned', 'fd-closed-with-mappings', 'double-mapped-hva', 'attach-to-other-fd-refused'],
  buildWorld: (scope, knobs) => buildIoasidWorld(scope, knobs, OPS),
};
