#!/usr/bin/env node
// Entry point for `npx shadowcheck`. In a checkout (src/ beside bin/) it runs the TypeScript CLI
// through tsx's loader, so editing the model needs no build step; an installed package ships only
// the compiled dist/ (built by `prepare` when packed), which plain Node runs.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import('../dist/src/cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
