// A problem's 办理记录 and the audit log in a real browser at desktop and
// phone width: both pass axe-core's WCAG 2.1 A/AA rules, fit a phone
// screen, and read in Chinese (screenshots in build/screenshots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from '../server/harness.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser, problem;
before(async () => {
  srv = await startServer();
  browser = await launch();
  const r = await fetch(srv.url + '/api/v1/problems?state=published&per_page=1');
  problem = (await r.json()).items[0];
  // After the demo's own steps (出卷, 遴选 and 发榜 in December 2021, see
  // demo.h), a later history put in by hand: a return with a reason.
  const rows = [
    ['anonymous', 'problem.propose_public', { title: problem.title, category: problem.category }],
    ['admin', 'problem.return', { from: 'proposed', to: 'proposed', reason: '请补充涉及的村庄名单和现有管网长度' }],
    ['admin', 'problem.select', { from: 'proposed', to: 'selected' }],
    ['admin', 'problem.publish', { from: 'selected', to: 'published', publication_id: 1, round: 2 }],
  ];
  rows.forEach(([actor, action, after], i) => sql(srv.store, 'INSERT INTO audit_event (tenant_id, id, at, actor, action,' +
    ` object_type, object_id, after_json, client_addr, outcome) VALUES (1, ${900001 + i}, ${1650000000 + i * 86400},` +
    ` '${actor}', '${action}', 'problem', ${problem.id}, '${JSON.stringify(after)}', '10.1.2.3', 'ok')`));
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`a visitor reads how a problem was handled (${size})`, async () => {
    const page = await open(browser, viewport);
    await page.goto(`${srv.url}/problems/${problem.id}`);
    const history = page.getByRole('region', { name: '办理记录' });
    const items = history.getByRole('listitem');
    const demoSteps = 3;
    assert.equal(await items.count(), demoSteps + 4);
    assert.match(await items.nth(0).innerText(), /2021-12-\d\d[\s\S]*提出难题/);
    assert.match(await items.nth(2).innerText(), /由“已遴选”变为“待揭榜”；第1轮发榜/);
    assert.match(await items.nth(demoSteps + 1).innerText(), /退回补充[\s\S]*理由：请补充涉及的村庄名单[\s\S]*操作人：县委组织部/);
    assert.match(await items.nth(demoSteps + 3).innerText(), /由“已遴选”变为“待揭榜”；第2轮发榜/);
    assert.ok(!(await history.innerText()).includes('admin'));
    await checkA11y(page, `problem history (${size})`);
    await fitsWidth(page, `problem history (${size})`);
    await shot(page, `problem-history-${size}`);
    await page.context().close();
  });

  test(`an admin reads the audit log in words and opens an entry's stored values (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(srv.url + '/admin/audit');
    const main = await page.locator('table.audit tbody').innerText();
    assert.match(main, /登录[\s\S]*用户 #1 admin/);
    assert.ok(!main.includes('session.create') && !main.includes('{'), 'no codes or JSON until an entry is opened');
    await checkA11y(page, `audit (${size})`);
    await fitsWidth(page, `audit (${size})`);
    await shot(page, `audit-${size}`);
    const published = page.locator('table.audit tbody tr', { hasText: '发榜' }).first();
    await published.locator('summary', { hasText: '原始记录' }).click();
    assert.match(await published.innerText(), /操作代码\s*problem\.publish/);
    await checkA11y(page, `audit, an entry opened (${size})`);
    await fitsWidth(page, `audit, an entry opened (${size})`);
    await page.context().close();
  });
}
