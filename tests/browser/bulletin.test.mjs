// The bulletin in the browser: an admin lists the period's claims, picks
// one and a line of text, issues 第 N 期 through the form and sees the print
// page; in print media the site's header is gone and the masthead stays.
// The form, the print page and the year's report pass axe-core and fit the
// phone; screenshots at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function look(page, label, name) {
  await checkA11y(page, label);
  await fitsWidth(page, label);
  await shot(page, name);
}

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`an admin issues a bulletin through the form and prints it (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(`${srv.url}/bulletins/new`);
    await page.getByLabel('统计起始日期').fill('2022-07-01');
    await page.getByLabel('统计截止日期').fill('2022-08-31');
    await page.getByLabel('范围').selectOption('1');
    await page.getByRole('button', { name: '列出统计期内的揭榜项目' }).click();
    await page.waitForURL(/period_from=2022-07-01/);
    await look(page, `bulletin form (${size})`, `bulletin-form-${size}`);
    await page.getByRole('checkbox', { name: /城区空中缆线专项整治工作/ }).check();
    await page.getByLabel('亮点文字 1（可不填）').fill(`浏览器测试亮点（${size}）`);
    await page.getByRole('button', { name: '签发', exact: true }).click();
    await page.waitForURL(/\/bulletins\/\d+$/);
    assert.equal(await page.locator('h1.masthead').textContent(), '揭榜挂帅工作简报');
    assert.match(await page.locator('.issue-no').textContent(), /^第 \d+ 期$/);
    assert.ok(await page.getByText(`浏览器测试亮点（${size}）`).isVisible());
    await look(page, `bulletin page (${size})`, `bulletin-page-${size}`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.top').isVisible(), false, 'no site header in print');
    assert.equal(await page.locator('.crumbs').isVisible(), false, 'no links in print');
    assert.ok(await page.locator('h1.masthead').isVisible());
    await shot(page, `bulletin-print-${size}`);
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${srv.url}/batches/1/report`);
    await look(page, `year report (${size})`, `report-${size}`);
    await page.close();
  });
}
