// Rows the import refuses: each reported as it is met (model, primary key, why) on stderr, never kept, so that
// a dump with many bad rows still imports in bounded memory; the count decides the exit code.
export class Refusals {
  count = 0;

  constructor(private readonly report: (line: string) => void = (line) => process.stderr.write(line)) {}

  refuse(model: string, pk: string, reason: string): void {
    this.count++;
    this.report(`refused ${model} pk=${pk}: ${reason}\n`);
  }
}
