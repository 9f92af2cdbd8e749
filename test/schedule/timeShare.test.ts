import { describe, expect, it } from 'vitest';
import { TimeShare } from '../../src/schedule/timeShare.ts';

describe('a --time shared by campaigns run in turn (audit)', () => {
  it('gives each an equal share of what is left, so the whole takes the time asked for', () => {
    let now = 0;
    const share = new TimeShare({ seconds: 60 }, 2, () => now);
    expect(share.next()).toEqual({ seconds: 30 });
    now = 40_000; // the first overran by 10 s: the second gets what is left
    expect(share.next()).toEqual({ seconds: 20 });
  });

  it('a run budget passes through; a spent budget still gives each campaign a minimal one', () => {
    expect(new TimeShare({ runs: 500 }, 2).next()).toEqual({ runs: 500 });
    let now = 0;
    const share = new TimeShare({ seconds: 1 }, 2, () => now);
    now = 5000;
    expect(share.next()).toEqual({ seconds: 0.001 });
  });
});
