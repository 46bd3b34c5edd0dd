// record.test.mjs - the cadre's record (干部实绩档案) and fault tolerance
// (容错纠错). Readers: admins and leaders anyone's, a person their own;
// the record shows claims with roles, promotions, 督办 and tolerance.
// Tolerance: a withdrawn (退榜) or overdue claim may apply, a working one
// may not; one pending request at a time; two admins deciding at once:
// one 409; granted marks the failure 已容错 in the record and the summary.
// Demo data: 王广宁 (person 102, the cadre login's), 赵梅雪 (person 4, the
// unit login's).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, validHtml } from './harness.mjs';
import { login, form, api, page, openSql } from './accounts.mjs';
import { mkClaim, day } from './claims_fixture.mjs';

let srv, conn, batch;
const S = {};
const CADRE = 102, OTHER = 103, UNIT_PERSON = 4;
const count = async (q) => +(await conn.query(q)).trim();

before(async () => {
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000', JIEBANG_TASK_PERIOD: '0' } });
  conn = openSql(srv.store);
  for (const r of ['admin', 'unit', 'cadre', 'evaluator', 'leader']) S[r] = await login(srv, r);
  S.admin2 = await login(srv, 'admin');
  const b = await api(srv, S.admin, 'POST', '/api/v1/batches', { name: '容错测试批次', year: 2027, phase: 'working' });
  assert.equal(b.status, 201, b.text);
  batch = b.json().batch.id;
});
after(async () => { conn.close(); await srv.stop(); });

test('a leader reads a cadre\'s record: claims with roles, lights, promotions; the page and its A4 print view', async () => {
  const r = await api(srv, S.leader, 'GET', `/api/v1/people/${CADRE}/record`);
  assert.equal(r.status, 200, r.text);
  const x = r.json().record;
  assert.equal(x.person.name, '王广宁');
  const cable = x.claims.find((c) => c.title.includes('城区空中缆线'));
  assert.ok(cable, 'the cable case is in the record');
  assert.equal(cable.role, 'owner');
  assert.equal(cable.state, 'solved');
  assert.equal(x.promotions.length, 1);
  assert.equal(x.promotions[0].kind, 'further_use');
  assert.equal(x.promotions[0].claims[0].id, cable.claim_id);
  assert.match(x.summary.text, /^揭榜 \d+ 项，已验收 0 项/);
  assert.equal(x.summary.claims, x.claims.filter((c) => c.state !== 'rejected').length);

  let p = await page(srv, S.leader, `/people/${CADRE}/record`);
  assert.equal(p.status, 200);
  assert.match(p.text, /<h1>干部实绩档案：王广宁<\/h1>/);
  assert.match(p.text, /主要负责人/);
  assert.match(p.text, /进一步使用/);
  assert.match(p.text, new RegExp(`href="/people/${CADRE}/record/print"`));
  assert.doesNotMatch(p.text, /记录提拔使用/, 'a leader may not record');
  validHtml(p.text);
  p = await page(srv, S.leader, `/people/${CADRE}/record/print`);
  assert.equal(p.status, 200);
  assert.match(p.text, /class="record-doc"/);
  assert.match(p.text, /城区空中缆线/);
  validHtml(p.text);
  p = await page(srv, S.admin, `/people/${CADRE}/record`);
  assert.match(p.text, new RegExp(`href="/promotions\\?person=${CADRE}#new"`), 'an admin may record from the record');
});

test('a person reads their own record only; others get 403, anonymous 401, an unknown person 404', async () => {
  assert.equal((await api(srv, S.cadre, 'GET', `/api/v1/people/${CADRE}/record`)).status, 200);
  assert.equal((await api(srv, S.unit, 'GET', `/api/v1/people/${UNIT_PERSON}/record`)).status, 200);
  for (const [who, person] of [['cadre', OTHER], ['cadre', UNIT_PERSON], ['unit', CADRE], ['evaluator', CADRE]]) {
    const denied = await count("SELECT count(*) FROM audit_event WHERE outcome = 'denied' AND action = 'record.read'");
    const r = await api(srv, S[who], 'GET', `/api/v1/people/${person}/record`);
    assert.equal(r.status, 403, `${who} reads ${person}`);
    assert.equal(r.json().error.code, 'forbidden');
    assert.equal(await count("SELECT count(*) FROM audit_event WHERE outcome = 'denied' AND action = 'record.read'"), denied + 1);
    assert.equal((await page(srv, S[who], `/people/${person}/record/print`)).status, 403);
  }
  assert.equal((await api(srv, null, 'GET', `/api/v1/people/${CADRE}/record`)).status, 401);
  assert.equal((await api(srv, S.admin, 'GET', '/api/v1/people/999999/record')).status, 404);
  assert.equal((await api(srv, S.admin, 'GET', '/api/v1/people/abc/record')).status, 400);
  const users = await page(srv, S.admin, '/admin/users');
  assert.match(users.text, new RegExp(`<a href="/people/${CADRE}/record">王广宁</a>`), 'the users list links to the records');
  const unitUsers = await page(srv, S.unit, '/admin/users');
  assert.doesNotMatch(unitUsers.text, new RegExp(`/people/${CADRE}/record`), 'a unit admin sees no link to records it may not read');
  const me = await page(srv, S.cadre, '/me/record');
  assert.equal(me.status, 303);
  assert.match(me.headers.get('location'), new RegExp(`/people/${CADRE}/record$`));
});

test('tolerance: refused for a working claim, applied for a withdrawn one (validation first), one pending at a time', async () => {
  const { claim } = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER, deadline: day(30) });
  const body = { reason: '上级政策调整，项目被迫中止', tried: '多次协调省市部门，调整方案两次' };
  let r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${claim}/tolerance`, body);
  assert.equal(r.status, 409, r.text);
  assert.match(r.json().error.message, /只有失败的揭榜才能申请容错/);
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${claim}/withdraw`, { reason: '政策调整，无法继续' });
  assert.equal(r.status, 200, r.text);

  const before_ = await count('SELECT count(*) FROM tolerance');
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${claim}/tolerance`, { reason: '', tried: '' });
  assert.equal(r.status, 400, r.text);
  const fields = r.json().error.fields.map((f) => f.field).sort();
  assert.deepEqual(fields, ['reason', 'tried']);
  assert.ok(r.json().error.fields.every((f) => /[\u4e00-\u9fff]/.test(f.message)));
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${claim}/tolerance`, { reason: ' \u3000 ', tried: '协调' });
  assert.equal(r.status, 400, 'blank (with an ideographic space) is no reason');
  assert.equal(r.json().error.field, 'reason');
  assert.match(r.json().error.message, /请填写申请理由/);
  // The page form: errors beside the fields, what was typed kept.
  r = await form(srv, S.cadre, `/claims/${claim}/tolerance`, { reason: '理由<b>保留</b>', tried: '' });
  assert.equal(r.status, 400);
  assert.match(r.text, /请填写已采取的措施|已采取的措施/);
  assert.match(r.text, /理由&lt;b&gt;保留&lt;\/b&gt;/);
  validHtml(r.text);
  assert.equal(await count('SELECT count(*) FROM tolerance'), before_, 'nothing written');
  assert.equal((await api(srv, S.leader, 'POST', `/api/v1/claims/${claim}/tolerance`, body)).status, 403);
  assert.equal((await api(srv, S.unit, 'POST', `/api/v1/claims/${claim}/tolerance`, body)).status, 403);

  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${claim}/tolerance`, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json().tolerance.state, 'pending');
  assert.equal(await count(`SELECT count(*) FROM audit_event WHERE action = 'tolerance.apply' AND object_id = ${r.json().tolerance.id}`), 1);
  const admin = await count("SELECT id FROM app_user WHERE login = 'admin'");
  assert.equal(await count(`SELECT count(*) FROM notification WHERE user_id = ${admin} AND kind = 'tolerance.apply' AND object_id = ${claim}`), 1);
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${claim}/tolerance`, body);
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /待认定/);
});

test('tolerance: two admins deciding at once, one wins and one gets 409; granted shows 已容错 in the record', async () => {
  const { claim } = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER, deadline: day(-3) });
  let r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${claim}/tolerance`, { reason: '逾期原因', tried: '已尽力推进' });
  assert.equal(r.status, 201, r.text);
  const id = r.json().tolerance.id;
  assert.equal((await api(srv, S.cadre, 'POST', `/api/v1/tolerances/${id}/decide`, { decision: 'granted', basis: '符合' })).status, 403);
  r = await api(srv, S.admin, 'POST', `/api/v1/tolerances/${id}/decide`, { decision: 'maybe', basis: '' });
  assert.equal(r.status, 400);
  assert.deepEqual(r.json().error.fields.map((f) => f.field).sort(), ['basis', 'decision']);
  assert.equal(await count(`SELECT count(*) FROM tolerance WHERE id = ${id} AND state = 'pending'`), 1);

  const basis = '属于在推进改革中因缺乏经验、先行先试出现的失误，符合“三个区分开来”';
  const [a, b] = await Promise.all([
    api(srv, S.admin, 'POST', `/api/v1/tolerances/${id}/decide`, { decision: 'granted', basis }),
    api(srv, S.admin2, 'POST', `/api/v1/tolerances/${id}/decide`, { decision: 'refused', basis: '不符合' }),
  ]);
  assert.deepEqual([a.status, b.status].sort(), [200, 409], `${a.text} ${b.text}`);
  const won = a.status === 200 ? 'granted' : 'refused';
  assert.equal(await count(`SELECT count(*) FROM tolerance WHERE id = ${id} AND state = '${won}'`), 1);
  assert.equal(await count(`SELECT count(*) FROM audit_event WHERE action = 'tolerance.decide' AND object_id = ${id} AND outcome = 'ok'`), 1);
  if (won === 'refused') {
    // The refused claim may apply again; this time it is granted.
    r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${claim}/tolerance`, { reason: '补充材料', tried: '已尽力推进' });
    assert.equal(r.status, 201, r.text);
    r = await api(srv, S.admin, 'POST', `/api/v1/tolerances/${r.json().tolerance.id}/decide`, { decision: 'granted', basis });
    assert.equal(r.status, 200, r.text);
  }
  assert.equal(await count(`SELECT tolerated FROM claim WHERE id = ${claim}`), 1);
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${claim}/tolerance`, { reason: '再次', tried: '再次' });
  assert.equal(r.status, 409, 'tolerated already');

  r = await api(srv, S.cadre, 'GET', `/api/v1/people/${CADRE}/record`);
  const x = r.json().record;
  const k = x.claims.find((c) => c.claim_id === claim);
  assert.equal(k.failure, 'overdue');
  assert.equal(k.tolerated, true);
  assert.ok(x.summary.tolerated >= 1);
  assert.match(x.summary.text, /容错 \d+ 项/);
  assert.ok(x.tolerances.some((t) => t.claim_id === claim && t.state === 'granted' && t.basis === basis));
  const p = await page(srv, S.leader, `/people/${CADRE}/record`);
  assert.match(p.text, /已容错/);
  const cp = await page(srv, S.admin, `/claims/${claim}`);
  assert.match(cp.text, /<h2 id="tol-h">容错纠错<\/h2>/);
  assert.match(cp.text, /予以容错/);
  validHtml(cp.text);
});

test('the claim page shows the request form to the owner of a failed claim and the decision form to admins', async () => {
  const { claim } = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER, deadline: day(-1) });
  let p = await page(srv, S.cadre, `/claims/${claim}`);
  assert.match(p.text, new RegExp(`action="/claims/${claim}/tolerance"`));
  p = await page(srv, S.leader, `/claims/${claim}`);
  assert.doesNotMatch(p.text, /action="\/claims\/\d+\/tolerance"/, 'a leader reads but does not apply');
  let r = await form(srv, S.cadre, `/claims/${claim}/tolerance`, { reason: '客观原因', tried: '积极协调' });
  assert.equal(r.status, 303);
  const id = await count(`SELECT id FROM tolerance WHERE claim_id = ${claim}`);
  p = await page(srv, S.admin, `/claims/${claim}`);
  assert.match(p.text, new RegExp(`action="/tolerances/${id}/decide"`));
  r = await form(srv, S.admin, `/tolerances/${id}/decide`, { decision: 'refused', basis: '' });
  assert.equal(r.status, 400);
  assert.match(r.text, /请填写认定依据|认定依据/);
  validHtml(r.text);
  r = await form(srv, S.admin, `/tolerances/${id}/decide`, { decision: 'refused', basis: '属于明知故犯，不予容错' });
  assert.equal(r.status, 303);
  assert.equal(await count(`SELECT tolerated FROM claim WHERE id = ${claim}`), 0);
  r = await form(srv, S.admin2, `/tolerances/${id}/decide`, { decision: 'granted', basis: '再改' });
  assert.equal(r.status, 409);
  assert.match(r.text, /已认定/);
});
