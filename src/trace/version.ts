/** shadowcheck's own version, recorded in every corpus entry and ITF trace it writes. */
import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

/** The package version, e.g. "0.1.0". */
export const SHADOWCHECK_VERSION: string = pkg.version;
