// The admin pages in a real browser at desktop and phone width: the user
// list with its create form and one user's page render, pass axe-core's
// WCAG 2.1 A/AA rules, fit a phone screen, and the role checkboxes sit in
// a row beside their labels; disabling an account asks first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { cliAdd } from '../server/accounts.mjs';
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

// Each role checkbox is left of its label text, on the same line.
async function checkboxesBesideLabels(page, label) {
  const boxes = await page.locator('label.check:has(input[name="role"])').evaluateAll((els) => els.map((l) => {
    const box = l.querySelector('input').getBoundingClientRect(), all = l.getBoundingClientRect();
    return { left: box.left - all.left, middle: box.top + box.height / 2 - (all.top + all.height / 2), height: all.height };
  }));
  assert.ok(boxes.length >= 5, `${label}: the role checkboxes are there`);
  for (const b of boxes) {
    assert.ok(b.left < 2, `${label}: a checkbox starts its label (${b.left} px in)`);
    assert.ok(Math.abs(b.middle) < 4, `${label}: a checkbox is level with its text`);
    assert.ok(b.height < 40, `${label}: a checkbox label is one line (${b.height} px)`);
  }
}

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`the admin reads the user list and a user's page (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(srv.url + '/admin/users');
    await checkA11y(page, `users (${size})`);
    await fitsWidth(page, `users (${size})`);
    await checkboxesBesideLabels(page, `users (${size})`);
    await shot(page, `users-${size}`);

    await page.getByRole('link', { name: 'cadre', exact: true }).click();
    await page.waitForURL(/\/admin\/users\/\d+$/);
    await checkA11y(page, `user (${size})`);
    await fitsWidth(page, `user (${size})`);
    await checkboxesBesideLabels(page, `user (${size})`);
    await shot(page, `user-${size}`);
    await page.context().close();
  });
}

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`disabling an account asks first; cancel keeps it, the red button disables it (${size})`, async () => {
    const { id } = cliAdd(srv, `leaving-${size}`, ['--role', 'cadre', '--unit', '6']);
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(`${srv.url}/admin/users/${id}`);
    const danger = page.getByRole('button', { name: '停用账号' });
    const colour = await danger.evaluate((e) => getComputedStyle(e).color);
    assert.notEqual(colour, await page.getByRole('button', { name: '保存角色' }).evaluate((e) => getComputedStyle(e).color),
      'the dangerous button does not look like Save');
    await danger.click();
    await page.waitForURL(/\/disable$/);
    assert.match(await page.locator('main').innerText(), new RegExp(`确定要停用账号 leaving-${size} 吗？`));
    await checkA11y(page, `confirm disable (${size})`);
    await fitsWidth(page, `confirm disable (${size})`);
    await shot(page, `confirm-disable-${size}`);
    await page.getByRole('link', { name: '取消' }).click();
    await page.waitForURL(new RegExp(`/admin/users/${id}$`));
    assert.doesNotMatch(await page.locator('.facts').innerText(), /已停用/);

    await page.getByRole('button', { name: '停用账号' }).click();
    await page.waitForURL(/\/disable$/);
    await page.getByRole('button', { name: '停用账号' }).click();
    await page.waitForURL(new RegExp(`/admin/users/${id}$`));
    assert.match(await page.locator('.facts').innerText(), /已停用/);
    await page.context().close();
  });
}

// The person picker: without scripts 查找 re-renders the page with the
// people found; with picker.js the list follows the name as it is typed,
// without leaving the page. Either way the chosen person is saved.
for (const js of [false, true]) {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const how = js ? 'as one types' : 'without scripts';
    test(`the admin links an account to a person found by name ${how} (${size})`, async () => {
      const { id } = cliAdd(srv, `link-${js ? 'js' : 'nojs'}-${size}`, ['--role', 'cadre', '--unit', '6']);
      const page = await open(browser, viewport, { javaScriptEnabled: js });
      await logIn(page, srv, 'admin');
      await page.goto(`${srv.url}/admin/users/${id}`);
      const picker = page.getByRole('group', { name: '人员（可选）' });
      await picker.getByLabel('姓名').fill('王广');
      if (js) {
        await picker.getByRole('radio', { name: /王广宁/ }).waitFor();
        assert.doesNotMatch(page.url(), /person_q/, 'the page was not reloaded');
        assert.match(await picker.getByRole('status').innerText(), /找到 1 人/);
        // Another unit: the list follows the select too.
        await picker.getByLabel('所在单位').selectOption({ label: '县财政局' });
        await picker.getByText('没有找到符合条件的人员。').waitFor();
        await picker.getByLabel('所在单位').selectOption({ label: '全部单位' });
        await picker.getByRole('radio', { name: /王广宁/ }).waitFor();
      } else {
        await picker.getByRole('button', { name: '查找' }).click();
        await page.waitForURL(/person_q=/);
        assert.match(page.url(), /#person-picker$/);
      }
      if (js) {
        await checkA11y(page, `picker ${how} (${size})`);
      } else {
        // axe-core needs scripts: check the page the search gave in a
        // browser that has them.
        const checker = await open(browser, viewport);
        await logIn(checker, srv, 'admin');
        await checker.goto(page.url());
        await checkA11y(checker, `picker ${how} (${size})`);
        await checker.context().close();
      }
      await fitsWidth(page, `picker ${how} (${size})`);
      await shot(page, `picker-${js ? 'js' : 'nojs'}-${size}`);
      await picker.getByRole('radio', { name: /王广宁/ }).check();
      await page.getByRole('button', { name: '保存关联' }).click();
      await page.waitForURL(new RegExp(`/admin/users/${id}$`));
      assert.match(await page.locator('.facts').innerText(), /王广宁/);
      assert.ok(await page.getByRole('radio', { name: /王广宁.*（当前）/ }).isChecked());
      await page.context().close();
    });
  }
}

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`revoking one's own API token asks first, then the account page says it is revoked (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'cadre');
    await page.goto(srv.url + '/account');
    await page.getByLabel('新令牌名称').fill(`sync-${size}`);
    await page.getByRole('button', { name: '创建令牌' }).click();
    await page.getByRole('link', { name: '返回我的账号' }).click();
    await checkA11y(page, `account with a token (${size})`);
    await shot(page, `account-${size}`);
    await page.getByRole('row', { name: new RegExp(`sync-${size}`) }).getByRole('button', { name: '撤销' }).click();
    await page.waitForURL(/\/revoke$/);
    assert.match(await page.locator('main').innerText(), new RegExp(`确定要撤销 API 令牌 sync-${size} 吗？`));
    await checkA11y(page, `confirm revoke (${size})`);
    await fitsWidth(page, `confirm revoke (${size})`);
    await shot(page, `confirm-revoke-${size}`);
    await page.getByRole('button', { name: '撤销令牌' }).click();
    await page.waitForURL(/\/account\?revoked=1$/);
    assert.match(await page.getByRole('row', { name: new RegExp(`sync-${size}`) }).innerText(), /已撤销/);
    await page.context().close();
  });
}
