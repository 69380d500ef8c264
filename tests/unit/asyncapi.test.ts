// The AsyncAPI document (issue 19): valid AsyncAPI 3.0 by the AsyncAPI project's own parser, current (the
// committed docs/asyncapi.yaml is what `npm run docs:asyncapi` writes), one message per event type of the
// table the projector validates with.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { asyncApiYaml } from '../../services/api/schema/writeAsyncApi';
import { asyncApiDocument, DEFAULT_TOPICS } from '../../services/api/schema/asyncapi';
import { activityEventData, groupEventData, userEventData } from '../../shared/events/types';

const committed = readFileSync(path.join(__dirname, '../../docs/asyncapi.yaml'), 'utf8');

it('is current: docs/asyncapi.yaml is what npm run docs:asyncapi writes', () => {
  expect(committed).toBe(asyncApiYaml());
});

it('is valid AsyncAPI 3.0', async () => {
  const { document, diagnostics } = await new Parser().parse(committed);
  expect(diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
  expect(document?.version()).toBe('3.0.0');
  expect(document?.channels().all().map((c) => c.address())).toEqual(['user-events', 'user-activity', 'user-events.dlq']);
}, 30_000);

it('has one message for every event type the projector applies', () => {
  const doc = asyncApiDocument(DEFAULT_TOPICS) as { components: { messages: Record<string, { name: string }> } };
  const names = Object.values(doc.components.messages).map((m) => m.name).filter((n) => n !== 'deadLetter').sort();
  expect(names).toEqual([...Object.keys(userEventData), ...Object.keys(groupEventData), ...Object.keys(activityEventData)].sort());
});
