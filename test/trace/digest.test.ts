import { describe, expect, it } from 'vitest';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { canonicalJson, shortHash } from '../../src/trace/canonical.ts';
import { designDigest, digestChanges, fullKnobs, opRevs } from '../../src/trace/digest.ts';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(shortHash({ x: 1, y: 2 })).toBe(shortHash({ y: 2, x: 1 }));
    expect(shortHash({ x: 1 }, 8)).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('designDigest', () => {
  const knobs = { checkTarget: true };

  it('is stable, and the same with knobs left at their defaults', () => {
    expect(designDigest(xenMapForDma, knobs)).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(designDigest(xenMapForDma, {})).toBe(designDigest(xenMapForDma, knobs));
  });

  it('changes with the knob values', () => {
    expect(designDigest(xenMapForDma, { checkTarget: false })).not.toBe(designDigest(xenMapForDma, knobs));
  });

  it('changes when an op is re-revised, added or removed, but not when ops are reordered', () => {
    const base = designDigest(xenMapForDma, knobs);
    const bumped = { ...xenMapForDma, ops: xenMapForDma.ops.map((o) => (o.name === 'shadowSet' ? { ...o, rev: 1 } : o)) };
    expect(designDigest(bumped, knobs)).not.toBe(base);
    expect(designDigest({ ...xenMapForDma, ops: xenMapForDma.ops.slice(1) }, knobs)).not.toBe(base);
    expect(designDigest({ ...xenMapForDma, ops: [...xenMapForDma.ops].reverse() }, knobs)).toBe(base);
  });

  it('changes with the design id (a derived design is another design)', () => {
    expect(designDigest({ ...xenMapForDma, id: 'other' }, knobs)).not.toBe(designDigest(xenMapForDma, knobs));
  });
});

describe('digestChanges', () => {
  it('says which ops and knobs changed since recording', () => {
    const recorded: Record<string, number> = { ...opRevs(xenMapForDma), retiredOp: 0 };
    delete recorded.gpuDma;
    recorded.shadowSet = 3;
    const words = digestChanges(xenMapForDma, recorded, { ...fullKnobs(xenMapForDma, {}), oldKnob: 1 });
    expect(words).toEqual(['op shadowSet changed (rev 3 → 0)', 'op retiredOp was removed', 'op gpuDma was added', 'knob oldKnob was removed']);
  });

  it('finds nothing when nothing changed', () => {
    expect(digestChanges(xenMapForDma, opRevs(xenMapForDma), fullKnobs(xenMapForDma, {}))).toEqual([]);
  });
});
