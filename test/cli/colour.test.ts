import { describe, expect, it } from 'vitest';
import { colourEnabled, paint } from '../../src/cli/colour.ts';

describe('colour', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ TERM: 'dumb' }, true, false],
  ])('env %j, stdout tty %s → %s', (env, tty, want) => {
    expect(colourEnabled(env as NodeJS.ProcessEnv, tty)).toBe(want);
  });

  it('colours the news words only, and leaves JSON alone', () => {
    expect(paint('3 of 9 verdicts NOT as expected')).toBe('3 of 9 verdicts \x1b[1;31mNOT as expected\x1b[0m');
    expect(paint('all 9 verdicts as expected')).toBe('\x1b[32mall 9 verdicts as expected\x1b[0m');
    expect(paint('  ok  xen-map-for-dma: 6 hold')).toBe('  ok  xen-map-for-dma: 6 hold');
    expect(paint('{"verdict": "UNEXPECTED"}')).toBe('{"verdict": "UNEXPECTED"}');
  });
});
