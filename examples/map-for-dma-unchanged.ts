/**
 * A design file identical to its baseline: `deriveDesign` with no change. Auditing it must report
 * nothing newly broken and nothing newly fixed (exit 0) — the audit's own control experiment.
 *
 * Audit it: npx shadowcheck audit examples/map-for-dma-unchanged.ts
 */
import { deriveDesign, xenMapForDma } from '../src/api.ts';

export default deriveDesign(xenMapForDma, { id: 'map-for-dma-unchanged' });
