// Exports in the browser: a leader opens 导出台账 from the 管理 menu, the
// page passes axe-core and fits the phone, and the 台账 link downloads a
// CSV (BOM, the ledger's header, one row per problem on the board) and an
// Excel file; a cadre is not offered the page. Screenshots at desktop and
// phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, parseCsv } from '../server/harness.mjs';
import { login, api } from '../server/accounts.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser, problems;
before(async () => {
  srv = await startServer();
  browser = await launch();
  const s = await login(srv, 'leader');
  problems = (await api(srv, s, 'GET', '/api/v1/stats')).json().problems;
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`a leader downloads the ledger from 导出台账 (${size})`, async () => {
    const page = await open(browser, viewport, { acceptDownloads: true });
    await logIn(page, srv, 'leader');
    await page.getByText('管理', { exact: true }).click();
    await page.getByRole('link', { name: '导出台账' }).click();
    await page.waitForURL(/\/exports$/);
    assert.equal(await page.locator('h1').textContent(), '导出台账');
    await checkA11y(page, `exports (${size})`);
    await fitsWidth(page, `exports (${size})`);
    await shot(page, `exports-${size}`);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '台账.csv' }).click()]);
    assert.equal(csv.suggestedFilename().endsWith('.csv'), true, csv.suggestedFilename());
    const bytes = readFileSync(await csv.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with the UTF-8 BOM');
    const rows = parseCsv(bytes.subarray(3).toString('utf8'));
    assert.equal(rows[0][0], '编号');
    assert.equal(rows[0].at(-1), '公示状态');
    assert.equal(rows.length - 1, problems, 'one row per problem on the board');

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '台账.xlsx' }).click()]);
    const zip = readFileSync(await xlsx.path());
    assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK', 'the Excel file is a zip');
    await page.close();
  });
}

test('a cadre is not offered 导出台账 and cannot open it', async () => {
  const page = await open(browser, DESKTOP);
  await logIn(page, srv, 'cadre');
  assert.equal(await page.locator('a[href$="/exports"]').count(), 0, 'no link to 导出台账');
  const r = await page.goto(`${srv.url}/exports`);
  assert.equal(r.status(), 403);
  await page.close();
});
