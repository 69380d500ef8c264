// `--generate N`'s inputs fetched: the OpenAPI document from the candidate (rollcall serves /api/schema; a
// Django service may not), and the first page of each endpoint from the reference, asked as each role in turn
// until one may read it.
import { Bases } from './answers';
import { fetchAnswer, tokenHeader } from './fetchAnswer';
import { endpointsOf, generateTargets } from './generate';
import { CompareOptions } from './options';
import { addPageSamples, emptySamples } from './samples';
import { Role } from './tokens';

export async function generatedTargets(bases: Bases, roles: Role[], o: CompareOptions): Promise<string[]> {
  const schema = await fetchAnswer(bases.candidate, '/api/schema', null, o.timeoutMs);
  if (schema.status !== 200) throw new Error(`the candidate's /api/schema answered ${schema.status}`);
  const endpoints = endpointsOf(JSON.parse(schema.body));
  const samples = emptySamples();
  for (const endpoint of endpoints) {
    for (const role of roles) {
      const page = await fetchAnswer(bases.reference, `${endpoint.path}?limit=100`, tokenHeader(role.token), o.timeoutMs);
      if (page.status !== 200) continue;
      addPageSamples(samples, page.body);
      break;
    }
  }
  return generateTargets(endpoints, samples, o.generate!, o.seed);
}
