// 推送机器人 in the browser: an admin opens it from the 管理 menu, adds a 钉钉
// robot (a refused address first, what was typed kept), sends a test
// message that a fake robot on loopback receives, and sees it delivered in
// the outbox. axe-core and the phone width on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from '../server/harness.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser, fake, fakeUrl;
const got = [];
before(async () => {
  fake = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => { got.push({ url: req.url, body }); res.writeHead(200, { 'Content-Type': 'application/json' }); res.end('{"errcode":0}'); });
  });
  await new Promise((r) => fake.listen(0, '127.0.0.1', r));
  fakeUrl = `http://127.0.0.1:${fake.address().port}`;
  srv = await startServer({ env: { JIEBANG_WEBHOOK_ALLOW_PRIVATE: '1', JIEBANG_OUTBOX_POLL_MS: '50' } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  fake?.close();
});

async function look(page, label, name) {
  await checkA11y(page, label);
  await fitsWidth(page, label);
  await shot(page, name);
}

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`an admin adds a 钉钉 robot and sends it a test message (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.locator('details.office summary').click();
    await page.getByRole('link', { name: '推送机器人' }).click();
    await page.waitForURL(/\/admin\/robots$/);
    await look(page, `robots (${size})`, `robots-${size}`);
    const name = `攻坚群（${size}）`;
    await page.getByLabel('类型').selectOption('dingtalk');
    await page.getByLabel('名称').fill(name);
    await page.getByLabel('Webhook 地址').fill('ftp://example.com/robot');
    await page.getByRole('button', { name: '添加机器人' }).click();
    await page.waitForSelector('.form-errors');
    assert.match(await page.locator('.field-error').first().innerText(), /只能使用 http:\/\/ 或 https:\/\//);
    assert.equal(await page.getByLabel('名称').inputValue(), name, 'what was typed is kept');
    await look(page, `robots refused (${size})`, `robots-error-${size}`);
    await page.getByLabel('Webhook 地址').fill(`${fakeUrl}/robot/send?access_token=${size}`);
    await page.getByLabel(/^密钥/).fill('SECbrowser');
    await page.getByRole('button', { name: '添加机器人' }).click();
    await page.waitForURL(/done=1/);
    const row = page.locator('tr', { hasText: name });
    assert.match(await row.innerText(), /已设置/);
    const n0 = got.length;
    await row.getByRole('button', { name: '发送测试消息' }).click();
    await page.waitForURL(/done=1/);
    for (let i = 0; i < 100 && !got.slice(n0).some((g) => g.url.includes(`access_token=${size}`)); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.ok(got.slice(n0).some((g) => g.url.includes(`access_token=${size}`) && /sign=/.test(g.url)), 'the fake robot got it, signed');
    await new Promise((r) => setTimeout(r, 300));
    await page.reload();
    assert.match(await page.locator('#outbox ~ table, table').last().innerText(), /已送达/);
    await look(page, `outbox (${size})`, `robots-outbox-${size}`);
    await page.context().close();
  });
}
