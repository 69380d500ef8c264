import { performance } from 'node:perf_hooks';
import { loadIndex } from '../services/api/index/load';
import { flagsSql } from '../services/api/listing/parse/indexQuery';
import { listRequest } from '../services/api/listing/parse/listRequest';
import { numericOrder, pageAfterCount, plan } from '../services/api/listing/plan/planner';
import { parseQueryString } from '../services/api/queryString';
import { customersEndpoint } from '../services/api/customers/endpoint';
import { openQueryBench } from '../bench/kit';
import type { IndexQuery } from '../services/api/index/query';

(async () => {
  const users = Number(process.argv[2] ?? 1_000_000);
  const { db, schema } = await openQueryBench(users);
  let t = performance.now();
  const index = (await loadIndex(db, schema, { search: true, flags: flagsSql() }))!;
  console.log('load', (performance.now() - t).toFixed(0), 'ms');
  for (const qs of ['search=ada', 'search=ada,hopper', 'search=ada hopper example', 'updated_to=2023-03-01', 'groups_in=3,9,27', 'has_email=true&gender=male&is_active=true', 'has_phone=true&created_from=2024-01-01&search=grace&ordering=-last_login']) {
    const req = listRequest(parseQueryString(qs), customersEndpoint, { schema }, 1000);
    const p = plan(req, true);
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      const a = await index.ask(req.indexQuery as IndexQuery);
      const t1 = performance.now();
      const count = a.count;
      const t2 = performance.now();
      const page = pageAfterCount(req, p, { count });
      const order = numericOrder(req)!;
      const ids = page.by === 'index' ? a.top(order, 10) : [];
      const t3 = performance.now();
      if (i === 2) console.log(qs, JSON.stringify(p), page.by, 'count', count, 'ask', (t1 - t).toFixed(1), 'count', (t2 - t1).toFixed(1), 'page', (t3 - t2).toFixed(1), ids.length);
    }
  }
  await db.destroy();
})();
