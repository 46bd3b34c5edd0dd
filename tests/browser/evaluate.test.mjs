// 考评验收 in the browser on the demo: the demo evaluator finds a claim in
// 我的考评, scores it by band radios and numbers (a wrong score is shown
// beside its field, what was typed kept), sees the panel's scores once the
// other four have submitted; the admin accepts it on the batch's
// evaluation page. Every page passes axe-core at desktop and phone width,
// fits the phone's width and is photographed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { api, login, page as get } from '../server/accounts.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser, queue;
const S = {};
const OTHERS = ['evaluator2', 'evaluator3', 'evaluator4', 'evaluator5'];
const SCORES = { scores: [{ criterion: '完成情况', score: 90 }, { criterion: '工作成效', score: 88 },
  { criterion: '创新性', score: 85 }, { criterion: '可复制推广', score: 86 }] };

before(async () => {
  srv = await startServer({ env: { JIEBANG_TASK_PERIOD: '0', JIEBANG_LOGINS_PER_ADDR: '1000' } });
  browser = await launch();
  for (const l of ['evaluator', ...OTHERS]) S[l] = await login(srv, l);
  queue = (await get(srv, S.evaluator, '/api/v1/me/evaluations')).json().evaluations.filter((e) => e.state === 'pending');
  assert.ok(queue.length >= 30, `the demo evaluator is recused from few claims: ${queue.length} pending`);
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

for (const [i, [size, viewport]] of [['desktop', DESKTOP], ['phone', PHONE]].entries()) {
  test(`an evaluator scores in the browser and the admin accepts (${size})`, async () => {
    const task = queue[i];
    for (const l of OTHERS) {
      const r = await api(srv, S[l], 'POST', `/api/v1/claims/${task.claim_id}/scores`, SCORES);
      assert.equal(r.status, 201, r.text);
    }
    const page = await open(browser, viewport);
    await logIn(page, srv, 'evaluator');
    await page.goto(`${srv.url}/me/evaluations`);
    await look(page, `my evaluations (${size})`, `evaluations-queue-${size}`);
    await page.locator(`a[href$="/claims/${task.claim_id}/score?stage=final"]`).click();
    await page.waitForURL(new RegExp(`/claims/${task.claim_id}/score`));
    await look(page, `score form (${size})`, `evaluation-form-${size}`);
    await page.getByLabel(/完成 90% 以上/).check();
    await page.getByRole('group', { name: /工作成效/ }).getByLabel(/分数/).fill('92');
    await page.getByRole('group', { name: /创新性/ }).getByLabel(/分数/).fill('150');
    await page.getByRole('group', { name: /可复制推广/ }).getByLabel(/分数/).fill('85.5');
    // past the browser's own check of max, to the server's
    await page.locator('form:has(button:text("提交评分"))').evaluate((f) => { f.noValidate = true; });
    await page.getByRole('button', { name: '提交评分' }).click();
    await page.waitForLoadState();
    assert.match(await page.locator('.field-error').first().innerText(), /分数须在 0 到满分之间/);
    assert.equal(await page.getByRole('group', { name: /工作成效/ }).getByLabel(/分数/).inputValue(), '92');
    await look(page, `score form with an error (${size})`, `evaluation-form-error-${size}`);
    await page.getByRole('group', { name: /创新性/ }).getByLabel(/分数/).fill('88');
    await page.getByRole('button', { name: '提交评分' }).click();
    await page.waitForURL(/done=1/);
    assert.match(await page.locator('[role="status"]').innerText(), /评分已提交/);
    assert.match(await page.locator('#all-h').innerText(), /考评组评分/);
    await look(page, `scores after submitting (${size})`, `evaluation-done-${size}`);
    await page.close();

    const admin = await open(browser, viewport);
    await logIn(admin, srv, 'admin');
    await admin.goto(`${srv.url}/batches/1/evaluation`);
    await look(admin, `batch evaluation (${size})`, `evaluation-batch-${size}`);
    await admin.locator(`form[action$="/claims/${task.claim_id}/accept"] button`).click();
    await admin.waitForURL(/accepted=/);
    assert.match(await admin.locator('[role="status"]').first().innerText(), /已通过验收/);
    await admin.goto(`${srv.url}/claims/${task.claim_id}`);
    assert.match(await admin.locator('#eval-h').locator('..').innerText(), /良好|优秀/);
    await look(admin, `claim with its result (${size})`, `evaluation-claim-${size}`);
    await admin.close();
  });
}
