/**
 * Run the real CLI binary in a child process and send it a signal part-way through: the one way to
 * test what a signal from outside (Ctrl-C, a CI timeout's SIGTERM) does, as opposed to a
 * process.emit in this process. The interrupt and sigterm tests both need exactly this, so it is
 * written once.
 */
import { spawn } from 'node:child_process';

/** What the signalled child printed and how it exited. */
export interface SignalledRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Start `bin/shadowcheck.mjs args` (with CI=true, so no TTY progress), send it `signal` after `afterMs`
 * — long enough for tsx to load the CLI and the campaign to start, far shorter than the campaign's own
 * budget — and resolve once it exits.
 */
export async function runCliSignalled(args: string[], signal: NodeJS.Signals, afterMs = 5000): Promise<SignalledRun> {
  const child = spawn(process.execPath, ['bin/shadowcheck.mjs', ...args], {
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const timer = setTimeout(() => child.kill(signal), afterMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
