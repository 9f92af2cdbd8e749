/**
 * Sizes of the GPU-shadowing structures. Small on purpose — a PPGTT of two levels with two entries per
 * page already has shared PT pages, self-referencing roots and more trackers per GFN than a 2-bit
 * counter holds — and fixed, so generated arguments and the structures always agree.
 */

/** Entries per guest page-table page (PD and PT alike), and so per shadow page table. */
export const PT_ENTRIES = 2;

/** Graphics memory addresses one PPGTT maps: PD index × PT index. */
export const PPGTT_GMAS = PT_ENTRIES * PT_ENTRIES;

/** PPGTTs (GPU processes) each VM may have at once. */
export const PPGTTS_PER_VM = 2;

/** Entries of the global GTT each VM's slice holds. */
export const GGTT_SLICE = 4;

/** Audited commands a vGPU's ring holds before the GPU runs them. */
export const RING_SIZE = 4;

/** Split a PPGTT graphics memory address into its PD and PT indices. */
export function ppgttIndices(gma: number): { pd: number; pt: number } {
  return { pd: Math.floor(gma / PT_ENTRIES), pt: gma % PT_ENTRIES };
}
