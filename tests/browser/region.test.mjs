// Many counties in the browser: the operator creates a city through 地区管理
// (the admin's one-time password shown once), puts the demo county under
// it with the edit form, and the city's leader reads 辖区汇总. Every page
// passes axe-core and fits the phone; screenshots at desktop and phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { login, api, cliAdd, freshUser } from '../server/accounts.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser, opPw, bossPw;
before(async () => {
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } });
  browser = await launch();
  opPw = (await freshUser(srv, 'op', ['operator'])).password;
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

test('the operator creates a city and puts the county under it (desktop)', async () => {
  const page = await open(browser, DESKTOP);
  await logIn(page, srv, 'op', opPw);
  await page.getByText('管理', { exact: true }).click();
  await page.getByRole('link', { name: '地区管理' }).click();
  await page.waitForURL(/\/ops\/tenants$/);
  assert.ok(await page.locator('table').getByRole('link', { name: '滦南县' }).isVisible());
  await look(page, 'tenants (desktop)', 'tenants-desktop');
  await page.getByRole('link', { name: '新建地区' }).click();
  await page.getByLabel(/^名称/).fill('唐山市');
  await page.getByLabel(/^简称/).fill('luannan'); // taken: the server refuses it
  await page.getByRole('button', { name: '创建地区和它的管理员' }).click();
  assert.match(await page.locator('.form-errors').textContent(), /1 处需要修改/);
  assert.ok(await page.getByText('这个简称已被使用').isVisible(), 'the message beside the field');
  assert.equal(await page.getByLabel(/^简称/).inputValue(), 'luannan', 'what was typed is kept');
  assert.equal(await page.getByLabel(/^名称/).inputValue(), '唐山市');
  await look(page, 'tenant form with an error (desktop)', 'tenant-new-error-desktop');
  await page.getByLabel(/^简称/).fill('tangshan');
  await page.getByRole('button', { name: '创建地区和它的管理员' }).click();
  await page.waitForSelector('text=地区已创建');
  assert.match(await page.locator('p.secret code').textContent(), /^\S{16}$/);
  await look(page, 'tenant created (desktop)', 'tenant-created-desktop');
  await page.goto(`${srv.url}/ops/tenants/1`);
  await page.getByLabel('上级地区').selectOption({ label: '唐山市' });
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForURL(/saved=1/);
  assert.ok(await page.getByText('已保存。').isVisible());
  await look(page, 'tenant edit (desktop)', 'tenant-edit-desktop');
  await page.close();
  const { password } = cliAdd(srv, 'boss', ['--role', 'leader', '--tenant', 'tangshan']);
  const s = await login(srv, 'boss', password, { base: '/t/tangshan' });
  bossPw = `a city leader reads the region ${Date.now()}`;
  assert.equal((await api(srv, s, 'POST', '/api/v1/me/password', { current_password: password, new_password: bossPw })).status, 200);
});

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`the city's leader reads 辖区汇总 (${size})`, async () => {
    assert.ok(bossPw, 'the city was made by the test before');
    const page = await open(browser, viewport);
    await logIn(page, srv, 'boss', bossPw, '/t/tangshan');
    await page.getByText('管理', { exact: true }).click();
    await page.getByRole('link', { name: '辖区汇总' }).click();
    await page.waitForURL(/\/region$/);
    assert.ok(await page.locator('table').getByRole('link', { name: '滦南县' }).isVisible());
    assert.match(await page.locator('tfoot').textContent(), /合计/);
    await look(page, `region (${size})`, `region-${size}`);
    await page.close();
  });
}

test('the operator\'s tenant list fits the phone', async () => {
  const page = await open(browser, PHONE);
  await logIn(page, srv, 'op', opPw);
  await page.goto(`${srv.url}/ops/tenants`);
  await look(page, 'tenants (phone)', 'tenants-phone');
  await page.goto(`${srv.url}/ops/tenants/new`);
  await look(page, 'tenant form (phone)', 'tenant-new-phone');
  await page.close();
});
