/**
 * Words for the GPU-shadowing slice's hops. The mirrored pages and memslots have no wording of their
 * own: their fields say it.
 */
import { fieldsText, hex } from '../core/words.ts';
import type { HopWords } from '../core/slice.ts';
import type { GpuShadowHops, ShadowGgttHop, ShadowPpgttHop } from './hops.ts';

/** " (dom1 gfn 0x2 → mfn 0x9)" for a shadow entry's hop: what it translates, to which address. */
function translationText(h: ShadowGgttHop | ShadowPpgttHop): string {
  if (h.gfn === undefined) return '';
  const whose = h.client !== undefined ? `dom${h.client} ` : '';
  const to = h.addrKind !== undefined ? ` → ${h.addrKind} ${hex(h.addr!)}` : '';
  return ` (${whose}gfn ${hex(h.gfn)}${to})`;
}

/** Words for each GPU-shadowing hop. */
export const gpuShadowHopWords: HopWords<GpuShadowHops> = {
  shadowGgtt: (h) => `shadow GGTT entry ${h.index}${translationText(h)}`,
  shadowPpgtt: (h) => `shadow PPGTT ${h.ppgtt} of dom${h.owner} gma ${hex(h.gma)}${translationText(h)}`,
  gpuCommand: (h) => `dom${h.client}'s command ${h.slot} (${h.space} gma ${hex(h.gma)})`,
  aperture: (h) => `dom${h.dom} aperture at gma ${hex(h.gma)}`,
  shadowPpgttRoot: fieldsText,
  shadowPt: fieldsText,
  memslot: fieldsText,
};
