// `rollcall events check [FILE|-]` (ops.md): for publishers' CI. Reads `key<TAB>value` lines (what kcat -K'\t'
// and Kafka's console producer with parse.key take), folds them in order into an empty read model by the
// projector's own code (projections/applyBatch.ts foldMessages), and says what the projector would do with
// each: apply it, skip it (a duplicate, an unknown type) or dead-letter it, and why. Nothing is written.
import { foldMessages, InboundMessage } from '../../projections/applyBatch';
import { UserRow } from '../../projections/users/userRow';
import { GroupRow } from '../../projections/groups/evolve';

export type Verdict = 'applied' | 'skipped' | 'dead-lettered';
export type CheckedMessage = { line: number; key: string | null; type: string; verdict: Verdict; why: string };
export type CheckReport = { messages: CheckedMessage[]; summary: Record<Verdict, number> };

/** The messages of a file: one per non-empty line, the key before the first tab (none without a tab). */
export function readMessages(text: string): Array<{ line: number; key: string | null; value: string }> {
  return text.split('\n').flatMap((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return [];
    const tab = line.indexOf('\t');
    return [{ line: i + 1, key: tab < 0 ? null : line.slice(0, tab), value: tab < 0 ? line : line.slice(tab + 1) }];
  });
}

export function checkEvents(text: string): CheckReport {
  const read = readMessages(text);
  const inbound: InboundMessage[] = read.map((m, i) => ({
    offset: String(i),
    key: m.key === null ? null : Buffer.from(m.key, 'utf8'),
    value: Buffer.from(m.value, 'utf8'),
  }));
  const folded = foldMessages(new Map<string, UserRow>(), new Map<string, GroupRow>(), inbound);
  const reasons = new Map(folded.deadLetters.map((d) => [d.message, d.reason]));
  const messages = read.map((m, i): CheckedMessage => {
    const o = folded.outcomes[i]!;
    const reason = reasons.get(inbound[i]!);
    const [verdict, why]: [Verdict, string] =
      o.outcome === 'applied' ? ['applied', o.gap ? 'applied after a version gap: events before it were lost' : '']
      : o.outcome === 'duplicate' ? ['skipped', 'a duplicate: its version is not above the one applied']
      : o.outcome === 'unknown_type' ? ['skipped', `an event type this version does not apply (${o.type})`]
      : ['dead-lettered', reason ?? ''];
    return { line: m.line, key: m.key, type: o.type, verdict, why };
  });
  const summary: Record<Verdict, number> = { applied: 0, skipped: 0, 'dead-lettered': 0 };
  for (const m of messages) summary[m.verdict] += 1;
  return { messages, summary };
}

export function formatReport(r: CheckReport): string {
  const rows = r.messages.map((m) => `line ${m.line}  ${m.key ?? '(no key)'}  ${m.verdict}  ${m.type}${m.why === '' ? '' : `: ${m.why}`}`);
  const { applied, skipped } = r.summary;
  return `${rows.join('\n')}\n${r.messages.length} messages: ${applied} applied, ${skipped} skipped, ${r.summary['dead-lettered']} dead-lettered\n`;
}
