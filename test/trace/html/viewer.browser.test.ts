/**
 * The viewer in a real browser: headless Chromium (see chromium.ts) loads generated pages from
 * file://, is stepped with the keyboard and the slider, and the DOM is asserted — the step count, the
 * step shown, the highlighted witness path, the side-by-side panels of an audit page, and that text
 * from a hostile entry stays text. Without a Chromium the test is skipped and says so, except under
 * CI=true, where a missing browser is a failure (`.ci/run` installs Debian's chromium).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/audit/audit.ts';
import { loadDesignFile } from '../../../src/audit/designFile.ts';
import { findDesign } from '../../../src/model/designs.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import { auditPages, entryPage } from '../../../src/trace/html/pages.ts';
import { renderPage } from '../../../src/trace/html/renderPage.ts';
import type { ViewerPage } from '../../../src/trace/html/viewerData.ts';
import type { Chromium } from './chromium.ts';
import { findChromium, launchChromium } from './chromium.ts';
import { corpusFiles, GPU_ENTRY, hostilePage, readEntry } from './fixtures.ts';

const browserPath = findChromium();
const NO_BROWSER = 'no Chromium found (set CHROME_PATH, or apt-get install chromium) — the browser test of the trace viewer did not run';

let dir = '';
let browser: Chromium | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shadowcheck-viewer-'));
  if (browserPath !== undefined) browser = await launchChromium(browserPath);
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Write `page` to a file and open it; errors thrown by the page's script fail the test. */
async function open(name: string, page: ViewerPage): Promise<{ tab: Page; errors: string[] }> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, renderPage(page));
  const tab = await browser!.context.newPage();
  const errors: string[] = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  tab.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await tab.goto(pathToFileURL(file).href);
  await tab.waitForSelector('#viewer[data-ready="true"]');
  return { tab, errors };
}

/** The step the page shows, from its label. */
const label = (tab: Page) => tab.locator('#step-label').textContent();

/** The highlighted witness path: labels of lit nodes, and lit edges as "from → to". */
async function lit(tab: Page, side = 0): Promise<{ nodes: string[]; edges: string[] }> {
  return tab.locator('section.side').nth(side).evaluate((sec) => ({
    nodes: [...sec.querySelectorAll('g.node.witness')].map((n) => n.getAttribute('data-label') ?? '').sort(),
    edges: [...sec.querySelectorAll('path.edge.witness')].map((e) => `${e.getAttribute('data-from')} → ${e.getAttribute('data-to')}`).sort(),
  }));
}

describe('trace viewer in Chromium', () => {
  if (browserPath === undefined && process.env.CI === 'true') {
    it('has a Chromium to run in under CI', () => {
      throw new Error(`CI=true but ${NO_BROWSER}`);
    });
    return;
  }
  if (browserPath === undefined) console.warn(`skipped: ${NO_BROWSER}`);

  it('counts the steps, steps with ← → and the slider, and lights the witness path at the violation', async (ctx) => {
    if (browser === undefined) return ctx.skip(NO_BROWSER);
    const entry = readEntry(GPU_ENTRY);
    const page = entryPage(entry, findDesign(entry.design.id)!, GPU_ENTRY);
    if ('error' in page) throw new Error(page.error);
    const { tab, errors } = await open('gpu', page);
    const viewer = tab.locator('#viewer');
    expect(await viewer.getAttribute('data-step-count')).toBe('3');
    expect(await tab.locator('#step-slider').getAttribute('max')).toBe('3');
    expect(await tab.locator('#steps li').count()).toBe(4);
    // It opens at the violating step, with the witness path lit from the GPU to dom2's frame.
    expect(await label(tab)).toBe('step 3 of 3');
    const atViolation = await lit(tab);
    expect(atViolation.edges).toEqual([
      'dom0 GPU (running dom1) → dom1 GPU commands',
      'dom0 IOMMU → mfn 0xa',
      'dom1 GPU commands → shadow GGTT',
      'shadow GGTT → dom0 IOMMU',
    ]);
    expect(atViolation.nodes).toEqual(['dom0 GPU (running dom1)', 'dom0 IOMMU', 'dom1 GPU commands', 'mfn 0xa', 'shadow GGTT']);
    expect(await tab.locator('ol.witness-path li').allTextContents()).toEqual(page.sides[0].witnessPaths[0]);
    // The GPU principal and its first edge are what step 3 added.
    expect(await tab.locator('path.edge.mark-added[data-from="dom0 GPU (running dom1)"]').count()).toBe(1);

    await tab.keyboard.press('ArrowLeft');
    expect(await label(tab)).toBe('step 2 of 3');
    expect(await viewer.getAttribute('data-step')).toBe('2');
    // Before the context switch the GPU runs no one: the GPU part of the path is not there to light.
    expect((await lit(tab)).nodes).not.toContain('dom0 GPU (running dom1)');
    await tab.keyboard.press('ArrowLeft');
    await tab.keyboard.press('ArrowLeft');
    await tab.keyboard.press('ArrowLeft');
    expect(await label(tab)).toBe('initial state (step 0 of 3)');
    expect(await tab.locator('#steps li.current').textContent()).toBe('the initial state');
    await tab.keyboard.press('End');
    expect(await label(tab)).toBe('step 3 of 3');
    await tab.keyboard.press('Home');
    await tab.keyboard.press('ArrowRight');
    expect(await label(tab)).toBe('step 1 of 3');
    expect(await tab.locator('#steps li.current').textContent()).toBe('ggttWrite dom=2 index=4 value=0');

    await tab.locator('#step-slider').fill('2');
    expect(await label(tab)).toBe('step 2 of 3');
    expect(await tab.locator('section.side p.result').textContent()).toBe('step 2: submitCommand dom=1 space=ggtt gma=4 write=false → ok');
    // The slider keeps its own arrow keys: one press, one step.
    await tab.locator('#step-slider').focus();
    await tab.keyboard.press('ArrowRight');
    expect(await label(tab)).toBe('step 3 of 3');
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('shows an audit page with the baseline and the candidate side by side', async (ctx) => {
    if (browser === undefined) return ctx.skip(NO_BROWSER);
    const loaded = await loadDesignFile('examples/map-any-domain.json');
    if (!loaded.ok) throw new Error(loaded.message);
    const baseline = findDesign(loaded.baseline!)!;
    const result = await runAudit({ baseline, candidate: loaded.design, seed: 1, budget: { runs: 100 }, scope: DEFAULT_SCOPE, corpusFiles: [] });
    const pages = auditPages(result, baseline, loaded.design, DEFAULT_SCOPE, 'npx shadowcheck audit examples/map-any-domain.json --seed 1 --runs 100');
    const broken = pages.find((p) => p.invariant === 'no-foreign-reach');
    expect(broken).toBeDefined();
    const { tab, errors } = await open('audit', broken!.page);
    expect(await tab.locator('section.side').evaluateAll((s) => s.map((x) => x.getAttribute('data-role')))).toEqual(['baseline', 'candidate']);
    const [b, c] = await tab.locator('section.side').evaluateAll((s) => s.map((x) => x.getBoundingClientRect()));
    expect(c.left).toBeGreaterThanOrEqual(b.right);
    expect(Math.abs(c.top - b.top)).toBeLessThan(2);
    const step = Number(await tab.locator('#viewer').getAttribute('data-step'));
    expect(step).toBe(broken!.page.focus);
    // The candidate's path is lit; the baseline, which refuses the same call, has nothing to light.
    expect((await lit(tab, 1)).edges.length).toBeGreaterThan(0);
    expect((await lit(tab, 0)).edges).toEqual([]);
    expect(await tab.locator('section.side').nth(1).locator('p.result').textContent()).toContain('invariant broken');
    expect(errors).toEqual([]);
    await tab.close();
  });

  it("draws an entry of each design's corpus at every step without a script error, node for node and edge for edge", async (ctx) => {
    if (browser === undefined) return ctx.skip(NO_BROWSER);
    // One entry per design covers every slice's tables and hops; every entry's page data is checked in node (pages.test.ts).
    const byDesign = new Map<string, string>();
    for (const f of corpusFiles()) if (!byDesign.has(dirname(f))) byDesign.set(dirname(f), f);
    const files = [...byDesign.values()];
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const [i, file] of files.entries()) {
      const entry = readEntry(file);
      const page = entryPage(entry, findDesign(entry.design.id)!, file);
      if ('error' in page) throw new Error(`${file}: ${page.error}`);
      const { tab, errors } = await open(`entry-${i}`, page);
      // Step through in the page itself (one round trip per entry, not per step): the same keydown
      // events a key press delivers to the document.
      const drawn = await tab.evaluate((last) => {
        const seen: { nodes: number; edges: number; step: string | null }[] = [];
        for (let k = 0; k <= last; k++) {
          document.dispatchEvent(new KeyboardEvent('keydown', { key: k === 0 ? 'Home' : 'ArrowRight' }));
          seen.push({ nodes: document.querySelectorAll('g.node').length, edges: document.querySelectorAll('path.edge').length, step: document.getElementById('viewer')!.getAttribute('data-step') });
        }
        return seen;
      }, page.actions.length);
      expect(drawn, file).toEqual(page.sides[0].steps.map((st, k) => ({ nodes: st.nodes.length, edges: st.edges.length, step: String(k) })));
      expect(errors, file).toEqual([]);
      await tab.close();
    }
  });

  it('keeps hostile text from a corpus entry as text: nothing injected runs or renders', async (ctx) => {
    if (browser === undefined) return ctx.skip(NO_BROWSER);
    const page = hostilePage();
    const { tab, errors } = await open('hostile', page);
    expect(await tab.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
    expect(await tab.locator('img').count()).toBe(0);
    expect(await tab.locator('script').count()).toBe(2);
    await tab.keyboard.press('Home');
    await tab.keyboard.press('ArrowRight');
    expect(await tab.locator('#steps li.current').textContent()).toBe(page.actions[0]);
    expect(await tab.locator('header p.about').allTextContents()).toContain(page.about[3]);
    expect(errors).toEqual([]);
    await tab.close();
  });
});
