// What a run found, kept small whatever its length: counts in all, per endpoint, per role and per parameter,
// the parameters every differing request shares, and the first few differences in full.
import { Verdict } from './answers';
import { SkipReason } from './requestLines';

export type Asked = { target: string; role: string; endpoint: string; parameters: string[] };
export type Side = 'reference' | 'candidate' | 'both';
export type Compared = Asked & ({ verdict: Verdict; referenceStatus: number } | { failed: { side: Side; why: string } });

export type Counts = { requests: number; identical: number; different: number; onlineOnly: number; failed: number };
const zero = (): Counts => ({ requests: 0, identical: 0, different: 0, onlineOnly: 0, failed: 0 });

export class Tally {
  readonly total = zero();
  readonly byEndpoint = new Map<string, Counts>();
  readonly byRole = new Map<string, Counts>();
  readonly byParameter = new Map<string, Counts>();
  readonly skipped = new Map<SkipReason | string, number>();
  /** How many answers of each status the reference gave (what was compared: pages, refusals, errors). */
  readonly byStatus = new Map<number, number>();
  /** The parameters every differing request carries (undefined until one differs). */
  sharedByDifferent: Set<string> | undefined;
  readonly firstDifferences: Compared[] = [];
  readonly firstOnlineOnly: Compared[] = [];
  readonly firstFailures: Compared[] = [];

  constructor(readonly shown: number) {}

  add(c: Compared): void {
    const key = 'failed' in c ? 'failed' : c.verdict.outcome === 'online-only' ? 'onlineOnly' : c.verdict.outcome;
    const count = (counts: Counts) => {
      counts.requests += 1;
      counts[key] += 1;
    };
    count(this.total);
    count(entry(this.byEndpoint, c.endpoint));
    count(entry(this.byRole, c.role));
    for (const p of c.parameters) count(entry(this.byParameter, p));
    if ('verdict' in c) this.byStatus.set(c.referenceStatus, (this.byStatus.get(c.referenceStatus) ?? 0) + 1);
    if (key === 'different') {
      this.sharedByDifferent = new Set(this.sharedByDifferent === undefined ? c.parameters : c.parameters.filter((p) => this.sharedByDifferent!.has(p)));
    }
    const keep = key === 'different' ? this.firstDifferences : key === 'onlineOnly' ? this.firstOnlineOnly : key === 'failed' ? this.firstFailures : undefined;
    if (keep !== undefined && keep.length < this.shown) keep.push(c);
  }

  skip(reason: SkipReason | string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  /**
   * Whether every answer was identical. An is_online-only pair is not (it is only explained, not shown, to be
   * timing), nor is a request that failed: either makes the exit code 1.
   */
  get alike(): boolean {
    return this.total.identical === this.total.requests;
  }
}

function entry(map: Map<string, Counts>, key: string): Counts {
  let counts = map.get(key);
  if (counts === undefined) map.set(key, (counts = zero()));
  return counts;
}
