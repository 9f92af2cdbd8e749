// The watchdog worker's entry point. A worker thread does not inherit the loader hooks its parent
// registered (bin/shadowcheck.mjs, vitest), so it registers tsx's own before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./campaignWorker.ts');
