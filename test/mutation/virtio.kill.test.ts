/** The kill suite of the virtio slice's op code (killSuite.ts; run by `MUTATION_SLICE=virtio npm run mutation`, not by `npm test`). */
import { killSuite } from './killSuite.ts';

killSuite('virtio');
