// Practices (经验做法) in the browser: a cadre writes one from the page of a
// claim it owns (fixing a mistake the form points out), an evaluator
// recommends it, an admin adopts it with 文号, 发文单位 and date, and anyone
// finds it in the public library by a 2-character search and prints it.
// Every page passes axe-core at desktop and phone width and fits the phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from '../server/harness.mjs';
import { ymd, day } from '../server/claims_fixture.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser, OWN;
before(async () => {
  srv = await startServer();
  browser = await launch();
  OWN = +sql(srv.store, "SELECT min(c.id) FROM claim c JOIN app_user u ON u.tenant_id = c.tenant_id AND u.person_id = c.owner_person_id" +
    " WHERE c.tenant_id = 1 AND u.login = 'cadre' AND c.state IN ('solved', 'accepted')").trim();
  assert.ok(OWN > 0, 'the demo cadre owns a solved claim');
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

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`a practice is written, recommended, adopted and found in the library (${size})`, async () => {
    const title = `村级矛盾调解“三步法”（${size}）`;
    // The cadre writes it from its claim.
    let page = await open(browser, viewport);
    await logIn(page, srv, 'cadre');
    await page.goto(`${srv.url}/claims/${OWN}`);
    await page.getByRole('link', { name: '总结经验做法' }).click();
    await page.waitForURL(/\/practices\/new\?claim=\d+$/);
    assert.ok(await page.getByRole('checkbox').first().isChecked(), 'the claim is preselected');
    await look(page, `form (${size})`, `practice-form-${size}`);
    await page.getByLabel('标题').fill(title);
    await page.getByLabel('主要步骤').fill('一、摸排\n二、调解\n三、回访');
    await page.getByLabel('做法概述').fill('   '); // blank, which the browser's "required" lets through
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForSelector('.form-errors');
    assert.match(await page.locator('.field-error').first().innerText(), /请填写做法概述/);
    assert.equal(await page.getByLabel('标题').inputValue(), title, 'what was typed is kept');
    await look(page, `form with an error (${size})`, `practice-form-error-${size}`);
    await page.getByLabel('做法概述').fill('以村调解委员会为主体，整合司法所、派出所力量，矛盾不出村。');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/practices\/\d+\?done=1$/);
    const path = new URL(page.url()).pathname;
    assert.match(await page.locator('.facts').innerText(), /草稿/);
    await look(page, `draft (${size})`, `practice-draft-${size}`);
    await page.context().close();

    // An evaluator recommends it.
    page = await open(browser, viewport);
    await logIn(page, srv, 'evaluator');
    await page.goto(srv.url + path);
    await page.getByRole('button', { name: '推荐（考评组）' }).click();
    await page.waitForURL(/done=1/);
    assert.match(await page.locator('.facts').innerText(), /已推荐/);
    await page.context().close();

    // An admin adopts it: a date in the future is refused beside the field.
    page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(srv.url + path);
    await page.locator('details.adopt summary').click();
    await page.getByLabel('文号').fill('X政办发〔2027〕8号');
    await page.getByLabel('发文单位').fill('X县人民政府办公室');
    await page.getByLabel('发文日期').fill(ymd(day(3)));
    await page.getByRole('button', { name: '确认转化为制度' }).click();
    await page.waitForSelector('.form-errors');
    assert.match(await page.locator('.field-error').first().innerText(), /不能晚于今天/);
    assert.equal(await page.getByLabel('文号').inputValue(), 'X政办发〔2027〕8号');
    await look(page, `adopt refused (${size})`, `practice-adopt-error-${size}`);
    await page.getByLabel('发文日期').fill(ymd(day(0)));
    await page.getByRole('button', { name: '确认转化为制度' }).click();
    await page.waitForURL(/done=1/);
    assert.match(await page.locator('.facts').innerText(), /已转化为制度[\s\S]*X政办发〔2027〕8号/);
    assert.match(await page.locator('.history').innerText(), /撰写经验做法[\s\S]*推荐经验做法[\s\S]*转化为制度/);
    await look(page, `adopted (${size})`, `practice-adopted-${size}`);
    await page.context().close();

    // Anyone finds it by a 2-character search and prints it.
    page = await open(browser, viewport);
    await page.goto(srv.url + '/practices');
    await page.getByLabel('搜索').fill('调解');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/q=/);
    const item = page.locator('article.practice-item', { hasText: title });
    assert.equal(await item.count(), 1);
    assert.match(await item.innerText(), /X县人民政府办公室/);
    await look(page, `library (${size})`, `practice-library-${size}`);
    await page.getByLabel('状态').selectOption('adopted');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/state=adopted/);
    assert.equal(await page.locator('article.practice-item', { hasText: title }).count(), 1);
    await item.getByRole('link', { name: title }).click();
    await page.getByRole('link', { name: '打印版' }).click();
    await page.waitForURL(/\/print$/);
    await look(page, `print (${size})`, `practice-print-${size}`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('header.top').isVisible(), false, 'no navigation on paper');
    await shot(page, `practice-print-paper-${size}`);
    await page.context().close();
  });
}
