// The complaint and suggestion channel in the browser: a resident finds the
// form from the footer, fixes a mistake, keeps the reference number, and
// after an admin answers from the queue, looks the answer up; a signed-in
// cadre reads the answer under "我的投诉建议". Every page passes axe-core at
// desktop and phone width and fits the phone's width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
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

// The admin answers the complaint with subject in the queue.
async function answer(viewport, size, subject, text) {
  const page = await open(browser, viewport);
  await logIn(page, srv, 'admin');
  await page.getByText('管理', { exact: true }).click(); // the header's 管理 menu
  await page.getByRole('link', { name: '投诉建议处理' }).click();
  await page.waitForURL(/\/admin\/feedback$/);
  await look(page, `queue (${size})`, `feedback-queue-${size}`);
  await page.getByRole('link', { name: '待答复', exact: false }).first().click();
  await page.waitForURL(/state=open/);
  await page.getByRole('link', { name: subject }).click();
  await page.waitForURL(/\/admin\/feedback\/\d+$/);
  await page.getByLabel('答复内容').fill(text);
  await page.getByRole('button', { name: '提交答复' }).click();
  await page.waitForURL(/answered=1/);
  assert.match(await page.locator('[role="status"]').innerText(), /答复已保存/);
  await look(page, `answered item (${size})`, `feedback-item-${size}`);
  await page.context().close();
}

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`a resident sends a complaint and looks the answer up with the reference number (${size})`, async () => {
    const page = await open(browser, viewport);
    await page.goto(srv.url + '/');
    await page.locator('footer').getByRole('link', { name: '投诉建议' }).click();
    await page.waitForURL(/\/feedback$/);
    await look(page, `form (${size})`, `feedback-form-${size}`);
    const subject = `小区门口积水（${size}）`;
    await page.getByLabel('类型').selectOption('complaint');
    await page.getByLabel('主题').fill('积');  // too short
    await page.getByLabel('内容').fill('下雨后小区门口积水很深。\n老人出行困难。');
    await page.getByLabel('联系方式').fill('13900002222');
    await page.getByRole('button', { name: '提交' }).click();
    await page.waitForSelector('.form-errors');
    assert.match(await page.locator('.field-error').first().innerText(), /主题至少 2 个字/);
    assert.equal(await page.getByLabel('内容').inputValue(), '下雨后小区门口积水很深。\n老人出行困难。', 'what was typed is kept');
    await look(page, `form with errors (${size})`, `feedback-errors-${size}`);
    await page.getByLabel('主题').fill(subject);
    await page.getByRole('button', { name: '提交' }).click();
    await page.waitForURL(/\/feedback\?sent=/);
    const ref = await page.locator('.secret code').innerText();
    assert.match(ref, /^TS\d{8}-[2-9A-HJ-NP-Z]{8}$/);
    assert.match(await page.locator('main').innerText(), /请保存此编号，凭编号查询答复/);
    await look(page, `sent (${size})`, `feedback-sent-${size}`);
    // Not answered yet.
    await page.getByRole('link', { name: '查询答复' }).click();
    await page.waitForURL(/\/feedback\/lookup\?ref=/);
    assert.match(await page.locator('main').innerText(), /尚未答复/);
    await answer(viewport, size, subject, '已联系物业疏通排水口。\n如仍有积水请再反映。');
    // Later, typing the number into the lookup form.
    await page.goto(srv.url + '/feedback/lookup');
    await page.getByLabel('查询编号').fill(ref.toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/ref=/);
    const text = await page.locator('main').innerText();
    assert.match(text, new RegExp(subject.replace(/[()（）]/g, '.')));
    assert.match(text, /已联系物业疏通排水口。/);
    assert.doesNotMatch(text, /13900002222/, 'the contact is for admins only');
    await look(page, `lookup with the answer (${size})`, `feedback-lookup-${size}`);
    await page.context().close();
  });

  test(`a signed-in cadre reads the answer under 我的投诉建议 (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'cadre');
    await page.goto(srv.url + '/feedback');
    assert.equal(await page.getByLabel('联系方式').count(), 0, 'no contact field when signed in');
    const subject = `建议增加夜间公交（${size}）`;
    await page.getByLabel('类型').selectOption('suggestion');
    await page.getByLabel('主题').fill(subject);
    await page.getByLabel('内容').fill('晚上九点后没有公交车，建议增开夜班线路。');
    await page.getByRole('button', { name: '提交' }).click();
    await page.waitForURL(/\/feedback\?sent=/);
    await answer(viewport, size, subject, '已转交县交通运输局研究。');
    await page.getByRole('link', { name: '我的投诉建议' }).click();
    await page.waitForURL(/\/me\/feedback$/);
    assert.match(await page.locator('main').innerText(), /已转交县交通运输局研究。/);
    await look(page, `my feedback (${size})`, `feedback-mine-${size}`);
    await page.context().close();
  });
}
