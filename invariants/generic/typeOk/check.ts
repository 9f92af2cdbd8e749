/**
 * The small vocabulary the type-ok checks are written in: each check pushes one witness per value out
 * of its type, naming where in the state it sits (a JSON path) and what it holds.
 */
import type { Witness } from '../../types.ts';

/** Collects type-ok findings. */
export class TypeFindings {
  readonly out: Witness[] = [];

  /** Record that the value at `at` is not of its type; `want` says what it should have been. */
  bad(at: string, want: string, actual: unknown): void {
    this.out.push({ reason: 'not-type-ok', expected: `${at}: ${want}`, actual });
  }

  /** `x` must be an integer in [lo, hi). */
  index(at: string, x: unknown, lo: number, hi: number, what: string): boolean {
    if (Number.isInteger(x) && (x as number) >= lo && (x as number) < hi) return true;
    this.bad(at, `${what} in [${lo}, ${hi})`, x);
    return false;
  }

  /** `x` must be a non-negative integer. */
  natural(at: string, x: unknown): boolean {
    if (Number.isInteger(x) && (x as number) >= 0) return true;
    this.bad(at, 'a non-negative integer', x);
    return false;
  }

  /** `x` must be one of `values`. */
  member(at: string, x: unknown, values: readonly unknown[]): boolean {
    if (values.includes(x)) return true;
    this.bad(at, `one of ${values.join(', ')}`, x);
    return false;
  }
}
