// The differential test of the query engine (tests/helpers/differentialSuite.ts) on ids 1 to 700: the
// index's direct id lookup (index/slots.ts).
import { differentialSuite } from '../helpers/differentialSuite';

differentialSuite({ idBase: 1, idStride: 1 });
