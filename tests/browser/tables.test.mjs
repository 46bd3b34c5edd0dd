// Data tables at phone width (issue 8, 1.3): the board, the statistics,
// the user and batch lists, the audit log and the account's API tokens
// turn their rows into cards in which every cell shows its column's label,
// nothing scrolls sideways and no cell or chart label is squeezed to a
// character a line; at desktop width they stay tables. Each page passes
// axe-core's WCAG 2.1 A/AA rules in both layouts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { launch, open, checkA11y, shot, readableAtWidth, narrowText, logIn, DESKTOP, PHONE } from './browser.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const PAGES = [['board', '/'], ['stats', '/stats'], ['users', '/admin/users'], ['batches', '/admin/batches'],
  ['audit', '/admin/audit'], ['account', '/account'], ['problem', '/problems/33'], ['screening', '/admin/screening']];

// How the first data row is laid out: its cells' label text as CSS shows
// it (::before), and whether the cells sit side by side as a table row.
async function firstRow(page) {
  return page.locator('table.cards tbody tr').first().evaluate((tr) => {
    const cells = [...tr.children];
    return {
      labels: cells.map((c) => getComputedStyle(c, '::before').content),
      headerShown: tr.closest('table').querySelector('thead').getBoundingClientRect().width > 1,
      display: getComputedStyle(tr).display,
      dataLabels: cells.map((c) => c.dataset.label),
      headings: [...tr.closest('table').querySelectorAll('thead th')].map((th) => th.innerText.trim()),
    };
  });
}

for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`every data table is readable without sideways scrolling (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    // A token, so that the account page has its table.
    await page.goto(srv.url + '/account');
    await page.getByLabel('新令牌名称').fill('数据同步脚本（每日凌晨）');
    await page.getByRole('button', { name: '创建令牌' }).click();
    await page.waitForURL(/\/account\/tokens$/);
    for (const [name, path] of PAGES) {
      await page.goto(srv.url + path);
      const label = `${name} (${size})`;
      assert.ok(await page.locator('table.cards').count() > 0, `${label}: a data table`);
      await checkA11y(page, label);
      await readableAtWidth(page, label);
      await shot(page, `table-${name}-${size}`);
      const row = await firstRow(page);
      assert.deepEqual(row.dataLabels, row.headings, `${label}: every cell carries its column's heading`);
      if (size === 'phone') {
        assert.equal(row.headerShown, false, `${label}: the header row is hidden on a phone`);
        assert.equal(row.display, 'grid', `${label}: a row is a card`);
        // Each cell but the card's title shows its label.
        const shown = row.labels.filter((c) => c !== 'none').map((c) => JSON.parse(c));
        assert.ok(shown.length >= row.dataLabels.length - 1, `${label}: the cells show their labels (${row.labels})`);
        for (const l of shown) assert.ok(row.dataLabels.includes(l), `${label}: ${l} is a column's label`);
      } else {
        assert.equal(row.headerShown, true, `${label}: the header row shows on a desktop`);
        assert.equal(row.display, 'table-row', `${label}: a table row`);
      }
    }
    await page.context().close();
  });
}

test('the statistics charts keep labels of at least 12 px at phone width', async () => {
  const page = await open(browser, PHONE);
  await page.goto(srv.url + '/stats');
  const sizes = await page.locator('ul.chart .bar-label, ul.chart .bar-value')
    .evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
  assert.ok(sizes.length > 10, 'the charts have labels');
  assert.ok(Math.min(...sizes) >= 12, `chart text as small as ${Math.min(...sizes)} px`);
  await page.context().close();
});

test('the check catches a squeezed table: /admin/users without its card layout breaks names at 390 px', async () => {
  const page = await open(browser, PHONE);
  await logIn(page, srv, 'admin');
  await page.goto(srv.url + '/admin/users');
  assert.deepEqual(await narrowText(page), []);
  await page.evaluate(() => document.querySelector('table.cards').classList.remove('cards'));
  const bad = await narrowText(page);
  assert.ok(bad.some((b) => /^人员 \/ /.test(b)), `a person's name is reported squeezed: ${bad}`);
  await page.context().close();
});
