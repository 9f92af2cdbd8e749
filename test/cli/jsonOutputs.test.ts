/**
 * Every `--json` output, from the real command, against the JSON Schema its `format` names (shipped in
 * src/trace/schemas/). A field added without its schema, or renamed, fails here.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_FORMATS, outputProblem } from '../../src/trace/schemas/outputSchemas.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/entries.ts';

/** Run a command with --json; the parsed document. */
async function json(argv: string[]): Promise<{ code: number; doc: Record<string, unknown> }> {
  const r = await runCli(argv);
  return { code: r.code, doc: JSON.parse(r.out) as Record<string, unknown> };
}

const ENTRY_DIR = 'corpus/xen-translate-gpfn';
const ENTRY = join(ENTRY_DIR, readdirSync(ENTRY_DIR).sort()[0]);

describe('--json outputs conform to their shipped schemas', () => {
  it('fuzz, with a counterexample saved and exported', async () => {
    const dir = tempDir();
    const { code, doc } = await json(['fuzz', '--design', 'xen-translate-gpfn', '--invariant', 'no-stale-reference', '--invariant', 'no-foreign-reach', '--runs', '300', '--json', '--save', '--corpus', join(dir, 'c'), '--out-itf', join(dir, 'itf')]);
    expect(code).toBe(0);
    expect(doc.format).toBe(OUTPUT_FORMATS.fuzz);
    expect((doc.results as { counterexample?: unknown }[]).some((r) => r.counterexample !== undefined)).toBe(true);
    expect(outputProblem(doc)).toBeUndefined();
  });

  it('replay, with an entry that reproduces and a file that is bad input', async () => {
    const { code, doc } = await json(['replay', ENTRY, 'package.json', '--json']);
    expect(code).toBe(2);
    expect(doc.format).toBe(OUTPUT_FORMATS.replay);
    expect(outputProblem(doc)).toBeUndefined();
  });

  it('audit', async () => {
    const { code, doc } = await json(['audit', 'examples/map-any-domain.json', '--runs', '200', '--json']);
    expect(code).toBe(1);
    expect(doc.format).toBe(OUTPUT_FORMATS.audit);
    expect(outputProblem(doc)).toBeUndefined();
  });

  it('list', async () => {
    const { code, doc } = await json(['list', '--json']);
    expect(code).toBe(0);
    expect(doc.format).toBe(OUTPUT_FORMATS.list);
    expect((doc.designs as unknown[]).length).toBeGreaterThanOrEqual(8);
    expect(outputProblem(doc)).toBeUndefined();
  });

  it('explain, with an entry and a file that is bad input', async () => {
    const { code, doc } = await json(['explain', ENTRY, 'package.json', '--json']);
    expect(code).toBe(2);
    expect(doc.format).toBe(OUTPUT_FORMATS.explain);
    const [first] = doc.files as { steps: { changes?: unknown }[] }[];
    expect(first.steps.length).toBeGreaterThan(0);
    expect(first.steps.every((s) => s.changes !== undefined)).toBe(true);
    expect(outputProblem(doc)).toBeUndefined();
  });
});

describe('the schemas hold documents to their shape', () => {
  it('refuses a missing format, an unknown field and a wrong type', async () => {
    const { doc } = await json(['list', '--json']);
    expect(outputProblem({ ...doc, format: undefined })).toMatch(/^\/format: not one of/);
    expect(outputProblem({ ...doc, extra: 1 })).toMatch(/must NOT have additional properties 'extra'/);
    expect(outputProblem({ ...doc, designs: [{ ...(doc.designs as object[])[0], ops: 'all' }] })).toMatch(/^\/designs\/0\/ops: must be array/);
  });
});
