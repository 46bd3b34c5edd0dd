// The claim half in a real browser (issue 9 §1-§5): a cadre applies for a
// published problem with a task force of 15 from 10 units, choosing every
// member with the person picker without scripts (查找 and 添加一行 post the
// form back, everything typed kept); the lead's own account files a
// competing application with scripts on (a row added in the page, a person
// found as the name is typed); the admin compares the two side by side and
// approves the cadre's; owner and lead each sign after the page saying what
// signing means; the pledge prints on A4 without the site's header; the
// owner reports progress and declares the problem solved; the admin returns
// it. Hostile text typed into every new field comes back as text on every
// page that shows it (no script runs, no dialog opens). Every page passes
// axe-core and is photographed at 1280 and 390 px (build/screenshots/claim-*).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { api, login, openSql, freshUser } from '../server/accounts.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, readableAtWidth, DESKTOP, PHONE } from './browser.mjs';

const DAY = 86400;
const EVIL = `<script>alert("x")</script> & 'q' "dq"`;
const ymd = (d) => new Date((Date.now() / 1000 + d * DAY + 8 * 3600) * 1000).toISOString().slice(0, 10);
let srv, browser, conn, admin, leadLogin, problemId, team, leadPerson, batch;
const q = async (text) => (await conn.query(text)).trim();
const started = Date.now();

before(async () => {
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } });
  browser = await launch();
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  const cadre = await login(srv, 'cadre');
  const owner = cadre.user.person_id;
  const linked = (await q('SELECT coalesce(person_id, 0) FROM app_user')).split('\n').map(Number);
  // one person from each of 13 units (none linked to a login, not the owner), names and units for the picker
  const rows = (await q('SELECT p.id, p.unit_id, p.name FROM person p WHERE p.tenant_id = 1 AND p.id = (SELECT min(x.id) FROM person x' +
    ' WHERE x.tenant_id = 1 AND x.unit_id = p.unit_id) ORDER BY p.unit_id')).split('\n').map((l) => l.split('|'))
    .map(([id, unit, name]) => ({ id: +id, unit: +unit, name })).filter((p) => !linked.includes(p.id) && p.id !== owner);
  team = rows.slice(0, 13);
  const lead = rows[13];
  leadPerson = lead.id;
  leadLogin = { login: 'lead7', ...(await freshUser(srv, 'lead7', ['cadre'], ['--person', String(lead.id), '--unit', String(lead.unit)])) };
  let r = await api(srv, admin, 'POST', '/api/v1/batches', { name: '浏览器揭榜批次', year: 2027, phase: 'collecting' });
  batch = r.json().batch.id;
  r = await api(srv, cadre, 'POST', '/api/v1/problems', {
    title: `城区老旧管网改造 ${EVIL}`, description: '多个部门职责交叉，长期推不动，需要跨单位攻坚。', category: '城市建设类', batch_id: batch,
  });
  problemId = r.json().problem.id;
  for (const action of ['select', 'publish'])
    assert.equal((await api(srv, admin, 'POST', `/api/v1/problems/${problemId}/transitions`, { action })).status, 200);
  assert.equal((await api(srv, admin, 'PATCH', `/api/v1/batches/${batch}`, { phase: 'claiming' })).status, 200);
});
after(async () => {
  conn?.close();
  await browser?.close();
  await srv?.stop();
  console.log(`# claim journey: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

// A page that must never run the hostile text: a dialog is a failure.
async function guarded(viewport, options) {
  const page = await open(browser, viewport, options);
  page.on('dialog', (d) => { page.jsErrors.push(`a dialog opened: ${d.message()}`); d.dismiss(); });
  return page;
}

// No raw hostile markup in the document; the text shown as typed where shown.
async function noRawEvil(page, label) {
  const html = await page.content();
  assert.ok(!html.includes('<script>alert'), `${label}: the hostile text is escaped`);
}

// axe-core, fit and screenshots at both widths of the page as it is (axe
// runs as a script: a page without scripts is checked again with them by
// the caller).
async function look(page, name, { axe = true } = {}) {
  for (const [size, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(vp);
    if (axe) await checkA11y(page, `${name} (${size})`);
    if (size === 'phone') await readableAtWidth(page, `${name} (phone)`);
    await noRawEvil(page, name);
    await shot(page, `claim-${name}-${size}`);
  }
  await page.setViewportSize(DESKTOP);
}

async function logInAs(page, login, password) {
  await page.goto(srv.url + '/login');
  await page.getByLabel('登录名').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

// Choose a person in the picker of field without scripts: name and unit, 查找 (the form comes back), the radio.
async function pickPlain(page, field, p) {
  const box = page.locator(`fieldset[id="${field}-picker"]`);
  await box.locator(`input[name="${field}_q"]`).fill(p.name);
  await box.locator(`select[name="${field}_unit"]`).selectOption(String(p.unit));
  await Promise.all([page.waitForLoadState('load'), box.getByRole('button', { name: '查找' }).click()]);
  await page.locator(`input[name="${field}"][value="${p.id}"]`).check();
}

async function fillPlan(page) {
  await page.getByLabel('工作方案（思路和措施）').fill(`方案 ${EVIL}`);
  await page.getByLabel('目标和验收标准').fill(`目标 ${EVIL}`);
  await page.locator('input[name="deadline"]').fill(ymd(200));
  await page.locator('input[name="milestones.0.title"]').fill(`摸底 ${EVIL}`);
  await page.locator('input[name="milestones.0.due"]').fill(ymd(60));
  await page.locator('input[name="milestones.1.title"]').fill('完成改造');
  await page.locator('input[name="milestones.1.due"]').fill(ymd(150));
  await page.locator('input[name="metrics.0.name"]').fill(`改造管网 ${EVIL}`);
  await page.locator('input[name="metrics.0.uom"]').fill('米');
  await page.locator('input[name="metrics.0.baseline"]').fill('0');
  await page.locator('input[name="metrics.0.target"]').fill('6500');
  await page.getByLabel('承诺内容').fill(`承诺 ${EVIL}`);
  await page.getByLabel('奖惩条款').fill(`奖惩 ${EVIL}`);
}

let claimId;
test('a cadre applies with a task force of 15 from 10 units, every member picked without scripts', async () => {
  const page = await guarded(DESKTOP, { javaScriptEnabled: false });
  await logIn(page, srv, 'cadre');
  await page.goto(`${srv.url}/problems/${problemId}`);
  await noRawEvil(page, 'problem');
  await page.getByRole('link', { name: '我要揭榜' }).click();
  await page.waitForURL(/\/claim$/);
  await look(page, 'apply-nojs', { axe: false });
  await pickPlain(page, 'lead_person_id', { id: leadPerson, ...(await q(`SELECT unit_id || '|' || name FROM person WHERE id = ${leadPerson}`)).split('|').reduce((o, v, i) => (i ? { ...o, name: v } : { unit: +v }), {}) });
  await fillPlan(page);
  for (let i = 0; i < team.length; i++) {
    if (i >= 3)
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '添加一行成员' }).click()]);
    await pickPlain(page, `members.${i}.person_id`, team[i]);
    if (i === 0) await page.locator('select[name="members.0.role"]').selectOption('liaison');
  }
  // what was typed before the 23 round trips is all still there
  assert.equal(await page.getByLabel('工作方案（思路和措施）').inputValue(), `方案 ${EVIL}`);
  assert.equal(await page.locator('input[name="metrics.0.name"]').inputValue(), `改造管网 ${EVIL}`);
  await look(page, 'apply-filled', { axe: false });
  await Promise.all([page.waitForURL(/\/claims\/\d+\?done=apply$/), page.getByRole('button', { name: '提交揭榜申请' }).click()]);
  claimId = +page.url().match(/\/claims\/(\d+)/)[1];
  const main = await page.locator('main').innerText();
  assert.match(main, /15 人，来自 1[0-9] 个单位|15 人，来自 \d\d 个单位/);
  assert.ok(main.includes(`方案 ${EVIL}`), 'the plan shown as typed');
  assert.ok(main.includes(`摸底 ${EVIL}`));
  await look(page, 'claim-applied', { axe: false });
  await page.context().close();
  // the same pages with scripts, for axe-core
  const js = await guarded(DESKTOP);
  await logIn(js, srv, 'cadre');
  await js.goto(`${srv.url}/problems/${problemId}/claim`);
  await look(js, 'apply');
  await js.goto(`${srv.url}/claims/${claimId}`);
  await look(js, 'claim-applied');
  await js.context().close();
});

let otherId;
test('the lead files a competing application with scripts: a row added in the page, a person found as the name is typed', async () => {
  const page = await guarded(DESKTOP);
  await logInAs(page, leadLogin.login, leadLogin.password);
  await page.goto(`${srv.url}/problems/${problemId}/claim`);
  const unit = await q(`SELECT unit_id FROM person WHERE id = ${leadPerson}`);
  await page.locator('select[name="unit_id"]').selectOption(unit);
  // the lead's picker: the other way round, the cadre leads
  const owner = page.locator('fieldset[id="owner_person_id-picker"]');
  const leadBox = page.locator('fieldset[id="lead_person_id-picker"]');
  const cadreName = await q("SELECT p.name FROM person p JOIN app_user u ON u.person_id = p.id WHERE u.login = 'cadre'");
  await leadBox.locator('input[name="lead_person_id_q"]').fill(cadreName);
  await leadBox.locator('label.check', { hasText: cadreName }).first().locator('input').check();
  const me = await q(`SELECT name FROM person WHERE id = ${leadPerson}`);
  await owner.locator('input[name="owner_person_id_q"]').fill(me);
  await owner.locator(`input[name="owner_person_id"][value="${leadPerson}"]`).check();
  await fillPlan(page);
  const before_ = page.url();
  await page.getByRole('button', { name: '添加一行成员' }).click();
  assert.equal(page.url(), before_, 'the row is added in the page');
  assert.equal(await page.locator('fieldset.member-row').count(), 4);
  assert.equal(await page.locator('input[name="members_rows"]').inputValue(), '4');
  const row = page.locator('fieldset[id="members.3.person_id-picker"]');
  assert.equal(await page.locator('fieldset.member-row > legend').nth(3).innerText(), '成员 4');
  await row.locator('input[name="members.3.person_id_q"]').fill(team[12].name);
  await row.locator(`input[name="members.3.person_id"][value="${team[12].id}"]`).check();
  await checkA11y(page, 'apply with a row added');
  await Promise.all([page.waitForURL(/\/claims\/\d+\?done=apply$/), page.getByRole('button', { name: '提交揭榜申请' }).click()]);
  otherId = +page.url().match(/\/claims\/(\d+)/)[1];
  assert.equal(await q(`SELECT count(*) FROM claim_member WHERE claim_id = ${otherId}`), '3');
  await page.context().close();
});

test('the admin compares the applications side by side and approves the cadre\'s', async () => {
  const page = await guarded(DESKTOP);
  await logIn(page, srv, 'admin');
  await page.goto(`${srv.url}/problems/${problemId}`);
  await page.getByRole('link', { name: /揭榜申请比较（2 份）/ }).click();
  await page.waitForURL(/\/claims$/);
  const rows = page.locator('table.compare tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), /15 人 \/ \d+ 个单位/);
  await look(page, 'compare');
  await Promise.all([page.waitForURL(new RegExp(`/claims/${claimId}\\?done=approve$`)), rows.nth(0).getByRole('button', { name: '批准' }).click()]);
  assert.match(await page.locator('.badges').innerText(), /待立军令状/);
  assert.equal(await q(`SELECT state FROM claim WHERE id = ${otherId}`), 'rejected', 'the competing one is decided with it');
  await page.context().close();
});

async function sign(page) {
  await page.goto(`${srv.url}/claims/${claimId}`);
  await page.getByRole('button', { name: '签订军令状' }).click();
  await page.waitForURL(/\/sign$/);
  assert.match(await page.locator('main').innerText(), /签署即承诺/);
}

test('owner and lead sign after being told what signing means; the pledge prints on A4 without the site header', async () => {
  let page = await guarded(DESKTOP);
  await logIn(page, srv, 'cadre');
  await sign(page);
  await look(page, 'sign-confirm');
  await Promise.all([page.waitForURL(/\?done=sign$/), page.getByRole('button', { name: '签署军令状' }).click()]);
  await page.goto(`${srv.url}/claims/${claimId}/pledge`);
  assert.equal((await page.locator('.signature .sig-at').allInnerTexts()).filter((t) => t === '待签署').length, 1);
  await page.context().close();

  page = await guarded(DESKTOP);
  await logInAs(page, leadLogin.login, leadLogin.password);
  await sign(page);
  await Promise.all([page.waitForURL(/\?done=sign$/), page.getByRole('button', { name: '签署军令状' }).click()]);
  assert.match(await page.locator('.badges').innerText(), /已立军令状/);
  await page.goto(`${srv.url}/claims/${claimId}/pledge`);
  const doc = await page.locator('article.pledge-doc').innerText();
  assert.match(doc, /揭榜挂帅军令状/);
  assert.match(doc, new RegExp(`〔\\d{4}〕第 ${claimId} 号`));
  assert.ok(doc.includes(`承诺 ${EVIL}`) && doc.includes(`奖惩 ${EVIL}`));
  assert.equal((doc.match(/签署于 \d{4}-\d\d-\d\d \d\d:\d\d/g) || []).length, 2);
  await look(page, 'pledge');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false, 'no site header in print');
  assert.equal(await page.locator('footer').isVisible(), false);
  const size = await page.evaluate(() => [...document.styleSheets].flatMap((s) => [...s.cssRules])
    .filter((r) => r.type === CSSRule.PAGE_RULE).map((r) => r.style.getPropertyValue('size')).join());
  assert.match(size, /a4/i);
  await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
  await shot(page, 'claim-pledge-print');
  await page.context().close();
});

test('the owner reports progress and declares it solved; the admin returns it with a reason', async () => {
  let page = await guarded(DESKTOP);
  await logIn(page, srv, 'cadre');
  await page.goto(`${srv.url}/claims/${claimId}`);
  await page.getByRole('link', { name: '报送进展' }).click();
  await page.waitForURL(/\/progress$/);
  await look(page, 'progress-form');
  await page.getByLabel('进展情况').fill(`进展 ${EVIL}`);
  await page.getByLabel(/^改造管网/).fill('3200');
  await page.locator('input[name="milestones_done.0.milestone_id"]').check();
  await page.getByLabel(/^遇到的困难/).fill(`困难 ${EVIL}`);
  await page.getByLabel(/^需协调事项/).fill(`协调 ${EVIL}`);
  await page.getByLabel('下步打算').fill(`下步 ${EVIL}`);
  await Promise.all([page.waitForURL(/\?done=progress$/), page.getByRole('button', { name: '报送' }).click()]);
  const main = await page.locator('main').innerText();
  assert.ok(main.includes(`进展 ${EVIL}`) && main.includes(`困难 ${EVIL}`));
  assert.match(main, /49%/);
  await look(page, 'claim-working');
  await page.getByRole('link', { name: '申报破题' }).click();
  await page.waitForURL(/\/solve$/);
  await look(page, 'solve-form');
  await page.getByLabel(/^破题总结/).fill(`破题 ${EVIL}`);
  await page.getByLabel(/^改造管网/).fill('6500');
  await Promise.all([page.waitForURL(/\?done=solve$/), page.getByRole('button', { name: '申报破题' }).click()]);
  assert.match(await page.locator('.badges').innerText(), /已破题/);
  await page.context().close();

  // the public sees the report but not its difficulties; the board shows the light and filters by it
  page = await guarded(DESKTOP);
  await page.goto(`${srv.url}/claims/${claimId}`);
  const pub = await page.locator('main').innerText();
  assert.ok(pub.includes(`进展 ${EVIL}`) && !pub.includes(`困难 ${EVIL}`));
  await page.goto(`${srv.url}/?batch=${batch}&light=awaiting`);
  assert.ok((await page.locator('table.board').innerText()).includes('城区老旧管网改造'));
  assert.match(await page.locator('table.board tr', { hasText: '城区老旧管网改造' }).innerText(), /待验收/);
  await look(page, 'board-light');
  await page.context().close();

  page = await guarded(DESKTOP);
  await logIn(page, srv, 'admin');
  await page.goto(`${srv.url}/claims/${claimId}`);
  await page.getByLabel('退回破题申报的理由').fill(`退回 ${EVIL}`);
  await Promise.all([page.waitForURL(/\?done=return$/), page.getByRole('button', { name: '退回破题申报' }).click()]);
  assert.match(await page.locator('.badges').innerText(), /已立军令状/);
  await look(page, 'claim-returned');
  await page.goto(`${srv.url}/problems/${problemId}`);
  await look(page, 'problem-claimed');
  await page.context().close();
});
