// What a committed batch tells the operator: metrics by type and outcome, and a bounded number of log lines.
import { Logger } from '../../shared/logger';
import { Metrics } from '../../shared/metrics';
import { BatchResult } from '../../projections/applyBatch';
import { activityEventData, groupEventData, userEventData } from '../../shared/events/types';

/**
 * The type label: a type of events.md, "invalid", or "other" (an unknown type, or a batch's already-applied
 * messages). Types come from publishers' data, so any other label would let one buggy publisher create a
 * series per message.
 */
const TYPE_LABELS = new Set(['invalid', ...Object.keys(userEventData), ...Object.keys(groupEventData), ...Object.keys(activityEventData)]);
const typeLabel = (type: string) => (TYPE_LABELS.has(type) ? type : 'other');

export function countOutcomes(metrics: Metrics | undefined, result: BatchResult, topic: string, lag: bigint): void {
  if (metrics === undefined) return;
  // Summed per label set first: a batch holds thousands of events but a handful of (type, outcome) pairs.
  const events = new Map<string, { type: string; outcome: string; n: number }>();
  const gaps = new Map<string, number>();
  for (const o of result.outcomes) {
    const type = typeLabel(o.type);
    const key = `${type}\u0000${o.outcome}`;
    const seen = events.get(key);
    if (seen === undefined) events.set(key, { type, outcome: o.outcome, n: 1 });
    else seen.n++;
    if (o.gap) gaps.set(type, (gaps.get(type) ?? 0) + 1);
  }
  for (const { type, outcome, n } of events.values()) metrics.events.inc({ type, outcome }, n);
  for (const [type, n] of gaps) metrics.gaps.inc({ type }, n);
  metrics.lag.set({ topic, partition: String(result.partition) }, Number(lag > 0n ? lag : 0n));
}

/**
 * One line per batch for its gaps and one for its dead letters, whatever their number: a publisher's bug can
 * dead-letter thousands of events a batch (the DLQ and `rollcall dlq list` hold each one).
 */
export function logOutcomes(logger: Logger, partition: number, result: BatchResult): void {
  const gaps = result.outcomes.filter((o) => o.gap);
  if (gaps.length > 0) {
    logger.warn({ partition, gaps: gaps.length, subjects: gaps.slice(0, 5).map((o) => o.subject) }, 'version gaps: events were lost upstream');
  }
  if (result.deadLetters.length > 0) {
    const reasons = new Map<string, number>();
    for (const d of result.deadLetters) reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
    const common = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([reason, n]) => ({ reason, n }));
    logger.warn({ partition, deadLetters: result.deadLetters.length, firstOffset: result.deadLetters[0]?.message.offset, reasons: common }, 'events dead-lettered');
  }
}
