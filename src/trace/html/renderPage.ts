/**
 * A viewer page as one self-contained HTML file: the style and script inline, the data as JSON in a
 * `<script type="application/json">` block, and a Content-Security-Policy that lets the page load
 * nothing at all — no network at view time, by construction rather than by care.
 */
import type { ViewerPage } from './viewerData.ts';
import { VIEWER_SCRIPT } from './viewerScript.ts';
import { VIEWER_STYLE } from './viewerStyle.ts';

/** Text for HTML content or a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that can sit inside a `<script>` element: `<`, `>` and `&` escaped as `\uXXXX` (so no
 * `</script>` or `<!--` can appear), and U+2028/2029 as well. JSON.parse gives back the same value.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The page's policy: nothing from anywhere; only its own inline style and script run. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/** The HTML of a viewer page. */
export function renderPage(page: ViewerPage): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`shadowcheck: ${page.title}`)}</title>`,
    `<style>${VIEWER_STYLE}</style>`,
    '</head>',
    '<body>',
    '<main id="viewer"><noscript>This trace viewer draws with JavaScript; the trace is in the JSON block below.</noscript></main>',
    `<script type="application/json" id="viewer-data">${scriptJson(page)}</script>`,
    `<script>${VIEWER_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
