/**
 * Spawn the CLI (bin/shadowcheck.mjs) and send it `signal` as soon as it has installed its handler for
 * it (announced by announceSignalHandlers.mjs), then collect its output and exit code.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PRELOAD = pathToFileURL(fileURLToPath(new URL('./announceSignalHandlers.mjs', import.meta.url))).href;

/** What the signalled process printed and how it ended. */
export interface SignalledRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `args` under the CLI with `CI=true` and send `signal` (`times` times) once its handler is installed. */
export function spawnUntilHandled(args: readonly string[], signal: 'SIGINT' | 'SIGTERM', times = 1): Promise<SignalledRun> {
  const child = spawn(process.execPath, ['--import', PRELOAD, 'bin/shadowcheck.mjs', ...args], {
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && stderr.includes(`[test] ${signal} handler installed`)) {
      sent = true;
      for (let i = 0; i < times; i++) child.kill(signal);
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}
