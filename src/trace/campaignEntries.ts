/**
 * The corpus entries a campaign yields: one per shrunk violation. Harness errors are not saved — they
 * are bugs in the model to fix, reported by `fuzz`, not verdicts to keep replaying.
 */
import type { CampaignResult } from '../fuzz/campaign.ts';
import type { Scope } from '../model/core/scope.ts';
import type { CorpusEntry } from './corpusEntry.ts';
import { entryFromCounterexample } from './corpusEntry.ts';

/** One counterexample of a campaign as a corpus entry, with the invariant it is for. */
export interface CampaignEntry {
  invariant: string;
  entry: CorpusEntry;
}

/** Corpus entries for every violated invariant of a campaign run in `scope`. */
export function campaignEntries(r: CampaignResult, scope: Scope): CampaignEntry[] {
  const out: CampaignEntry[] = [];
  for (const v of r.verdicts) {
    const cx = v.counterexample;
    if (cx === undefined || cx.kind !== 'violation') continue;
    out.push({ invariant: v.invariant, entry: entryFromCounterexample(r.design, r.knobs, scope, v.invariant, cx) });
  }
  return out;
}
