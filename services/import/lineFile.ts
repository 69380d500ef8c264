// A file written line by line in 64 KB writes: one write call per line costs more than the import's own work.
import { createWriteStream, WriteStream } from 'node:fs';
import { once } from 'node:events';

const CHUNK = 64 * 1024;

export class LineFile {
  private readonly out: WriteStream;
  private pending: string[] = [];
  private size = 0;

  constructor(path: string) {
    this.out = createWriteStream(path);
  }

  async write(line: string): Promise<void> {
    this.pending.push(line);
    this.size += line.length;
    if (this.size >= CHUNK) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'close');
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}
