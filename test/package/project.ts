/**
 * A user's project outside the checkout, for the package tests: the design file and vitest test a user
 * writes (docs/api.md shows the same), and a way to run commands there with none of this test run's
 * npm or vitest environment leaking in — `npm test` sets npm_config_* variables that would otherwise
 * point the inner npm at the checkout, and an inner vitest would take the outer one's worker variables.
 */
import type { SpawnSyncReturns } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The user's proposal: the 2014 translate hypercall written over map-for-DMA, from 'shadowcheck' only. */
export const DESIGN_TS = `import { DEFAULT_CLIENTS, buildWorld, deriveDesign, makeShadowClear, makeShadowSet, translateGpfn, xenMapForDma } from 'shadowcheck';
import type { DerivedDesign } from 'shadowcheck';

const proposal: DerivedDesign = deriveDesign(xenMapForDma, {
  id: 'translate-gpfn-2014',
  ops: { shadowSet: makeShadowSet(translateGpfn), shadowClear: makeShadowClear(translateGpfn) },
  buildWorld: (scope) => buildWorld(scope, { backendKind: 'pv-dom0', clients: [...DEFAULT_CLIENTS] }),
});
export default proposal;
`;

/** The user's own vitest suite: a campaign on the proposal, and on a built-in design for contrast. */
export const DESIGN_TEST_TS = `import { describe, expect, it } from 'vitest';
import { designs, fuzzDesign, xenMapForDma } from 'shadowcheck';
import proposal from './design.ts';

describe('the proposal', () => {
  it('lets a stale DMA address outlive the frame it named', () => {
    const r = fuzzDesign(proposal, { seed: 1, runs: 300 });
    expect(r.verdicts.find((v) => v.invariant === 'no-stale-reference')?.verdict).toBe('violated');
  }, 60_000); // a campaign, not a unit test: vitest's 5 s default is too tight on a busy CI machine

  it('is derived from a built-in design that breaks nothing unexpected', () => {
    expect(designs.map((d) => d.id)).toContain(proposal.baseline);
    // 300 runs: fewer may not reach the situations the design declares, and a hold is then vacuous.
    expect(fuzzDesign(xenMapForDma, { seed: 1, runs: 300 }).unexpected).toEqual([]);
  }, 60_000);
});
`;

/** A strict type check of both files, as a user's editor or CI would run it. */
export const TSCONFIG_JSON = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, allowImportingTsExtensions: true, types: [] },
  include: ['design.ts', 'design.test.ts'],
});

/** The environment of this process minus npm's and vitest's own variables. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|TINYPOOL|NODE_OPTIONS$|NODE_ENV$)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1' };
}

/** Run a command in `cwd` and return what it did; never throws on a non-zero exit. */
export function sh(cwd: string, command: string, args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8' });
}

/** Run a command and throw with its output unless it exits 0 (setup steps). */
export function mustRun(cwd: string, command: string, args: readonly string[]): string {
  const r = sh(cwd, command, args);
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Set or remove the project's "type" field (`undefined`: no field, which Node reads as CommonJS). */
export function setModuleType(dir: string, type: 'module' | 'commonjs' | undefined): void {
  const file = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (type === undefined) delete pkg.type;
  else pkg.type = type;
  writeFileSync(file, JSON.stringify(pkg, null, 2));
}
