// The differential test of the query engine (tests/helpers/differentialSuite.ts) on ids past 2^53, up to near
// 2^63: ids that are not exact as JavaScript numbers, held by the index as exact slots (index/slots.ts).
import { differentialSuite } from '../helpers/differentialSuite';

differentialSuite({ idBase: 1, idStride: 104_729, shift: 2n ** 63n - 2n ** 40n });
