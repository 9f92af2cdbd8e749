/**
 * shadowcheck as a user gets it (issue 9, "What it must show"): packed with `npm pack`, installed into
 * a fresh `npm init -y` project in a temporary directory outside the checkout, next to vitest and
 * typescript from the registry (npm's cache, after `npm ci`). There a `.ts` design file and a vitest
 * test import from 'shadowcheck' only; `npx shadowcheck audit design.ts`, `npx vitest run` and
 * `npx tsc` must all work, with and without "type": "module" in the project's package.json. One pack
 * and one install serve every case.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESIGN_TEST_TS, DESIGN_TS, mustRun, setModuleType, sh, TSCONFIG_JSON } from './project.ts';

const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url));

/** The version of a dev dependency the checkout has installed, so npm finds it in its cache. */
function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(CHECKOUT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

let project = '';

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'shadowcheck-user-'));
  mustRun(CHECKOUT, 'npm', ['pack', '--pack-destination', project]);
  const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack left no tarball in ${project}`);
  mustRun(project, 'npm', ['init', '-y']);
  mustRun(project, 'npm', [
    'install',
    '--prefer-offline',
    `./${tarball}`,
    `vitest@${installedVersion('vitest')}`,
    `typescript@${installedVersion('typescript')}`,
  ]);
  writeFileSync(join(project, 'design.ts'), DESIGN_TS);
  writeFileSync(join(project, 'design.test.ts'), DESIGN_TEST_TS);
  writeFileSync(join(project, 'tsconfig.json'), TSCONFIG_JSON);
}, 300_000);

afterAll(() => {
  if (project !== '') rmSync(project, { recursive: true, force: true });
});

describe('the installed package', () => {
  it('lives outside the checkout and ships compiled JavaScript, not the sources', () => {
    expect(relative(CHECKOUT, project).startsWith('..')).toBe(true);
    const installed = join(project, 'node_modules', 'shadowcheck');
    expect(existsSync(join(installed, 'dist', 'src', 'api.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'src', 'api.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
  });

  it('ships the --json output schemas, reachable as shadowcheck/schemas/<command>.schema.json', () => {
    const r = sh(project, process.execPath, ['-e', "console.log(require(require.resolve('shadowcheck/schemas/fuzz.schema.json')).$id ?? 'no $id')"]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toMatch(/fuzz/);
    expect(r.status).toBe(0);
  });

  // Once, not per module type: the exports map gives the same declarations to import and require.
  it('npx tsc type-checks the design file and the test against the shipped declarations', () => {
    const r = sh(project, 'npx', ['--no', '--', 'tsc', '-p', '.']);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe.each([
  ['without "type" (CommonJS)', undefined],
  ['with "type": "module"', 'module'],
] as const)('a user project %s', (_label, type) => {
  it('npx shadowcheck audit design.ts reports what the proposal newly breaks', () => {
    setModuleType(project, type);
    const r = sh(project, 'npx', ['--no', 'shadowcheck', 'audit', 'design.ts', '--seed', '1', '--runs', '50']);
    expect(r.stderr).not.toMatch(/threw while loading|Cannot require|Unknown file extension/);
    expect(r.stdout).toMatch(/no-stale-reference/);
    expect(r.stdout).toMatch(/^\d+ invariants? newly broken, 0 fixed; evidence: 50 runs per design \+ all traces ≤ 4 actions in scope core-small \([\d,]+ and [\d,]+ states\)$/m);
    expect(r.status).toBe(1);
  });

  it('npx vitest run runs the user\'s campaign test', () => {
    setModuleType(project, type);
    const r = sh(project, 'npx', ['--no', 'vitest', 'run']);
    expect(r.stdout + r.stderr).toMatch(/Tests\s+2 passed/);
    expect(r.status).toBe(0);
  });
});
