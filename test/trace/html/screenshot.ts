/**
 * `npm run viewer-screenshot`: take docs/viewer.png — the viewer page of a committed corpus entry
 * (the GPU running dom1 reaches dom2's frame through a shadow GGTT entry), at its violating step, in
 * the same headless Chromium the browser test uses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findDesign } from '../../../src/model/designs.ts';
import { entryPage } from '../../../src/trace/html/pages.ts';
import { renderPage } from '../../../src/trace/html/renderPage.ts';
import { findChromium, launchChromium } from './chromium.ts';
import { GPU_ENTRY, readEntry } from './fixtures.ts';

const OUT = process.argv[2] ?? 'docs/viewer.png';
const exe = findChromium();
if (exe === undefined) {
  console.error('viewer-screenshot: no Chromium found (set CHROME_PATH, or apt-get install chromium)');
  process.exit(2);
}
const entry = readEntry(GPU_ENTRY);
const page = entryPage(entry, findDesign(entry.design.id)!, GPU_ENTRY, `npx shadowcheck replay ${GPU_ENTRY}`);
if ('error' in page) throw new Error(page.error);
const dir = mkdtempSync(join(tmpdir(), 'shadowcheck-shot-'));
const file = join(dir, 'viewer.html');
writeFileSync(file, renderPage(page));
const browser = await launchChromium(exe, { width: 1280, height: 900 });
try {
  const tab = await browser.context.newPage();
  await tab.goto(pathToFileURL(file).href);
  await tab.waitForSelector('#viewer[data-ready="true"]');
  await tab.screenshot({ path: OUT, fullPage: true });
  console.log(`wrote ${OUT}`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
