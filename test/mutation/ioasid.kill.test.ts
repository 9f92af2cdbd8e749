/** The kill suite of the ioasid slice's op code (killSuite.ts; run by `MUTATION_SLICE=ioasid npm run mutation`, not by `npm test`). */
import { killSuite } from './killSuite.ts';

killSuite('ioasid');
