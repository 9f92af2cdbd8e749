/** The kill suite of the core slice's op code (killSuite.ts; run by `MUTATION_SLICE=core npm run mutation`, not by `npm test`). */
import { killSuite } from './killSuite.ts';

killSuite('core');
