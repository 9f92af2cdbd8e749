/**
 * Mutation score of the invariants (`npm run mutation [-- <slice>]`, docs/mutation.md): Stryker mutates
 * the sound designs' op code of one slice and runs the suites of vitest.mutation.config.ts against each
 * mutant; a mutant is killed when a property suite or campaign fails. MUTATION_SLICE picks the slice
 * (core by default); MUTATE overrides the files (a comma-separated list of globs) for a focused run.
 * concurrency 1: the machine's two cores are shared.
 */
const SLICES = {
  core: ['src/model/core/ops/grants.ts', 'src/model/core/ops/foreign.ts', 'src/model/core/ops/memory.ts', 'src/model/core/ops/dmaAddress.ts', 'src/model/core/ops/dmaTableOps.ts', 'src/model/core/ops/domains.ts', 'src/model/core/ops/targets.ts', 'src/model/core/ops/teardownOps.ts'],
  rmrr: ['src/model/rmrr/ops/*.ts'],
  gpuShadow: ['src/model/gpuShadow/ops/*.ts'],
  virtio: ['src/model/virtio/ops/*.ts'],
  ioasid: ['src/model/ioasid/ops/*.ts'],
};

/**
 * The focused set measured in docs/mutation.md (`MUTATION_SLICE=focus`): per slice, the `apply` of the
 * ops a sound design's safety rests on most directly — too slow to mutate every op file on two shared cores.
 */
const FOCUS = [
  'src/model/core/ops/foreign.ts',
  'src/model/core/ops/memory.ts:28-41', // populatePhysmap.apply
  'src/model/core/ops/memory.ts:67-79', // decreaseReservation.apply
  'src/model/rmrr/ops/dma.ts:37-49', // programDma.apply
  'src/model/rmrr/ops/dma.ts:65-74', // deviceDma.apply
  'src/model/virtio/ops/map.ts:55-72', // mapBuffer.apply
  'src/model/gpuShadow/ops/ggtt.ts:56-76', // ggttWrite.apply
  'src/model/ioasid/ops/dma.ts:56-69', // ioDma.apply
];

// `all` and `focus`: one run over several slices (MUTATE names files of any of them), paying Stryker's start-up and
// dry run once; per-test coverage still runs only the tests that execute a mutant.
const slice = process.env.MUTATION_SLICE ?? 'core';
if (!(slice in SLICES) && slice !== 'all' && slice !== 'focus') throw new Error(`MUTATION_SLICE must be one of ${Object.keys(SLICES).join(', ')}, all, focus`);
if (slice === 'all' || slice === 'focus') delete process.env.MUTATION_SLICE;
else process.env.MUTATION_SLICE = slice;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  checkers: ['typescript'],
  // The checker needs only the model and invariants (what a mutant can break the types of); tests cost it time per mutant.
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  plugins: ['@stryker-mutator/*', './stryker.ignorer.mjs'],
  ignorers: ['op-labels'],
  // String literals in op code are errnos, p2m types, knob values and rule names — typed unions, so every
  // mutant of one is a compile error the checker spends seconds on — or counter names (ctx.note), which
  // only statistics read: equivalent for every invariant. None can be a surviving behaviour change.
  mutator: { excludedMutations: ['StringLiteral'] },
  mutate: process.env.MUTATE ? process.env.MUTATE.split(',') : slice === 'focus' ? FOCUS : slice === 'all' ? Object.values(SLICES).flat() : SLICES[slice],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  // A focused run (MUTATE) is reported under the names of its files, so runs one after another keep their reports.
  jsonReporter: { fileName: `reports/mutation/${process.env.MUTATION_REPORT ?? `${slice}${process.env.MUTATE ? `-${[...new Set(process.env.MUTATE.split(',').map((f) => f.replace(/^.*\//, '').replace(/\.ts.*$/, '')))].join('+')}` : ''}`}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
