// Where imported events go: Kafka (the events topic, keyed by subject), a key<TAB>value file that
// `rollcall events check` reads, or nowhere (--dry-run). And the file of subject → last version (--versions).
import { rename } from 'node:fs/promises';
import { Producer } from 'kafkajs';
import { EncodedEvent } from './encode';
import { LineFile } from './lineFile';

export interface EventSink {
  /** The events of one subject, in version order. */
  send(events: EncodedEvent[]): Promise<void>;
  /** Everything sent is delivered (acknowledged by every in-sync replica, or written). */
  close(): Promise<void>;
}

/**
 * Sends in batches: one in flight on an idempotent producer (shared/kafka.ts), so a subject's events keep their
 * order on its partition. A batch is bounded, so memory is too.
 */
export function kafkaSink(producer: Producer, topic: string, batchSize = 4000): EventSink {
  let batch: Array<{ key: string; value: string }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const messages = batch;
    batch = [];
    await producer.send({ topic, acks: -1, messages });
  };
  return {
    send: async (events) => {
      for (const e of events) batch.push({ key: e.key, value: e.value });
      if (batch.length >= batchSize) await flush();
    },
    close: flush,
  };
}

export function fileSink(path: string): EventSink {
  const lines = new LineFile(path);
  return {
    send: async (events) => {
      for (const e of events) await lines.write(`${e.key}\t${e.value}\n`);
    },
    close: () => lines.close(),
  };
}

export const dryRunSink = (): EventSink => ({ send: async () => undefined, close: async () => undefined });

/**
 * subject<TAB>last aggregateversion, one line per imported subject: what the writer continues from
 * (docs/migration.md). Written beside the file and renamed when the import is complete, so a file that exists
 * is whole.
 */
export class VersionsFile {
  private readonly lines: LineFile;

  constructor(private readonly path: string) {
    this.lines = new LineFile(`${path}.partial`);
  }

  record(events: EncodedEvent[]): Promise<void> {
    const last = events[events.length - 1];
    return last === undefined ? Promise.resolve() : this.lines.write(`${last.subject}\t${last.version}\n`);
  }

  async complete(): Promise<void> {
    await this.lines.close();
    await rename(`${this.path}.partial`, this.path);
  }
}
