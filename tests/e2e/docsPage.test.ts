// GET /api/docs (issue 19) in a real browser: Debian's chromium driven by playwright-core (never a downloaded
// browser). The page shows both endpoints and their parameters, and a request sent from it with a token
// (the Authorize dialog, then Try it out) gets a 200. CI installs chromium; where it is absent the test says so.
import { existsSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { chromium, Browser } from 'playwright-core';
import { projectedDirectory, ProjectedApp } from '../helpers/projectedApp';
import { TOKENS } from '../helpers/fixtures/directory';
import { createHttpServer } from '../../services/api/listen';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
const maybe = present ? describe : describe.skip;

maybe(present ? 'the API reference page' : `the API reference page (skipped: ${CHROMIUM} is absent; apt-get install chromium)`, () => {
  let t: ProjectedApp;
  let server: Server;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await projectedDirectory();
    server = createHttpServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.closeAll();
  });

  it('shows both endpoints and their parameters, and a request sent from it with a token gets 200', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith(base)) outside.push(r.url()); });
    await page.goto(`${base}/api/docs`);
    const customers = page.locator('.opblock-summary', { hasText: '/api/customers' }).first();
    const users = page.locator('.opblock-summary', { hasText: '/api/users/' }).first();
    await customers.waitFor({ timeout: 30_000 });
    await users.waitFor();

    await page.locator('button.authorize').first().click();
    await page.locator('.modal-ux input[type=text]').fill(`Token ${TOKENS.admin}`);
    await page.locator('.modal-ux button.authorize').click();
    await page.locator('.modal-ux button.btn-done').click();

    await users.click();
    const operation = page.locator('.opblock.is-open');
    for (const parameter of ['has_email', 'is_staff', 'groups_in', 'search', 'ordering']) {
      await operation.locator(`tr[data-param-name="${parameter}"]`).waitFor();
    }
    await operation.locator('button.try-out__btn').click();
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 30_000 });
    expect((await status.innerText()).trim()).toBe('200');
    expect(outside).toEqual([]); // nothing from a CDN
  }, 90_000);
});
