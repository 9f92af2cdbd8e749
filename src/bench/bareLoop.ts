/**
 * The yardstick: a bare fast-check `fc.commands` loop over a trivial model, run in the same process as
 * the checked campaign, so the ratio of the two says what our model and invariants cost on top of
 * fast-check itself — independent of how fast the machine is.
 */
import fc from 'fast-check';

interface Counter {
  n: number;
  /** Commands executed, for the steps/s figure. */
  ran: number;
}

class Inc implements fc.Command<Counter, Counter> {
  check(): boolean {
    return true;
  }
  run(m: Counter, r: Counter): void {
    m.n += 1;
    r.n += 1;
    r.ran += 1;
  }
  toString(): string {
    return 'inc';
  }
}

class Dec implements fc.Command<Counter, Counter> {
  check(m: Readonly<Counter>): boolean {
    return m.n > 0;
  }
  run(m: Counter, r: Counter): void {
    m.n -= 1;
    r.n -= 1;
    r.ran += 1;
  }
  toString(): string {
    return 'dec';
  }
}

/** CPU milliseconds used by this process so far. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Run `runs` sequences of up to `maxCommands` trivial commands; returns commands executed and milliseconds. */
export function bareCommandsLoop(runs: number, maxCommands: number, seed: number): { steps: number; ms: number; cpuMs: number } {
  const real: Counter = { n: 0, ran: 0 };
  const commands = [fc.constant(new Inc()), fc.constant(new Dec())];
  const wall = performance.now();
  const cpu = cpuMs();
  fc.assert(
    fc.property(fc.commands(commands, { maxCommands, size: 'max' }), (cmds) => {
      real.n = 0;
      fc.modelRun(() => ({ model: { n: 0, ran: 0 }, real }), cmds);
    }),
    { seed, numRuns: runs },
  );
  return { steps: real.ran, ms: performance.now() - wall, cpuMs: cpuMs() - cpu };
}
