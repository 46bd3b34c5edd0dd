// Setting up the evaluation in the browser: an admin edits a batch's rubric (a weights' mistake
// shown beside the form with what was typed, then saved), marks a working
// claim red at its mid-term review (a missing note refused, then saved),
// and opens an accepted claim's certificate. Every page passes axe-core at
// desktop and phone width; screenshots in build/screenshots/. The forms
// need no script: the last test fills both with scripts off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from '../server/harness.mjs';
import { launch, open, logIn, checkA11y, shot, readableAtWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser, batch, claim, accepted;
before(async () => {
  srv = await startServer();
  browser = await launch();
  batch = +sql(srv.store, "SELECT min(id) FROM batch").trim();
  claim = +sql(srv.store, "SELECT min(id) FROM claim WHERE state = 'signed'").trim();
  // The accept verb is another branch's: a fixture stands for what it writes.
  accepted = +sql(srv.store, "SELECT min(id) FROM claim WHERE state = 'solved'").trim();
  sql(srv.store, `UPDATE claim SET state = 'accepted', score = 8675, grade = 'good', evaluated_at = 1671523200 WHERE id = ${accepted}`);
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`an admin edits a batch's rubric, fixing the weights on the way (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(`${srv.url}/admin/batches/${batch}`);
    await page.getByRole('link', { name: '考评验收' }).click();
    await page.waitForURL(new RegExp(`/batches/${batch}/rubric`));
    await checkA11y(page, `rubric (${size})`);
    await readableAtWidth(page, `rubric (${size})`);
    await shot(page, `rubric-${size}`);
    const row = (i) => page.locator('fieldset.criterion').nth(i);
    assert.equal(await page.locator('fieldset.criterion').count(), 6, 'the current four and two empty');
    for (const [i, w] of [50, 30, 15, 15].entries()) await row(i).getByLabel('权重').fill(String(w)); // 110
    await row(4).getByLabel('名称', { exact: true }).fill(`附加项${size}`);
    await row(4).getByLabel('权重').fill('5');
    await row(4).getByLabel('满分（分）').fill('10');
    await page.getByRole('button', { name: '保存评分标准' }).click();
    await page.waitForSelector('.form-errors');
    assert.match(await page.locator('.field-error').first().innerText(), /权重/);
    assert.equal(await row(4).getByLabel('名称', { exact: true }).inputValue(), `附加项${size}`, 'what was typed is kept');
    await checkA11y(page, `rubric with errors (${size})`);
    await readableAtWidth(page, `rubric with errors (${size})`);
    await shot(page, `rubric-errors-${size}`);
    await row(4).getByLabel('名称', { exact: true }).fill('');
    await row(4).getByLabel('权重').fill('');
    await row(4).getByLabel('满分（分）').fill('');
    await row(1).getByLabel('权重').fill('20');
    await row(0).getByLabel(/^分档/).fill('全面完成=100\n完成九成以上=92.5\n完成不足=0');
    await page.getByRole('button', { name: '保存评分标准' }).click();
    await page.waitForURL(/done=1/);
    assert.match(await page.locator('.notice').first().innerText(), /评分标准已保存/);
    assert.match(await page.locator('table').innerText(), /完成九成以上 92.5 分/);
    await checkA11y(page, `rubric saved (${size})`);
    await shot(page, `rubric-saved-${size}`);
  });

  test(`an admin marks a working claim red at the mid-term review (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(`${srv.url}/claims/${claim}`);
    await page.getByText('标记或清除风险').click();
    await page.getByLabel('风险等级').selectOption('red');
    await page.getByLabel(/^风险说明/).fill('');
    await page.getByRole('button', { name: '保存风险标记' }).click();
    await page.waitForSelector('.form-errors');
    assert.match(await page.locator('.field-error').first().innerText(), /请填写风险说明/);
    assert.equal(await page.getByLabel('风险等级').inputValue(), 'red', 'what was chosen is kept');
    await checkA11y(page, `risk form with errors (${size})`);
    await readableAtWidth(page, `risk form with errors (${size})`);
    await shot(page, `risk-errors-${size}`);
    await page.getByLabel(/^风险说明/).fill(`节点滞后两个月，资金尚未到位（${size}）`);
    await page.getByRole('button', { name: '保存风险标记' }).click();
    await page.waitForURL(/done=risk/);
    assert.match(await page.locator('.notice').first().innerText(), /风险标记已保存/);
    assert.match(await page.locator('.badges .light').innerText(), /逾期/);
    assert.match(await page.locator('#risk-h + dl').innerText(), /红灯（风险较大）[\s\S]*资金尚未到位/);
    await checkA11y(page, `claim at risk (${size})`);
    await readableAtWidth(page, `claim at risk (${size})`);
    await shot(page, `risk-claim-${size}`);
  });

  test(`the acceptance certificate prints on A4 and reads at ${size} width`, async () => {
    const page = await open(browser, viewport);
    await page.goto(`${srv.url}/claims/${accepted}`);
    await page.getByRole('link', { name: '查看和打印验收证书' }).click();
    await page.waitForURL(/\/certificate$/);
    assert.match(await page.locator('h1').innerText(), /验收证书/);
    assert.match(await page.locator('.certificate-doc').innerText(), /良好[\s\S]*86.75 分/);
    await checkA11y(page, `certificate (${size})`);
    await readableAtWidth(page, `certificate (${size})`);
    await shot(page, `certificate-${size}`);
    if (size === 'desktop') {
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('header.top').isVisible(), false, 'the site header is not printed');
      await shot(page, 'certificate-print');
    }
  });
}

test('both forms work without scripts', async () => {
  const page = await open(browser, DESKTOP, { javaScriptEnabled: false });
  await logIn(page, srv, 'admin');
  await page.goto(`${srv.url}/batches/${batch}/rubric?stage=midterm`);
  const row = (i) => page.locator('fieldset.criterion').nth(i);
  await row(0).getByLabel('权重').fill('70');
  await row(1).getByLabel('权重').fill('30');
  await page.getByRole('button', { name: '保存评分标准' }).click();
  await page.waitForURL(/stage=midterm&done=1/);
  assert.match(await page.locator('table').innerText(), /70/);
  await page.goto(`${srv.url}/claims/${claim}`);
  await page.getByText('标记或清除风险').click();
  await page.getByLabel('风险等级').selectOption('');
  await page.getByRole('button', { name: '保存风险标记' }).click();
  await page.waitForURL(/done=risk/);
  assert.match(await page.locator('#risk-h + dl').innerText(), /风险标记\s*无/);
});
