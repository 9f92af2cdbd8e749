import { describe, expect, it } from 'vitest';
import { junitXml, xmlAttr, xmlText } from '../../src/audit/junitXml.ts';
import { xmlProblem } from '../helpers/xmlWellFormed.ts';

const NASTY = 'set title \u001b]0;pwned\u0007 nul \u0000 bell \u0007 lone \uD800 tab\there\nnew line <tag> & "quoted" \'single\' \uFFFF';

describe('JUnit XML', () => {
  it('stays well-formed whatever a message holds (control characters, lone surrogates, markup)', () => {
    const xml = junitXml(`suite ${NASTY}`, [
      {
        name: NASTY,
        seconds: 1.5,
        properties: { [`key ${NASTY}`]: NASTY },
        cases: [{ name: NASTY, classname: NASTY, seconds: 0.25, problem: { kind: 'failure', type: NASTY, message: NASTY, text: NASTY }, systemOut: NASTY }],
      },
    ]);
    expect(xmlProblem(xml)).toBeUndefined();
    expect(xml).toContain('set title \\u001b]0;pwned\\u0007 nul \\u0000');
    expect(xml).toContain('lone \\ud800');
    expect(xml).toContain('tests="1" failures="1" errors="0" time="1.500"');
  });

  it('the well-formedness check catches what a plain markup escape lets through', () => {
    const plain = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    expect(xmlProblem(`<a b="${plain(NASTY)}">${plain(NASTY)}</a>`)).toMatch(/U\+001B .* not allowed/);
    expect(xmlProblem('<a>x & y</a>')).toMatch(/bare '&'/);
    expect(xmlProblem('<a><b></a></b>')).toMatch(/closes nothing open/);
    expect(xmlProblem('<a x="1" x="2"/>')).toMatch(/repeated/);
    expect(xmlProblem('<a/><b/>')).toMatch(/2 root elements/);
  });

  it('keeps newlines and tabs in attribute values as references, so a parser does not fold them', () => {
    expect(xmlAttr('a\nb\tc')).toBe('a&#10;b&#9;c');
    expect(xmlText('a\nb')).toBe('a\nb');
  });

  it('keeps a surrogate pair (an emoji) as it is', () => {
    expect(xmlText('ok \u{1F600}')).toBe('ok \u{1F600}');
  });
});
