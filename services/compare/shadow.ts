import { Bases } from './answers';
import { CompareOptions } from './options';

export async function runShadow(_o: CompareOptions, _bases: Bases): Promise<number> {
  throw new Error('not yet');
}
