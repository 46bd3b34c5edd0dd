// An admin creates a batch in the browser: a mistake is shown beside its
// field with what was typed kept, the fix creates it; every page passes
// axe-core at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { launch, open, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

async function signIn(page) {
  await page.goto(srv.url + '/login');
  await page.getByLabel('登录名').fill('admin');
  await page.getByLabel('密码').fill('jiebang-demo');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`an admin creates a batch, fixing a mistake on the way (${size})`, async () => {
    const page = await open(browser, viewport);
    await signIn(page);
    await page.getByText('管理', { exact: true }).click(); // the header's 管理 menu
    await page.getByRole('link', { name: '批次管理' }).click();
    await page.waitForURL(/\/admin\/batches$/);
    await checkA11y(page, `batches (${size})`);
    const name = `2027年${size}批`;
    await page.getByLabel('批次名称').fill(name);
    await page.getByLabel('年度').fill('2027');
    await page.getByLabel('按下面的日期自动切换阶段').check();
    const rows = page.locator('table.phases tbody tr');
    await rows.nth(0).getByLabel('开始').fill('2027-01-01');
    await rows.nth(0).getByLabel('结束').fill('2026-12-01'); // before its start
    await page.getByRole('button', { name: '创建批次' }).click();
    await page.waitForSelector('.form-errors');
    assert.match(await page.locator('.field-error').first().innerText(), /结束日期早于开始日期/);
    assert.equal(await page.getByLabel('批次名称').inputValue(), name, 'what was typed is kept');
    await checkA11y(page, `batch form with errors (${size})`);
    await fitsWidth(page, `batch form with errors (${size})`);
    await shot(page, `batch-errors-${size}`);
    await page.locator('table.phases tbody tr').nth(0).getByLabel('结束').fill('2027-02-28');
    await page.getByRole('button', { name: '创建批次' }).click();
    await page.waitForURL(/\/admin\/batches\/\d+$/);
    assert.match(await page.locator('h1').innerText(), new RegExp(name));
    await checkA11y(page, `batch page (${size})`);
    await shot(page, `batch-${size}`);
    await page.context().close();
  });
}
