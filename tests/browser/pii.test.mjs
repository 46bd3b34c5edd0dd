// 个人信息查询 in a real browser, at desktop and phone width: the admin
// types a resident's phone, the search (a POST, nothing in the address)
// lists the records holding it with the export and erase buttons; the page
// passes axe-core's WCAG 2.1 A/AA rules and fits a phone screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from '../server/harness.mjs';
import { launch, open, checkA11y, shot, fitsWidth, logIn, DESKTOP, PHONE } from './browser.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
  sql(srv.store, "UPDATE problem SET contact_name = '孙阿姨', contact_phone = '139 1111 2222', contact_erased_at = NULL" +
    ' WHERE id = (SELECT min(id) FROM problem WHERE proposer_user_id IS NULL)');
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`an admin finds a resident's records by phone (${name})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(srv.url + '/admin/personal-data');
    await checkA11y(page, `personal data, empty (${name})`);
    await page.getByLabel('姓名、称呼或联系方式').fill('13911112222');
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByText('找到 1 条记录').waitFor();
    assert.ok(!page.url().includes('1391111'), 'the phone stays out of the address');
    assert.ok(await page.getByRole('button', { name: '导出这些记录（JSON）' }).isVisible());
    assert.ok(await page.getByRole('button', { name: '删除其中的个人信息' }).isVisible());
    await checkA11y(page, `personal data, found (${name})`);
    await fitsWidth(page, `personal data (${name})`);
    await shot(page, `pii-found-${name}`);
    await page.context().close();
  });
}
