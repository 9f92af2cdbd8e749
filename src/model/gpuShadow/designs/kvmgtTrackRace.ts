/**
 * `kvmgt-track-race`: `kvmgt-page-track` with KVM's page-track notifier as a later phase of the
 * trapped write (seed 002: the notifier runs after the emulation, while another CPU may be removing
 * the tracked page). The guest's PPGTT retirement (`ppgttDestroy`: the shadow freed, its pages
 * untracked), a memslot move or a balloon-out may run between the emulated write and track_write.
 * KVMGT's handler looks the shadow up when it runs, and a lock held across the window keeps removal
 * out: both hold every invariant the baseline holds. A handler that found the shadow before the
 * window (`trackWriteLookup=before-unlock`) writes into a freed shadow page and leaks the pin.
 */
import type { Design, Expectation } from '../../core/design.ts';
import { INTERLEAVED, withContinuations } from '../../core/phase.ts';
import { pinGuestPage } from '../ops/shadowResolver.ts';
import { makePhasedGuestWritePte, TRACK_WRITE_KNOBS, trackWriteConfig, withVgpuLocks } from '../ops/phasedTrackWrite.ts';
import { kvmgtPageTrack } from './kvmgtPageTrack.ts';

/** KVMGT with track_write split from the write that triggers it. */
export const kvmgtTrackRace: Design = {
  ...kvmgtPageTrack,
  id: 'kvmgt-track-race',
  title: 'KVMGT with track_write as a later phase of the trapped write: remove_page may run in between',
  description:
    "kvmgt-page-track's design with the page-track notifier split from the emulated write, so the guest retiring a PPGTT (the shadow freed, its pages untracked) can run between them; trackWriteLookup says how the notifier finds the shadow it updates.",
  source: 'seed 002: Xiao Guangrong 2016-02-14 (track_write called after the emulation), Paolo Bonzini 2016-02-19; issue 11 item 3',
  knobs: { ...kvmgtPageTrack.knobs, ...TRACK_WRITE_KNOBS },
  variants: [{ trackWriteLookup: 'lock-held' }, { trackWriteLookup: 'before-unlock' }],
  ops: withContinuations(withVgpuLocks(kvmgtPageTrack.ops.map((op) => (op.name === 'guestWritePte' ? makePhasedGuestWritePte(pinGuestPage) : op)))),
  // Besides the baseline's: a track_write that ran after other actions in its window.
  sometimes: (knobs) => [...(kvmgtPageTrack.sometimes?.(knobs) ?? []), INTERLEAVED],
  expect(knobs) {
    const out: Record<string, Expectation> = { ...kvmgtPageTrack.expect(knobs) };
    if (trackWriteConfig(knobs).trackWriteLookup === 'before-unlock') {
      out['refcounts-match-refs'] = {
        verdict: 'violated',
        why: 'trackWriteLookup=before-unlock: the shadow page is freed (the guest retires the PPGTT, or a re-shadow drops it) between the emulated write and track_write, which then writes a freshly pinned entry into the freed shadow page; the pin is held by nothing (a leak)',
      };
      out['track-counts-match'] = {
        verdict: 'violated',
        why: 'trackWriteLookup=before-unlock: a PD entry written into a freed shadow page directory shadows (and write-tracks) the page table it names, and no shadow structure that anyone can free holds it',
      };
    }
    return out;
  },
};
