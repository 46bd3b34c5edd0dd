// The mid-term review's risk mark (中期评估) and the acceptance
// certificate (验收证书): an admin marks a working claim yellow or red with
// a note; its light shows at least the mark on the claim page and under
// the board's light filter; the note is for the team, admins and leaders,
// not the public; the team is told. A claim not accepted has no
// certificate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, validHtml } from './harness.mjs';
import { login, form, api, page, openSql, freshUser } from './accounts.mjs';

let srv, conn, admin, cadre, leader, owner, claim, problem, title;
const q = async (text) => (await conn.query(text)).trim();
const NOTE = '节点滞后 <b>两个月</b> & 资金未到位';

before(async () => {
  srv = await startServer();
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  cadre = await login(srv, 'cadre');
  leader = await login(srv, 'leader');
  // A signed claim of a public problem whose light is green.
  const ids = (await q("SELECT k.id FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id WHERE k.state = 'signed' AND p.is_public = 1 ORDER BY k.id")).split('\n').map(Number);
  for (const id of ids) {
    const r = await page(srv, admin, `/api/v1/claims/${id}`);
    if (r.json().claim.light === 'green') { claim = id; break; }
  }
  assert.ok(claim, 'the demo has a green signed claim');
  [problem, title] = (await q(`SELECT p.id, p.title FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id WHERE k.id = ${claim}`)).split('|');
  const person = await q(`SELECT owner_person_id FROM claim WHERE id = ${claim}`);
  owner = (await freshUser(srv, 'risk-owner', ['cadre'], ['--person', person])).session;
});
after(async () => { conn.close(); await srv.stop(); });

const mark = (sess, body) => api(srv, sess, 'POST', `/api/v1/claims/${claim}/risk`, body);
const state = async () => q(`SELECT risk || '|' || risk_note FROM claim WHERE id = ${claim}`);

test('bad marks are refused beside their field in Chinese and change nothing', async () => {
  const was = await state();
  let r = await mark(admin, { level: 'orange', note: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.json().error.field, 'level');
  assert.match(r.json().error.message, /风险等级只能是/);
  r = await mark(admin, { level: 'red', note: '' });
  assert.equal(r.status, 400);
  assert.equal(r.json().error.field, 'note');
  assert.match(r.json().error.message, /请填写风险说明/);
  r = await mark(admin, { level: 'red', note: 'x'.repeat(501) });
  assert.equal(r.status, 400);
  assert.equal((await api(srv, admin, 'POST', '/api/v1/claims/99999/risk', { level: 'red', note: 'x' })).status, 404);
  // Only a working claim: a solved one is a conflict.
  const solved = await q("SELECT id FROM claim WHERE state = 'solved' ORDER BY id LIMIT 1");
  r = await api(srv, admin, 'POST', `/api/v1/claims/${solved}/risk`, { level: 'red', note: '风险' });
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /只有攻坚中的揭榜/);
  // Only those who manage evaluations.
  assert.equal((await mark(cadre, { level: 'red', note: '风险' })).status, 403);
  assert.equal((await mark(leader, { level: 'red', note: '风险' })).status, 403);
  assert.equal((await mark(owner, { level: 'red', note: '风险' })).status, 403);
  assert.equal((await mark(null, { level: 'red', note: '风险' })).status, 401);
  assert.equal(await state(), was);
});

test('marked red: the light is red (逾期) on the claim page and under the board filter; the team is told', async () => {
  const r = await mark(admin, { level: 'red', note: NOTE });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json(), { claim_id: claim, risk: 'red', note: NOTE, light: 'red' });
  assert.equal(await state(), `red|${NOTE}`);
  const a = await q(`SELECT before_json || ' ' || after_json FROM audit_event WHERE action = 'claim.risk' AND object_id = ${claim}`);
  assert.match(a, /"risk":""} .*"risk":"red"/);
  assert.equal(await q(`SELECT count(*) FROM notification n JOIN app_user u ON u.tenant_id = n.tenant_id AND u.id = n.user_id WHERE u.login = 'risk-owner' AND n.kind = 'claim.risk' AND n.object_id = ${claim}`), '1');
  // The claim's JSON and page, the board under red, not under green.
  assert.equal((await page(srv, null, `/api/v1/claims/${claim}`)).json().claim.light, 'red');
  const p = await page(srv, admin, `/claims/${claim}`);
  validHtml(p.text);
  assert.match(p.text, /class="light light-red"[^<]*<span[^>]*><\/span>逾期|class="light light-red"[\s\S]{0,80}逾期/);
  assert.ok((await page(srv, null, `/api/v1/problems?light=red`)).json().items.some((x) => x.id === +problem));
  assert.ok(!(await page(srv, null, `/api/v1/problems?light=green`)).json().items.some((x) => x.id === +problem));
  assert.ok((await page(srv, null, '/?light=red')).text.includes(title));
});

test('the note is shown to the team, admins and leaders with the mid-term date; the public sees the light only', async () => {
  assert.equal((await api(srv, admin, 'PATCH', `/api/v1/batches/${await q(`SELECT p.batch_id FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id WHERE k.id = ${claim}`)}`, { midterm_on: '2022-07-15' })).status, 200);
  const escaped = '节点滞后 &lt;b&gt;两个月&lt;/b&gt; &amp; 资金未到位';
  for (const [who, sess] of [['admin', admin], ['leader', leader], ['owner', owner]]) {
    const p = await page(srv, sess, `/claims/${claim}`);
    assert.equal(p.status, 200);
    assert.ok(p.text.includes(escaped), `${who} sees the note`);
    assert.match(p.text, /中期评估日期<\/dt><dd>2022-07-15/);
    assert.match(p.text, /红灯（风险较大）/);
  }
  const pub = await page(srv, null, `/claims/${claim}`);
  assert.equal(pub.status, 200);
  assert.match(pub.text, /class="light light-red"/);
  assert.ok(!pub.text.includes('资金未到位'), 'the public does not see the note');
  assert.doesNotMatch(pub.text, /中期评估/);
  assert.equal((await page(srv, null, `/api/v1/claims/${claim}`)).text.includes('资金未到位'), false);
  // Only the admin has the form.
  assert.match((await page(srv, admin, `/claims/${claim}`)).text, /保存风险标记/);
  assert.doesNotMatch((await page(srv, leader, `/claims/${claim}`)).text, /保存风险标记/);
});

test('yellow turns a green claim yellow (滞后); clearing brings it back', async () => {
  let r = await mark(admin, { level: 'yellow', note: '需加快' });
  assert.equal(r.json().light, 'yellow');
  assert.match((await page(srv, admin, `/claims/${claim}`)).text, /class="light light-yellow"[\s\S]{0,80}滞后/);
  r = await mark(admin, { level: '', note: '' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json(), { claim_id: claim, risk: '', note: '', light: 'green' });
  assert.equal(await state(), '|');
  assert.equal(await q(`SELECT coalesce(risk_at, 0) FROM claim WHERE id = ${claim}`), '0');
});

test('the page form: a refused mark is shown again with what was typed; a good one returns to the claim', async () => {
  const was = await state();
  let r = await form(srv, admin, `/claims/${claim}/risk`, { level: 'red', note: '' });
  assert.equal(r.status, 400);
  validHtml(r.text);
  assert.match(r.text, /name="note"[^>]*aria-invalid="true"/);
  assert.match(r.text, /<option value="red" selected>/);
  assert.equal(await state(), was);
  r = await form(srv, admin, `/claims/${claim}/risk`, { level: 'red', note: '表单标记' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/claims/${claim}?done=risk#risk-h`);
  assert.match((await page(srv, admin, `/claims/${claim}?done=risk`)).text, /中期评估风险标记已保存/);
  assert.equal(await state(), 'red|表单标记');
  const f = await page(srv, admin, `/claims/${claim}/risk`);
  assert.equal(f.status, 200);
  validHtml(f.text);
});

test('a claim not accepted has no certificate: 404 saying so; the claim page has no link', async () => {
  const r = await page(srv, admin, `/claims/${claim}/certificate`);
  assert.equal(r.status, 404);
  assert.match(r.text, /尚未通过验收，没有验收证书/);
  assert.equal((await page(srv, null, '/claims/99999/certificate')).status, 404);
  assert.doesNotMatch((await page(srv, admin, `/claims/${claim}`)).text, /验收证书/);
});

// The accept verb is another branch's (POST /api/v1/claims/:id/accept);
// until it is merged a fixture stands for what it writes (state, score,
// grade, evaluated_at). After the merge, replace the UPDATE by the verb.
test('an accepted claim has a printable certificate: number, grade, score with two decimals, date', async () => {
  const [id, prob] = (await q("SELECT k.id, k.problem_id FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id WHERE k.state = 'solved' AND p.is_public = 1 ORDER BY k.id LIMIT 1")).split('|');
  await q(`UPDATE claim SET state = 'accepted', score = 9250, grade = 'excellent', evaluated_at = 1671523200 WHERE id = ${id}`);
  await q(`UPDATE problem SET state = 'accepted' WHERE id = ${prob}`);
  const r = await page(srv, null, `/claims/${id}/certificate`);
  assert.equal(r.status, 200, r.text.slice(0, 500));
  validHtml(r.text);
  assert.match(r.text, /<h1>验收证书<\/h1>/);
  assert.match(r.text, /〔2022〕验字第 1 号/);
  assert.match(r.text, /<dt>验收等次<\/dt><dd>优秀<\/dd>/);
  assert.match(r.text, /<dt>验收得分<\/dt><dd>92.50 分<\/dd>/);
  assert.match(r.text, /2022年12月20日/);
  assert.match((await page(srv, admin, `/claims/${id}`)).text, /查看和打印验收证书/);
});
