/** Running the CLI in-process for tests: exit code, stdout and stderr (usage errors go to console.error). */
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

/** Run `shadowcheck argv…` and collect what it printed. */
export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  try {
    const code = await main(argv, (s) => out.push(s));
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    spy.mockRestore();
  }
}
