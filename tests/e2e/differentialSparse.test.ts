// The differential test of the query engine (tests/helpers/differentialSuite.ts) on sparse ids past 2^32: the
// index's id map (index/slots.ts), and every bound near 2^31, 2^32 and 2^63.
import { differentialSuite } from '../helpers/differentialSuite';

differentialSuite({ idBase: 4_294_960_000, idStride: 7_919 });
