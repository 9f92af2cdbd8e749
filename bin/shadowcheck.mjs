#!/usr/bin/env node
// Entry point for `npx shadowcheck`. In a checkout (src/ beside bin/) it runs the TypeScript CLI
// through tsx, so editing the model needs no build step; an installed package ships only the
// compiled dist/ (built by `prepare` when packed), which plain Node runs.
// tsImport rather than tsx's global register(): a global hook turns a user's CommonJS-typed design
// file into "Cannot require() ES Module … in a cycle" when `audit` imports it (src/audit/designFile.ts).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { tsImport } = await import('tsx/esm/api');
  ({ main } = await tsImport(source.href, import.meta.url));
} else {
  ({ main } = await import('../dist/src/cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
