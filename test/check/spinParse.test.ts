/** The Spin comparison reads pan's report and the shell's `times` (pan's CPU time) correctly. */
import { describe, expect, it } from 'vitest';
import { parsePan, parseTimes } from '../../src/bench/spin.ts';

const PAN = `(Spin Version 6.5.2 -- 6 December 2019)
    51411 states, stored
    52841 transitions (= stored+matched)
pan: elapsed time 0.34 seconds
pan: rate 151208.82 states/second
0m0.000000s 0m0.000000s
0m0.030000s 0m0.140000s
`;

describe('Spin figures', () => {
  it("reads states and elapsed time from pan, and the children's user + system seconds from times", () => {
    expect(parsePan(PAN)).toEqual({ states: 51411, seconds: 0.34 });
    expect(parseTimes(PAN)).toBeCloseTo(0.17, 9);
    expect(parseTimes('1m2.5s 0m0.5s\n')).toBeCloseTo(63, 9);
    expect(parseTimes('no times here')).toBeUndefined();
  });
});
