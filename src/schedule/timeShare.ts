/**
 * A global time budget over campaigns run one after another (an audit: baseline, then candidate):
 * each campaign's deadline is an equal share of what is left, so the whole command takes about the
 * time asked for — not that time per campaign, and again per invariant once something breaks.
 */
import type { Budget } from '../fuzz/campaign.ts';

/** Shares `budget` among `parts` campaigns run in turn; a run budget passes through unchanged. */
export class TimeShare {
  private used = 0;
  private readonly deadline: number;

  constructor(
    private readonly budget: Budget,
    private readonly parts: number,
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = 'seconds' in budget ? now() + budget.seconds * 1000 : Infinity;
  }

  /** The next campaign's budget: what is left divided by the campaigns left (at least 1 ms: each gets its first chunk anyway). */
  next(): Budget {
    if ('runs' in this.budget) return this.budget;
    const left = Math.max(1, this.parts - this.used);
    this.used += 1;
    return { seconds: Math.max(0.001, (this.deadline - this.now()) / 1000 / left) };
  }
}
