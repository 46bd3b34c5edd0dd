// The cadre's record and promotions in the browser: a leader opens a
// cadre's record from the promotions list and its print view; an admin
// records a promotion with the person picker and a linked claim; the
// owner of an overdue claim applies for fault tolerance on the claim page
// and an admin grants it. Every page passes axe-core at desktop and phone
// width and fits the phone's width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { api, login, openSql } from '../server/accounts.mjs';
import { mkClaim, day, ymd } from '../server/claims_fixture.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser, conn, batch;
before(async () => {
  srv = await startServer({ env: { JIEBANG_TASK_PERIOD: '0' } });
  browser = await launch();
  conn = openSql(srv.store);
  const admin = await login(srv, 'admin');
  const b = await api(srv, admin, 'POST', '/api/v1/batches', { name: '浏览器容错批次', year: 2027, phase: 'working' });
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
  test(`a leader opens a cadre's record from the promotions list, and its print view (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'leader');
    await page.goto(`${srv.url}/promotions`);
    await look(page, `promotions (${size})`, `promotions-leader-${size}`);
    await page.getByRole('link', { name: '王广宁' }).first().click();
    await page.waitForURL(/\/people\/102\/record$/);
    assert.match(await page.locator('h1').innerText(), /干部实绩档案：王广宁/);
    assert.match(await page.locator('.summary').innerText(), /^揭榜 \d+ 项，已验收 \d+ 项/);
    await look(page, `record (${size})`, `record-${size}`);
    await page.getByRole('link', { name: '打印版（A4）' }).click();
    await page.waitForURL(/\/record\/print$/);
    await look(page, `record print (${size})`, `record-print-${size}`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.top').isVisible(), false, 'the site header is not printed');
    await page.close();
  });

  test(`an admin records a promotion with the picker and a linked claim (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(`${srv.url}/promotions#new`);
    await page.getByLabel('姓名').fill('王广宁');
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByRole('radio', { name: /王广宁/ }).first().check();
    await page.getByRole('button', { name: '列出揭榜' }).click();
    await page.getByRole('checkbox', { name: /城区空中缆线/ }).check();
    const f = page.locator('form.promotion-form');
    await f.getByLabel(/^日期/).fill(ymd(day(-1)));
    await f.getByLabel('类别').selectOption('promoted');
    await f.getByLabel('原任职务').fill('县委宣传部科员');
    await f.getByLabel(/^新任职务/).fill(`县委宣传部副部长（${size}）`);
    await f.getByLabel('文号').fill(`滦组干〔2023〕${size === 'phone' ? 8 : 7}号`);
    await page.locator('#new').scrollIntoViewIfNeeded();
    await look(page, `promotion form (${size})`, `promotion-form-${size}`);
    await page.getByRole('button', { name: '记录', exact: true }).click();
    await page.waitForURL(/\/promotions\?done=1&person=102$/);
    assert.match(await page.locator('table').innerText(), new RegExp(`县委宣传部副部长（${size}）`));
    await look(page, `promotions after (${size})`, `promotions-admin-${size}`);
    await page.close();
  });

  test(`the owner applies for fault tolerance and an admin grants it (${size})`, async () => {
    const c = await mkClaim(conn, { batch, owner: 102, lead: 103, deadline: day(-5), title: `农村污水治理（${size}）` });
    const page = await open(browser, viewport);
    await logIn(page, srv, 'cadre');
    await page.goto(`${srv.url}/claims/${c.claim}`);
    await page.getByLabel(/^申请理由/).fill('上级规划调整，管网走向需重新审批。');
    await page.getByLabel(/^已采取的措施/).fill('三次协调规划部门，已完成新方案设计。');
    await page.locator('#tol-h').scrollIntoViewIfNeeded();
    await look(page, `tolerance form (${size})`, `tolerance-apply-${size}`);
    await page.getByRole('button', { name: '申请容错' }).click();
    await page.waitForURL(new RegExp(`/claims/${c.claim}#tol-h$`));
    await page.close();

    const admin = await open(browser, viewport);
    await logIn(admin, srv, 'admin');
    await admin.goto(`${srv.url}/claims/${c.claim}`);
    await admin.getByLabel('认定结果').selectOption('granted');
    await admin.getByLabel(/^认定依据/).fill('属于先行先试中出现的失误，符合“三个区分开来”，予以容错。');
    await admin.getByRole('button', { name: '提交认定' }).click();
    await admin.waitForURL(new RegExp(`/claims/${c.claim}#tol-h$`));
    assert.match(await admin.locator('section.tolerance').innerText(), /已容错/);
    await admin.locator('#tol-h').scrollIntoViewIfNeeded();
    await look(admin, `tolerance decided (${size})`, `tolerance-decided-${size}`);
    await admin.goto(`${srv.url}/people/102/record`);
    assert.match(await admin.locator('.summary').innerText(), /容错 \d+ 项/);
    await admin.close();
  });
}
