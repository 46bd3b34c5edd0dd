// Two-factor enrolment in a real browser, at desktop and phone width: the
// account page's 两步验证 section, the QR code page (an SVG with its title,
// the key for typing) and the recovery codes pass axe-core's WCAG 2.1 A/AA
// rules and fit a phone screen; the code typed in the form turns it on;
// the next log-in asks for a code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer } from '../server/harness.mjs';
import { launch, open, checkA11y, shot, fitsWidth, logIn, DESKTOP, PHONE } from './browser.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

function totp(b32) {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, v = 0;
  const key = [];
  for (const c of b32) { v = ((v << 5) | A.indexOf(c)) & 0xffff; bits += 5; if (bits >= 8) { key.push((v >> (bits - 8)) & 255); bits -= 8; } }
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30e3)));
  const h = createHmac('sha1', Buffer.from(key)).update(msg).digest();
  const o = h[19] & 15;
  return String((((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1e6).padStart(6, '0');
}

for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`enrolling in two-factor log-in (${name})`, async () => {
    const page = await open(browser, viewport);
    const who = name === 'desktop' ? 'evaluator' : 'leader';
    await logIn(page, srv, who);
    await page.goto(srv.url + '/account');
    await checkA11y(page, `${name} account`);
    await page.getByRole('button', { name: '启用两步验证' }).click();
    await page.waitForSelector('svg.qr');
    const box = await page.locator('svg.qr').boundingBox();
    assert.ok(box.width >= 150 && box.width <= viewport.width, `the QR code is ${box.width} px wide`);
    assert.match(await page.getByRole('img').first().getAttribute('aria-labelledby'), /qr-title/);
    await checkA11y(page, `${name} enrolment`);
    await fitsWidth(page, `${name} enrolment`);
    if (name === 'desktop') await shot(page, 'totp-enrol');
    const secret = (await page.locator('#totp-secret').textContent()).replace(/ /g, '');
    await page.getByLabel('验证码').fill(totp(secret));
    await page.getByRole('button', { name: '确认启用' }).click();
    await page.waitForSelector('ul.recovery-codes');
    assert.equal(await page.locator('ul.recovery-codes li').count(), 10);
    await checkA11y(page, `${name} recovery codes`);
    await fitsWidth(page, `${name} recovery codes`);
    // the next log-in asks for the code
    const again = await open(browser, viewport);
    await again.goto(srv.url + '/login');
    await again.getByLabel('登录名').fill(who);
    await again.getByLabel('密码').fill('jiebang-demo');
    await again.getByRole('button', { name: '登录' }).click();
    await again.waitForURL((u) => u.pathname === '/login/totp');
    await checkA11y(again, `${name} second step`);
    if (name === 'desktop') await shot(again, 'totp-login');
  });
}
