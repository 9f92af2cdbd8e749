/** The kill suites (killSuite.ts) cover every built-in design: a new design must say which slice's op code it exercises. */
import { describe, expect, it } from 'vitest';
import { DESIGNS } from '../../src/model/designs.ts';
import { DESIGN_SLICE } from './killSuite.ts';

describe('mutation kill suites', () => {
  it('name a slice for every built-in design', () => {
    expect(DESIGNS.map((d) => d.id).filter((id) => DESIGN_SLICE[id] === undefined)).toEqual([]);
  });
});
