/**
 * The checkout's own `npx shadowcheck` (bin/shadowcheck.mjs running src/ through tsx) auditing a design
 * file that lives in a CommonJS-typed project and imports the public entry by path. A plain import()
 * of such a file under tsx's hook fails with "Cannot require() ES Module … in a cycle"; tsx's cache is
 * off so every run takes the path a first-time user takes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));
const API_URL = pathToFileURL(join(CHECKOUT, 'src', 'api.ts')).href;
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('bin/shadowcheck.mjs in the checkout', () => {
  it.each([
    ['no "type" (CommonJS)', {}],
    ['"type": "module"', { type: 'module' }],
  ])('audits a .ts design file from a project with %s', (_label, pkg) => {
    const dir = mkdtempSync(join(tmpdir(), 'shadowcheck-proposal-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'proposal', version: '1.0.0', ...pkg }));
    writeFileSync(
      join(dir, 'design.ts'),
      `import { deriveDesign, xenMapForDma } from '${API_URL}';\nexport default deriveDesign(xenMapForDma, { id: 'any-domain', knobs: { checkTarget: false } });\n`,
    );
    const r = spawnSync(process.execPath, [join(CHECKOUT, 'bin', 'shadowcheck.mjs'), 'audit', 'design.ts', '--seed', '1', '--runs', '50'], { cwd: dir, encoding: 'utf8', env: { ...process.env, TSX_DISABLE_CACHE: '1' } });
    expect(r.stderr).not.toMatch(/threw while loading|Cannot require|Unknown file extension/);
    expect(r.stdout).toMatch(/no-foreign-reach/);
    // checkTarget=false breaks no-foreign-reach and, since the level invariants joined, the levels it serves.
    expect(r.stdout).toMatch(/^\d+ invariants? newly broken, .*0 fixed; evidence: 50 runs per design \+ all traces ≤ 4 actions in scope core-small \([\d,]+ and [\d,]+ states\)$/m);
    expect(r.status).toBe(1);
  });
});
