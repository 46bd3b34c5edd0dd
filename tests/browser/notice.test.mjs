// Public notices (公示) in the browser: the admin publishes a notice of the
// demo's promotions from /admin/notices, a resident reads it from the
// public list and lodges an objection (refused first without a real name,
// what was typed kept), the public page then shows only the count, and the
// admin answers it from the notice's admin view; the working-day calendar
// of 2025 as a month grid. Every page passes axe-core and fits the screen
// at desktop and phone width; the screenshots are in build/screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser;
before(async () => {
  srv = await startServer({ env: { JIEBANG_TASK_PERIOD: '0' } });
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

// The admin publishes a promotions notice of the 2022 batch for these people; its id.
async function publish(viewport, size, people, title) {
  const page = await open(browser, viewport);
  await logIn(page, srv, 'admin');
  await page.goto(srv.url + '/admin/notices');
  await look(page, `admin list (${size})`, `notice-admin-list-${size}`);
  await page.getByRole('listitem').filter({ hasText: '2022年第一批' }).getByRole('link', { name: '公示提拔使用' }).click();
  await page.waitForURL(/\/admin\/notices\/new\?/);
  await page.getByLabel('公示标题').fill(title);
  for (const who of people) await page.getByLabel(who, { exact: false }).check();
  await look(page, `new notice (${size})`, `notice-new-${size}`);
  await page.getByRole('button', { name: '发布公示' }).click();
  await page.waitForURL(/\/admin\/notices\/\d+\?created=1/);
  assert.match(await page.locator('[role="status"]').innerText(), /公示已发布/);
  const id = +new URL(page.url()).pathname.split('/').pop();
  await page.context().close();
  return id;
}

async function answer(viewport, size, id) {
  const page = await open(browser, viewport);
  await logIn(page, srv, 'admin');
  await page.goto(`${srv.url}/admin/notices/${id}`);
  const text = await page.locator('main').innerText();
  assert.match(text, /13900001111/, 'the admin sees the contact');
  assert.match(text, /异议 #\d+（待答复）/);
  await look(page, `admin view (${size})`, `notice-admin-${size}`);
  await page.getByLabel('核查结论').selectOption('dismissed');
  await page.getByLabel('答复内容', { exact: false }).fill('经核实，该同志当日在防汛一线值守，异议反映的情况不属实。');
  await page.getByRole('button', { name: '提交答复' }).click();
  await page.waitForURL(/answered=1/);
  assert.match(await page.locator('[role="status"]').innerText(), /答复已保存/);
  assert.match(await page.locator('main').innerText(), /核查结论：不成立/);
  await look(page, `answered (${size})`, `notice-answered-${size}`);
  await page.context().close();
}

for (const [size, viewport, people] of [['desktop', DESKTOP, ['孙彦学', '高金帆']], ['phone', PHONE, ['王广宁']]]) {
  test(`a resident objects to a public notice by real name and the admin answers (${size})`, async () => {
    const title = `2022年第一批提拔使用公示（${size}）`;
    const id = await publish(viewport, size, people, title);
    const page = await open(browser, viewport);
    await page.goto(srv.url + '/notices');
    await look(page, `public list (${size})`, `notice-list-${size}`);
    await page.getByRole('link', { name: title }).click();
    await page.waitForURL(new RegExp(`/notices/${id}$`));
    const main = await page.locator('main').innerText();
    assert.match(main, /公示期/);
    assert.match(main, /（5 个工作日）/);
    assert.match(main, /异议须署真实姓名并留下联系方式/);
    assert.match(main, new RegExp(people[0]));
    await look(page, `public notice (${size})`, `notice-public-${size}`);
    // Anonymous first: refused, beside the field, with the text kept.
    const body = `${people[0]}同志在任现职期间群众反映较多，请组织部核实。`;
    await page.getByLabel('真实姓名', { exact: false }).fill('匿名');
    await page.getByLabel('联系方式', { exact: false }).fill('13900001111');
    await page.getByLabel('针对的事项', { exact: false }).selectOption('1');
    await page.getByLabel('异议内容', { exact: false }).fill(body);
    await page.getByRole('button', { name: '提交异议' }).click();
    await page.waitForSelector('.form-errors');
    assert.match(await page.locator('.field-error').first().innerText(), /异议须实名提出/);
    assert.equal(await page.getByLabel('异议内容', { exact: false }).inputValue(), body, 'what was typed is kept');
    await look(page, `objection refused (${size})`, `notice-objection-errors-${size}`);
    await page.getByLabel('真实姓名', { exact: false }).fill('赵建国');
    await page.getByRole('button', { name: '提交异议' }).click();
    await page.waitForURL(/lodged=1/);
    assert.match(await page.locator('[role="status"]').innerText(), /您的异议已提交/);
    const after_ = await page.locator('main').innerText();
    assert.match(after_, /收到 1 条，已答复 0 条/);
    assert.ok(!after_.includes('赵建国') && !after_.includes('13900001111'), 'objections are not public');
    await look(page, `objection lodged (${size})`, `notice-lodged-${size}`);
    await answer(viewport, size, id);
    await page.reload();
    assert.match(await page.locator('main').innerText(), /收到 1 条，已答复 1 条/);
    await page.context().close();
  });

  test(`the working-day calendar shows 2025 with its holidays and make-up days in words (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(srv.url + '/calendar/2025');
    const oct = page.locator('table.month', { hasText: '2025年10月' });
    assert.equal(await oct.locator('td[title="国庆节调休"] .cal-k').innerText(), '班');
    assert.equal(await oct.locator('td.cal-off').count(), 8);
    assert.match(await page.locator('main').innerText(), /2025-10-11 调休上班（国庆节调休）/);
    assert.match(await page.locator('main').innerText(), /2025-10-01 至 2025-10-08 放假（国庆节、中秋节）/);
    await look(page, `calendar (${size})`, `calendar-2025-${size}`);
    await page.context().close();
  });
}
