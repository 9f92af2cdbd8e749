/** shadowcheck's own version, recorded in every corpus entry and ITF trace it writes. */
import { createRequire } from 'node:module';

// By the package's own name (a self-reference through `exports`), not a relative path: the same line
// then works from src/ under tsx and from the built dist/src/ of an installed package.
const pkg = createRequire(import.meta.url)('shadowcheck/package.json') as { version: string };

/** The package version, e.g. "0.1.0". */
export const SHADOWCHECK_VERSION: string = pkg.version;
