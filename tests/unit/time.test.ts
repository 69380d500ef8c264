import { formatDrfTimestamp, normaliseEventTime } from '../../shared/events/time';

describe('formatDrfTimestamp', () => {
  it.each([
    ['2026-02-21 07:20:25.859632+00', '2026-02-21T07:20:25.859632Z'],
    ['2026-02-21 07:20:25+00', '2026-02-21T07:20:25Z'],
    ['2026-02-21 07:20:25.85+00', '2026-02-21T07:20:25.850000Z'],
    ['2026-02-21 07:20:25.000001+00', '2026-02-21T07:20:25.000001Z'],
  ])('%s → %s', (pg, drf) => expect(formatDrfTimestamp(pg)).toBe(drf));

  it('keeps null', () => expect(formatDrfTimestamp(null)).toBeNull());
  it('refuses a timestamp not in UTC', () => expect(() => formatDrfTimestamp('2026-02-21 07:20:25+02')).toThrow(/TimeZone/));
});

describe('normaliseEventTime', () => {
  it.each([
    ['2026-02-21T07:20:25.859632Z', '2026-02-21T07:20:25.859632+00:00'],
    ['2026-02-21t07:20:25z', '2026-02-21T07:20:25+00:00'],
    ['2024-02-29T23:59:59.5-05:30', '2024-02-29T23:59:59.5-05:30'],
  ])('accepts %s', (given, normal) => expect(normaliseEventTime(given)).toBe(normal));

  it.each(['2026-02-21T07:20:25', '2026-02-21 07:20:25Z', '2025-02-29T00:00:00Z', '2026-02-21T24:00:00Z', '2026-02-21T07:20:60Z', '2026-02-21T07:20:25+24:00', 'yesterday'])(
    'rejects %s',
    (given) => expect(normaliseEventTime(given)).toBeNull(),
  );
});
