// The differential test of the query engine (tests/helpers/differentialSuite.ts) on ids 1 to 700: the
// in-memory copy's arrays indexed by id.
import { differentialSuite } from '../helpers/differentialSuite';

differentialSuite({ idBase: 1, idStride: 1 });
