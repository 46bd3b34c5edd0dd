// The public pages and the log-in, in a real browser at desktop and phone
// width: they render, pass axe-core's WCAG 2.1 A/AA rules, fit a phone
// screen, and a person can search the board, open a problem and log in.
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

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`a visitor searches the board, opens a problem and reads the statistics (${size})`, async () => {
    const page = await open(browser, viewport);
    await page.goto(srv.url + '/');
    assert.match(await page.title(), /揭榜/);
    await checkA11y(page, `board (${size})`);
    await fitsWidth(page, `board (${size})`);
    await shot(page, `board-${size}`);

    await page.getByLabel('搜索').fill('缆线');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/q=/);
    const link = page.getByRole('link', { name: /城区空中缆线专项整治/ }).first();
    await link.click();
    await page.waitForURL(/\/problems\/\d+/);
    assert.match(await page.locator('h1').innerText(), /缆线/);
    await checkA11y(page, `problem (${size})`);
    await fitsWidth(page, `problem (${size})`);
    await shot(page, `problem-${size}`);

    await page.goto(srv.url + '/stats');
    await checkA11y(page, `stats (${size})`);
    await fitsWidth(page, `stats (${size})`);
    await shot(page, `stats-${size}`);
    await page.context().close();
  });
}

test('a cadre logs in through the form and sees its account', async () => {
  const page = await open(browser, DESKTOP);
  await page.goto(srv.url + '/login');
  await checkA11y(page, 'login');
  await page.getByLabel('登录名').fill('cadre');
  await page.getByLabel('密码').fill('jiebang-demo');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(srv.url + '/account');
  assert.match(await page.locator('main').innerText(), /cadre/);
  await checkA11y(page, 'account');
  await page.context().close();
});
