/**
 * The small vocabulary the type-ok checks are written in. The predicates are cheap and allocate
 * nothing — type-ok runs after every step and almost always holds — and a finding's path (where in the
 * state the bad value sits, as a JSON path) is built only when a predicate fails.
 */
import type { State } from '../../../src/model/core/state.ts';
import type { Witness } from '../../types.ts';

/** Whether `x` is an integer in [0, n). */
export function isIndex(x: unknown, n: number): boolean {
  return Number.isInteger(x) && (x as number) >= 0 && (x as number) < n;
}

/** Whether `x` is a non-negative integer. */
export function isNatural(x: unknown): boolean {
  return Number.isInteger(x) && (x as number) >= 0;
}

/** Whether `dom` is the id of a created domain (any state but 'none'). */
export function isDomain(s: State, dom: unknown): boolean {
  return isIndex(dom, s.domains.length) && s.domains[dom as number].state !== 'none';
}

/** Whether `mfn` names a machine frame. */
export function isFrame(s: State, mfn: unknown): boolean {
  return isIndex(mfn, s.frames.length);
}

/** Collects type-ok findings. */
export class TypeFindings {
  readonly out: Witness[] = [];

  /** Record that the value at `at` is not of its type; `want` says what it should have been. */
  bad(at: string, want: string, actual: unknown): void {
    this.out.push({ reason: 'not-type-ok', expected: `${at}: ${want}`, actual });
  }

  /** Record a value that should have been an index in [0, n). */
  badIndex(at: string, what: string, n: number, actual: unknown): void {
    this.bad(at, `${what} in [0, ${n})`, actual);
  }

  /** Record a value that should have named a created domain. */
  badDomain(at: string, actual: unknown): void {
    this.bad(at, 'a domain that was created', actual);
  }

  /** Record a value that should have named a machine frame. */
  badFrame(s: State, at: string, actual: unknown): void {
    this.badIndex(at, 'an MFN', s.frames.length, actual);
  }
}
