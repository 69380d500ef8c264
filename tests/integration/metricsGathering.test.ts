// Issue 27, hole 1: what a flood of scrapes costs PostgreSQL. The figures /metrics reads from it are read at most
// once a second, and scrapes arriving together share one read; counted here by the statements the pool sends.
import { createTestEnv, TestEnv } from '../helpers/testEnv';
import { createDb } from '../../shared/db';
import { createMetrics } from '../../shared/metrics';
import { DatabaseGauges, localMetricsText } from '../../services/api/metricsText';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => env?.close());

/** A pool of its own whose statements are counted. */
function countedDb() {
  const db = createDb(env.config.databaseUrl, { min: 0, max: 1 });
  const counted = { statements: 0 };
  db.on('query', () => counted.statements++);
  return { db, counted };
}

it('reads the database\'s figures once for scrapes arriving together, and not again within a second', async () => {
  const { db, counted } = countedDb();
  try {
    const gauges = new DatabaseGauges(db, createMetrics());
    await gauges.update();
    const oneRead = counted.statements;
    expect(oneRead).toBeGreaterThan(0);

    await new Promise((r) => setTimeout(r, 1_100));
    await Promise.all(Array.from({ length: 200 }, () => gauges.update()));
    expect(counted.statements).toBe(2 * oneRead); // 200 scrapes at once: one read
    await Promise.all(Array.from({ length: 200 }, () => gauges.update()));
    expect(counted.statements).toBe(2 * oneRead); // within the second: none
    await new Promise((r) => setTimeout(r, 1_100));
    await gauges.update();
    expect(counted.statements).toBe(3 * oneRead);
  } finally {
    await db.destroy();
  }
});

it('serves 200 scrapes arriving together from one gathering, with the figures of the database', async () => {
  const { db, counted } = countedDb();
  try {
    const metrics = createMetrics();
    const serialize = metrics.registry.metrics.bind(metrics.registry);
    let gatherings = 0;
    metrics.registry.metrics = () => {
      gatherings++;
      return serialize();
    };
    const text = localMetricsText(db, metrics);
    const texts = await Promise.all(Array.from({ length: 200 }, () => text()));
    expect(gatherings).toBe(1);
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toMatch(/^rollcall_blocked_users 0$/m);
    const oneRead = counted.statements;
    await text(); // a gathering of its own (none runs), its figures still those of the read just made
    expect({ gatherings, statements: counted.statements }).toEqual({ gatherings: 2, statements: oneRead });
  } finally {
    await db.destroy();
  }
});
