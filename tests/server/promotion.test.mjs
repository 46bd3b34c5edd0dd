// promotion.test.mjs - 提拔使用: an admin records a promotion with the
// claims that earned it (claims the person was on only), leaders read but
// cannot record, cadres neither; bad input gets Chinese errors beside the
// fields, keeps what was typed and changes nothing; the statistics count
// promotions. Demo data: 王广宁 (person 102, the cadre login's) owns the
// cable case's claim.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, validHtml } from './harness.mjs';
import { login, form, api, page, openSql } from './accounts.mjs';
import { ymd, now } from './claims_fixture.mjs';

let srv, conn;
const S = {};
const CADRE = 102;
const count = async (q) => +(await conn.query(q)).trim();
const claimsOf = async (person) => (await conn.query(
  `SELECT claim_id FROM claim_member WHERE tenant_id = 1 AND person_id = ${person} ORDER BY claim_id`)).trim().split('\n').map(Number);
const notOn = async (person) => count(`SELECT min(id) FROM claim WHERE tenant_id = 1 AND id NOT IN` +
  ` (SELECT claim_id FROM claim_member WHERE tenant_id = 1 AND person_id = ${person})`);

before(async () => {
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } });
  conn = openSql(srv.store);
  for (const r of ['admin', 'unit', 'cadre', 'evaluator', 'leader']) S[r] = await login(srv, r);
});
after(async () => { conn.close(); await srv.stop(); });

test('the demo has its 6 promotions, each with its claim in promotion_claim, and the statistics count 6', async () => {
  const r = await api(srv, S.leader, 'GET', '/api/v1/promotions');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().total, 6);
  for (const p of r.json().promotions) assert.equal(p.claims.length, 1, `${p.person}: one linked claim`);
  const wang = r.json().promotions.find((p) => p.person_id === CADRE);
  assert.equal(wang.kind, 'further_use');
  assert.equal(wang.kind_zh, '进一步使用');
  const s = await api(srv, null, 'GET', '/api/v1/stats');
  assert.equal(s.json().promotions, 6);
  assert.equal((await api(srv, null, "GET", "/api/v1/stats?batch=1")).json().promotions, 6);
});

test('an admin records a promotion with two linked claims; the list filters by person, kind and batch', async () => {
  const mine = await claimsOf(CADRE);
  const person = 31; // 孙彦学, promoted in the demo
  const his = await claimsOf(person);
  assert.ok(his.length >= 1);
  const before_ = await count('SELECT count(*) FROM promotion');
  let r = await api(srv, S.admin, 'POST', '/api/v1/promotions', { person_id: person, at: ymd(now() - 86400), kind: 'rank_up',
    from_post: '一级主任科员', to_post: '四级调研员', doc_no: '滦组干〔2023〕12号', note: '攻坚成效突出', claim_ids: his.slice(0, 2) });
  assert.equal(r.status, 201, r.text);
  const p = r.json().promotion;
  assert.equal(p.person_id, person);
  assert.equal(p.kind_zh, '晋升职级');
  assert.equal(p.doc_no, '滦组干〔2023〕12号');
  assert.deepEqual(p.claims.map((c) => c.id), his.slice(0, 2));
  assert.equal(p.recorded_by, 'admin');
  assert.equal(await count('SELECT count(*) FROM promotion'), before_ + 1);
  assert.equal(await count(`SELECT claim_id FROM promotion WHERE id = ${p.id}`), his[0], 'claim_id keeps the first linked claim');
  assert.equal(await count(`SELECT count(*) FROM promotion_claim WHERE promotion_id = ${p.id}`), Math.min(2, his.length));
  assert.equal(await count(`SELECT count(*) FROM audit_event WHERE action = 'promotion.create' AND object_id = ${p.id}`), 1);

  r = await api(srv, S.admin, 'GET', `/api/v1/promotions?person=${person}`);
  assert.equal(r.json().total, 2);
  assert.equal(r.json().promotions[0].id, p.id, 'newest first');
  r = await api(srv, S.admin, 'GET', '/api/v1/promotions?kind=rank_up');
  assert.deepEqual(r.json().promotions.map((x) => x.id), [p.id]);
  r = await api(srv, S.admin, 'GET', '/api/v1/promotions?batch=1');
  assert.equal(r.json().total, 7);
  r = await api(srv, S.admin, 'GET', '/api/v1/promotions?kind=nonsense');
  assert.equal(r.status, 400);
  // A commendation needs no post and may link no claim.
  r = await api(srv, S.admin, 'POST', '/api/v1/promotions', { person_id: CADRE, at: ymd(now()), kind: 'commended' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json().promotion.claims, []);
  assert.equal(await count(`SELECT count(*) FROM promotion WHERE id = ${r.json().promotion.id} AND claim_id IS NULL`), 1);
  assert.ok(mine.length >= 1);
});

test('a claim the person was not on is refused with its reason, and nothing is written', async () => {
  const other = await notOn(CADRE);
  const before_ = await count('SELECT count(*) FROM promotion') + await count('SELECT count(*) FROM promotion_claim');
  const r = await api(srv, S.admin, 'POST', '/api/v1/promotions', { person_id: CADRE, at: ymd(now()), kind: 'promoted',
    to_post: '县委宣传部副部长', claim_ids: [(await claimsOf(CADRE))[0], other, 999999] });
  assert.equal(r.status, 400, r.text);
  const errs = r.json().error.fields;
  assert.equal(errs.length, 2, JSON.stringify(errs));
  assert.ok(errs.every((e) => e.field === 'claim_ids'));
  assert.match(errs[0].message, new RegExp(`王广宁不在揭榜 ${other}（.+）的团队中，不能关联这个揭榜`));
  assert.match(errs[1].message, /没有编号为 999999 的揭榜/);
  assert.equal(await count('SELECT count(*) FROM promotion') + await count('SELECT count(*) FROM promotion_claim'), before_);
});

test('validation: every wrong field in Chinese at once, nothing changed; the page keeps what was typed', async () => {
  const before_ = await count('SELECT count(*) FROM promotion');
  let r = await api(srv, S.admin, 'POST', '/api/v1/promotions', { person_id: 99999, at: ymd(now() + 3 * 86400), kind: 'promoted', to_post: '' });
  assert.equal(r.status, 400, r.text);
  const text = JSON.stringify(r.json());
  assert.match(text, /没有这个人员/);
  assert.match(text, /日期不能晚于今天/);
  assert.match(text, /请填写新任职务/);
  r = await api(srv, S.admin, 'POST', '/api/v1/promotions', { person_id: CADRE, kind: 'boss' });
  assert.equal(r.status, 400);
  assert.match(JSON.stringify(r.json()), /日期/);
  // The page form: errors beside the fields, the typed values kept.
  r = await form(srv, S.admin, '/promotions', { op: 'submit', person_id: String(CADRE), at: '2999-01-01', kind: 'promoted',
    from_post: '原来的<职务>', to_post: '', doc_no: '滦组〔2023〕1号' });
  assert.equal(r.status, 400, r.text.slice(0, 400));
  assert.match(r.text, /日期不能晚于今天/);
  assert.match(r.text, /请填写新任职务/);
  assert.match(r.text, /value="原来的&lt;职务&gt;"/);
  assert.match(r.text, /value="滦组〔2023〕1号"/);
  assert.match(r.text, /王广宁/, 'the chosen person stays chosen');
  validHtml(r.text);
  assert.equal(await count('SELECT count(*) FROM promotion'), before_);
});

test('the page: a leader reads the list (links to the records) without the form; a cadre is refused; an admin records', async () => {
  let r = await page(srv, S.leader, '/promotions');
  assert.equal(r.status, 200);
  assert.match(r.text, /<h1>提拔使用<\/h1>/);
  assert.match(r.text, new RegExp(`href="/people/${CADRE}/record"`));
  assert.doesNotMatch(r.text, /记录提拔使用/);
  validHtml(r.text);
  for (const who of ['cadre', 'unit', 'evaluator']) {
    r = await page(srv, S[who], '/promotions');
    assert.equal(r.status, 403, who);
    r = await api(srv, S[who], 'GET', '/api/v1/promotions');
    assert.equal(r.status, 403, who);
  }
  r = await api(srv, S.leader, 'POST', '/api/v1/promotions', { person_id: CADRE, at: ymd(now()), kind: 'commended' });
  assert.equal(r.status, 403, 'a leader cannot record');

  r = await page(srv, S.admin, `/promotions?person=${CADRE}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /id="new"/);
  const mine = await claimsOf(CADRE);
  assert.match(r.text, new RegExp(`name="claim_ids" value="${mine[0]}"`), 'the chosen person\'s claims are offered');
  validHtml(r.text);
  const before_ = await count('SELECT count(*) FROM promotion');
  r = await form(srv, S.admin, '/promotions', [['op', 'submit'], ['person_id', String(CADRE)], ['at', ymd(now())], ['kind', 'promoted'],
    ['from_post', '县委宣传部科员'], ['to_post', '县委宣传部副部长'], ['doc_no', '滦组干〔2023〕30号'], ['claim_ids', String(mine[0])]]);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(await count('SELECT count(*) FROM promotion'), before_ + 1);
  r = await page(srv, S.admin, `/promotions?person=${CADRE}&done=1`);
  assert.match(r.text, /滦组干〔2023〕30号/);
});
