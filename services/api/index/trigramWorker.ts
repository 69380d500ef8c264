// The trigram build's own thread (trigramBuild.ts): started with the load, so its modules and tables are ready
// by the end of the read; it then hears the second half's texts a chunk at a time, builds their bitmaps and
// hands them back serialised in one buffer.
import { parentPort } from 'node:worker_threads';
import { TrigramLists } from './trigrams';
import { chunkFields } from './textChunk';
import { FromTrigramWorker, packBitmaps, ToTrigramWorker } from './trigramPack';

const port = parentPort;
if (port === null) throw new Error('trigramWorker.ts runs as a worker thread');
const lists = new TrigramLists();
let work = Promise.resolve();

port.on('message', (m: ToTrigramWorker) => {
  // One message at a time, in order: a chunk's lists are appended after the chunk before's.
  work = work.then(async () => {
    if (m.t === 'chunk') return lists.addChunk(m.chunk.first, m.chunk.end, chunkFields(m.chunk));
    const packed = packBitmaps(await lists.finish());
    port.postMessage({ t: 'built', ...packed } satisfies FromTrigramWorker, [packed.keys.buffer, packed.ends.buffer, packed.bytes.buffer] as ArrayBuffer[]);
  }).catch((err: unknown) => port.postMessage({ t: 'failed', message: (err as Error).message ?? String(err) } satisfies FromTrigramWorker));
});
