/**
 * The system Chromium the viewer tests drive through playwright-core (which downloads no browser):
 * `CHROME_PATH`, else `/usr/bin/chromium` (Debian's package), else `chromium` on PATH. Launched
 * headless with a fresh profile and every background fetch switched off, so a test run makes no
 * network request of its own.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Flags for a quiet, offline, throw-away headless Chromium. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium to use, or undefined when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROME_PATH) return executable(env.CHROME_PATH) ? env.CHROME_PATH : undefined;
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, 'chromium'))) return join(dir, 'chromium');
  }
  return undefined;
}

/** A running browser with its fresh profile; `close` removes the profile too. */
export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launch `executablePath` headless with a fresh --user-data-dir (playwright passes it for a persistent context). */
export async function launchChromium(executablePath: string, viewport = { width: 1400, height: 1000 }): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'shadowcheck-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: [...CHROMIUM_ARGS], viewport });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
