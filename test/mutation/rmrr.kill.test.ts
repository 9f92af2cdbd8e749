/** The kill suite of the rmrr slice's op code (killSuite.ts; run by `MUTATION_SLICE=rmrr npm run mutation`, not by `npm test`). */
import { killSuite } from './killSuite.ts';

killSuite('rmrr');
