/** The kill suite of the gpuShadow slice's op code (killSuite.ts; run by `MUTATION_SLICE=gpuShadow npm run mutation`, not by `npm test`). */
import { killSuite } from './killSuite.ts';

killSuite('gpuShadow');
