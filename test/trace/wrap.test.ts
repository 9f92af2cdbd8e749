import { describe, expect, it } from 'vitest';
import { wrapLine, wrapLines } from '../../src/trace/wrap.ts';

describe('wrapping for 80 columns', () => {
  it('leaves short lines alone and breaks long ones at spaces under a deeper indent', () => {
    expect(wrapLine('  short')).toEqual(['  short']);
    const long = `  ok          ${'word '.repeat(30).trim()}`;
    const lines = wrapLine(long);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines[0].startsWith('  ok          word')).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('      word'))).toBe(true);
    expect(lines.join(' ').replace(/ +/g, ' ')).toBe(long.replace(/ +/g, ' '));
  });

  it('leaves a line whole when a word in it cannot fit a line anyway (a long path beside its label)', () => {
    const line = `  saved corpus/${'x'.repeat(90)}.json`;
    expect(wrapLine(line)).toEqual([line]);
  });

  it('breaks a command with a trailing backslash, so it pastes into a shell as one', () => {
    const cmd = '  reproduce: npx shadowcheck fuzz --design xen-map-for-dma --set checkTarget=false --invariant no-foreign-reach --seed 1 --runs 1000';
    const lines = wrapLine(cmd);
    expect(lines.length).toBe(2);
    expect(lines[0].endsWith(' \\')).toBe(true);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines.map((l) => l.replace(/ \\$/, '')).join(' ').replace(/ +/g, ' ')).toBe(cmd.replace(/ +/g, ' '));
  });

  it('splits embedded newlines first', () => {
    expect(wrapLines(['a\nb'])).toEqual(['a', 'b']);
  });
});
