// 我的工作 and comments in the browser: the cadre finds "我的工作" in the
// header, answers a supervision notice from there, opens its problem and
// writes a comment in the thread; the admin sees the extension to decide
// and approves it. Every page passes axe-core at desktop and phone width
// and fits the phone's width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { api, login, openSql } from '../server/accounts.mjs';
import { mkClaim, day, ymd } from '../server/claims_fixture.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser, conn, batch, admin, cadre;
before(async () => {
  srv = await startServer({ env: { JIEBANG_TASK_PERIOD: '0' } });
  browser = await launch();
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  cadre = await login(srv, 'cadre');
  const b = await api(srv, admin, 'POST', '/api/v1/batches', { name: '浏览器督办批次', year: 2027, phase: 'working' });
  batch = b.json().batch.id;
});
after(async () => {
  conn?.close();
  await browser?.close();
  await srv?.stop();
});

async function look(page, label, name) {
  await checkA11y(page, label);
  await fitsWidth(page, label);
  await shot(page, name);
}

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`the cadre answers a notice from 我的工作 and comments on the problem (${size})`, async () => {
    const c = await mkClaim(conn, { batch, owner: 102, lead: 103, milestoneDue: day(-2), title: `背街小巷改造（${size}）` });
    const s = await api(srv, admin, 'POST', `/api/v1/claims/${c.claim}/supervisions`, { reason: '“完成方案”节点已逾期，请说明原因和赶工安排。', reply_by: ymd(day(3)) });
    assert.equal(s.status, 201, s.text);
    const e = await api(srv, cadre, 'POST', `/api/v1/claims/${c.claim}/extend`, { reason: '方案需要征求居民意见。', new_deadline: ymd(day(60)) });
    assert.equal(e.status, 201, e.text);

    const page = await open(browser, viewport);
    await logIn(page, srv, 'cadre');
    await page.getByRole('link', { name: '我的工作' }).click();
    await page.waitForURL(/\/me\/work$/);
    await look(page, `my work (${size})`, `work-cadre-${size}`);
    await page.locator('summary', { hasText: '答复' }).first().click();
    await page.getByLabel(/答复 督〔/).first().fill('已调整施工计划，本月底前完成方案。');
    await page.getByRole('button', { name: '提交答复' }).first().click();
    await page.waitForURL(/\/me\/work\?done=1$/);
    assert.match(await page.locator('[role="status"]').innerText(), /已提交/);

    await page.goto(`${srv.url}/problems/${c.problem}`);
    await page.getByLabel(/发表意见/).fill('<b>请住建局</b>协调管线迁改。');
    await page.getByRole('button', { name: '发表意见' }).click();
    await page.waitForURL(new RegExp(`/problems/${c.problem}#comments$`));
    assert.match(await page.locator('#comments').innerText(), /<b>请住建局<\/b>协调管线迁改/);
    await page.locator('#comments').scrollIntoViewIfNeeded();
    await look(page, `comments (${size})`, `comments-${size}`);
    await page.context().close();

    const adm = await open(browser, viewport);
    await logIn(adm, srv, 'admin');
    await adm.goto(srv.url + '/me/work');
    await look(adm, `admin's work (${size})`, `work-admin-${size}`);
    await adm.getByRole('button', { name: '同意延期' }).first().click();
    await adm.waitForURL(/\/me\/work\?done=1$/);
    assert.equal((await conn.query(`SELECT deadline FROM claim WHERE id = ${c.claim}`)).trim(), String(day(60)));
    await adm.goto(`${srv.url}/claims/${c.claim}/supervisions/new`);
    await look(adm, `supervise form (${size})`, `supervise-form-${size}`);
    await adm.context().close();
  });
}
