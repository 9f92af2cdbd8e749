import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, escapeHtml, renderPage, scriptJson } from '../../../src/trace/html/renderPage.ts';
import { HOSTILE, hostilePage } from './fixtures.ts';

/** The JSON block of a rendered page. */
function embedded(html: string): string {
  const m = /<script type="application\/json" id="viewer-data">([\s\S]*?)<\/script>/.exec(html);
  if (m === null) throw new Error('no viewer-data block');
  return m[1];
}

describe('renderPage', () => {
  it('embeds the page data so that parsing the block gives it back exactly', () => {
    const page = hostilePage();
    expect(page.actions[0]).toContain(HOSTILE);
    expect(JSON.parse(embedded(renderPage(page)))).toEqual(page);
  });

  it('lets no text from the entry close the data block or open markup', () => {
    const html = renderPage(hostilePage());
    const block = embedded(html);
    expect(block).not.toMatch(/[<>\u2028\u2029]/);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('window.__injected=1</script>');
    // Exactly our two script elements, and the title escaped.
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html).toContain(`<title>${escapeHtml(`shadowcheck: ${hostilePage().title}`)}</title>`);
  });

  it('is self-contained: a policy that forbids every load, and no URL to load from', () => {
    const full = renderPage(hostilePage());
    expect(full).toContain(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none';/);
    // The page's own markup, style and script (the data is text; the SVG namespace is a name, not a load).
    const html = full.replace(embedded(full), '').replaceAll('http://www.w3.org/2000/svg', '');
    expect(html).not.toMatch(/\b(?:src|href)\s*=/i);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('escapes the five characters markup gives meaning to', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
    expect(scriptJson({ s: '</script>\u2028' })).toBe('{"s":"\\u003c/script\\u003e\\u2028"}');
  });
});
