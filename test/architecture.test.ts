/**
 * The architecture, checked: the model is a star (slices over a core, never importing each other; only
 * src/model/slices.ts and the other listing files beside it name every slice), and the harness is a
 * stack of layers that import only downwards. Imports are read with TypeScript's own pre-processor, so
 * type-only imports, re-exports and dynamic imports all count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

/** One import: the importing file and the file it names, both relative to the repository root, '/'-separated. */
interface Import {
  from: string;
  to: string;
}

/** The harness layers, lowest first: a file may import its own layer or a lower one only. */
const LAYERS = ['model', 'invariants', 'runner', 'fuzz', 'check', 'schedule', 'trace', 'audit', 'cli', 'top'] as const;

/** Where a file sits: its layer and, inside the model or the invariants, its slice ('core', a slice, or null for the listing files beside them). */
interface Place {
  layer: (typeof LAYERS)[number];
  slice: string | null;
}

/**
 * Invariant folders that judge every slice at once (type-ok, refused-op-changes-nothing: issue 9 item 6),
 * so they sit above the slices like invariants/registry.ts and may name any of them.
 */
const CROSS_SLICE_INVARIANTS = new Set(['generic']);

/** The place of a repository file, or undefined for files outside src/ and invariants/ (tests, properties). */
function placeOf(file: string): Place | undefined {
  const parts = file.split('/');
  if (parts[0] === 'invariants') {
    const inFolder = parts.length > 2 && !CROSS_SLICE_INVARIANTS.has(parts[1]);
    return { layer: 'invariants', slice: inFolder ? parts[1] : null };
  }
  if (parts[0] !== 'src') return undefined;
  if (parts[1] === 'model') return { layer: 'model', slice: parts.length > 3 ? parts[2] : null };
  if (parts.length === 2 || parts[1] === 'bench') return { layer: 'top', slice: null };
  const layer = LAYERS.find((l) => l === parts[1]);
  return layer === undefined ? { layer: 'top', slice: null } : { layer, slice: null };
}

/** Why one import breaks the architecture, or undefined when it is allowed. */
function offence(imp: Import): string | undefined {
  const a = placeOf(imp.from);
  const b = placeOf(imp.to);
  if (a === undefined || b === undefined) return undefined;
  if (LAYERS.indexOf(b.layer) > LAYERS.indexOf(a.layer)) return `layer ${a.layer} imports the higher layer ${b.layer}`;
  if (a.slice === null) return undefined;
  if (b.slice === null) {
    // The listing files name every slice: a slice (or the core) reaching them reaches all the others.
    return a.layer === 'model' && b.layer === 'model' ? `slice ${a.slice} imports the slice listing level (src/model/*.ts)` : undefined;
  }
  if (b.slice === a.slice || b.slice === 'core') return undefined;
  return a.slice === 'core' ? `the core imports slice ${b.slice}` : `slice ${a.slice} imports slice ${b.slice}`;
}

/** Every offending import, one readable line each. */
function offences(imports: readonly Import[]): string[] {
  const out: string[] = [];
  for (const imp of imports) {
    const why = offence(imp);
    if (why !== undefined) out.push(`${imp.from} → ${imp.to}: ${why}`);
  }
  return out;
}

/** Every .ts file under a folder, repository-relative. */
function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** The relative imports of one file, resolved to repository paths (packages and node: builtins are not ours). */
function importsOf(file: string): Import[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => ({ from: file, to: relative(ROOT, resolve(ROOT, dirname(file), name)).split(sep).join('/') }));
}

describe('architecture', () => {
  it('has no slice importing another slice, no core importing a slice, no layer importing upwards', () => {
    const files = [...sources('src'), ...sources('invariants')];
    const imports = files.flatMap(importsOf);
    // A parser that found nothing would pass vacuously.
    expect(imports.length).toBeGreaterThan(files.length);
    expect(offences(imports)).toEqual([]);
  });

  it('reads type-only imports, re-exports and dynamic imports', () => {
    const text = "import type { A } from './a.ts';\nexport { B } from '../b.ts';\nconst c = await import('./c.ts');\nimport fc from 'fast-check';";
    const names = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
    expect(names).toEqual(['./a.ts', '../b.ts', './c.ts', 'fast-check']);
  });

  it('names each kind of offence, one line per import', () => {
    const fake: Import[] = [
      { from: 'src/model/virtio/maps.ts', to: 'src/model/rmrr/platform.ts' },
      { from: 'src/model/core/state.ts', to: 'src/model/gpuShadow/state.ts' },
      { from: 'src/model/core/words.ts', to: 'src/model/slices.ts' },
      { from: 'invariants/rmrr/x.ts', to: 'invariants/virtio/y.ts' },
      { from: 'invariants/core/noForeignReach.ts', to: 'src/model/virtio/maps.ts' },
      { from: 'src/model/core/state.ts', to: 'invariants/types.ts' },
      { from: 'src/runner/run.ts', to: 'src/cli/main.ts' },
      { from: 'src/trace/corpus.ts', to: 'src/api.ts' },
    ];
    expect(offences(fake)).toEqual([
      'src/model/virtio/maps.ts → src/model/rmrr/platform.ts: slice virtio imports slice rmrr',
      'src/model/core/state.ts → src/model/gpuShadow/state.ts: the core imports slice gpuShadow',
      'src/model/core/words.ts → src/model/slices.ts: slice core imports the slice listing level (src/model/*.ts)',
      'invariants/rmrr/x.ts → invariants/virtio/y.ts: slice rmrr imports slice virtio',
      'invariants/core/noForeignReach.ts → src/model/virtio/maps.ts: the core imports slice virtio',
      'src/model/core/state.ts → invariants/types.ts: layer model imports the higher layer invariants',
      'src/runner/run.ts → src/cli/main.ts: layer runner imports the higher layer cli',
      'src/trace/corpus.ts → src/api.ts: layer trace imports the higher layer top',
    ]);
  });

  it('allows a slice its own files and the core, the listing files every slice, and a layer those below it', () => {
    const fine: Import[] = [
      { from: 'src/model/virtio/maps.ts', to: 'src/model/virtio/state.ts' },
      { from: 'src/model/virtio/maps.ts', to: 'src/model/core/state.ts' },
      { from: 'invariants/virtio/x.ts', to: 'src/model/virtio/maps.ts' },
      { from: 'invariants/virtio/x.ts', to: 'invariants/types.ts' },
      { from: 'invariants/virtio/x.ts', to: 'src/model/derived.ts' },
      { from: 'src/model/slices.ts', to: 'src/model/rmrr/slice.ts' },
      { from: 'invariants/registry.ts', to: 'invariants/gpuShadow/a.ts' },
      { from: 'invariants/generic/typeOk/gpuShadow.ts', to: 'src/model/gpuShadow/state.ts' },
      { from: 'src/cli/main.ts', to: 'src/runner/run.ts' },
      { from: 'src/api.ts', to: 'src/cli/main.ts' },
      { from: 'test/model/reach.test.ts', to: 'src/model/virtio/maps.ts' },
    ];
    expect(offences(fine)).toEqual([]);
  });
});
