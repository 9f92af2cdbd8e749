/**
 * Ops decide from what the hypervisor stores — refcounts, page types, grant entries, maptrack, Map
 * records, in-flight records — never from the derived `reach`/`refs` relations their invariants judge
 * them by (issue 9 item 5): a reference source missing from those relations would otherwise hide a
 * wrong decision from the op and the invariant alike. No file under src/model/<slice>/ops/ may import,
 * directly or through any chain of model files, the modules that compute the derived relations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const MODEL = join(ROOT, 'src/model');

/** The oracle: the derived relations and their per-slice sources. */
function isOracle(file: string): boolean {
  const rel = relative(MODEL, file);
  return ['reach.ts', 'refs.ts', 'derived.ts'].includes(rel) || /^[^/]+\/reach\.ts$/.test(rel);
}

/** Relative `.ts` modules a file imports (static `import … from`, `export … from`, dynamic `import()`). */
function importsIn(text: string, dir: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) out.push(resolve(dir, m[1]));
  return out;
}

function importsOf(file: string): string[] {
  return importsIn(readFileSync(file, 'utf8'), dirname(file));
}

/** The chain of imports from `file` to an oracle module, or undefined when there is none. */
function chainToOracle(file: string, seen = new Set<string>()): string[] | undefined {
  if (seen.has(file)) return undefined;
  seen.add(file);
  for (const dep of importsOf(file)) {
    if (!dep.startsWith(MODEL + '/')) continue;
    if (isOracle(dep)) return [file, dep];
    const rest = chainToOracle(dep, seen);
    if (rest !== undefined) return [file, ...rest];
  }
  return undefined;
}

/** Every op file: src/model/<slice>/ops/*.ts. */
function opFiles(): string[] {
  const out: string[] = [];
  for (const slice of readdirSync(MODEL, { withFileTypes: true })) {
    if (!slice.isDirectory()) continue;
    const ops = join(MODEL, slice.name, 'ops');
    let names: string[] = [];
    try {
      names = readdirSync(ops).filter((n) => n.endsWith('.ts'));
    } catch {
      continue;
    }
    for (const n of names) out.push(join(ops, n));
  }
  return out;
}

describe('ops do not consult the oracle', () => {
  const files = opFiles();

  it('finds the op files of every slice', () => {
    const slices = new Set(files.map((f) => relative(MODEL, f).split('/')[0]));
    expect([...slices].sort()).toEqual(expect.arrayContaining(['core', 'gpuShadow', 'rmrr', 'virtio']));
    expect(files.length).toBeGreaterThan(20);
  });

  it('recognises an import of the oracle, direct or through a helper', () => {
    expect(isOracle(join(MODEL, 'refs.ts'))).toBe(true);
    expect(isOracle(join(MODEL, 'gpuShadow/reach.ts'))).toBe(true);
    // What Steal imported before it decided from stored state.
    const before = "import type { Hop } from '../../core/path.ts';\nimport { reach } from '../../reach.ts';\nconst r = await import('../../refs.ts');";
    const found = importsIn(before, join(MODEL, 'virtio/ops')).filter(isOracle);
    expect(found.map((f) => relative(MODEL, f))).toEqual(['reach.ts', 'refs.ts']);
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s reaches no reach/refs/derived module', (_name, file) => {
    expect(chainToOracle(file)?.map((f) => relative(ROOT, f))).toBeUndefined();
  });
});
