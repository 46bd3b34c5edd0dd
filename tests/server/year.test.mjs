// year.test.mjs - the demo's year closed through the API by each role, on
// one store: the demo's panel of five evaluators scores a solved claim
// (blind until each has submitted, trimmed at five), the admin accepts it,
// the acceptance goes on a public notice, a resident objects by real name,
// the admin answers and closes the notice once the period (working days)
// has passed, the owner writes a practice, an evaluator recommends it and
// the admin adopts it, the admin records the owner's promotion, a claim
// withdrawn after work is granted fault tolerance, and a leader reads the
// owner's record with all of it; the acceptance certificate prints. Only
// reads go to the store directly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './harness.mjs';
import { login, api, page, openSql } from './accounts.mjs';

const EV = ['evaluator', 'evaluator2', 'evaluator3', 'evaluator4', 'evaluator5'];
const CLOCK = join(mkdtempSync(join(tmpdir(), 'jb-year-clock-')), 'offset');
const DAY = 86400;
let srv, conn, claim, problem, owner, ownerLogin;
const S = {};
const q = async (text) => (await conn.query(text)).trim();

// The default final rubric: a band of 完成情况, then the other three.
const sc = (band, x) => ({ scores: [
  { criterion: '完成情况', score: band }, { criterion: '工作成效', score: x },
  { criterion: '创新性', score: x }, { criterion: '可复制推广', score: x }], comment: '材料翔实，成效明显' });

before(async () => {
  writeFileSync(CLOCK, '0');
  srv = await startServer({ env: { JIEBANG_TASK_PERIOD: '0', JIEBANG_LOGINS_PER_ADDR: '1000', JIEBANG_CLOCK_FILE: CLOCK } });
  conn = openSql(srv.store);
  for (const l of ['admin', 'cadre', 'leader', ...EV]) S[l] = await login(srv, l);
  // A solved claim of the demo's panel from which none of the five is recused.
  const queues = await Promise.all(EV.map(async (l) =>
    (await page(srv, S[l], '/api/v1/me/evaluations')).json().evaluations));
  const open = (l, i) => new Set(queues[i].filter((e) => !e.recused && e.stage === 'final').map((e) => e.claim_id));
  const common = [...open(EV[0], 0)].filter((id) => EV.every((l, i) => open(l, i).has(id)));
  assert.ok(common.length > 0, 'the demo panel can score some claim with all five members');
  claim = common[0];
  [problem, owner] = (await q(`SELECT problem_id || '|' || owner_person_id FROM claim WHERE id = ${claim}`)).split('|').map(Number);
  ownerLogin = await q(`SELECT coalesce(min(login), '') FROM app_user WHERE person_id = ${owner}`);
});
after(async () => { conn.close(); await srv.stop(); });

test('the demo panel scores a solved claim blind, and the admin accepts it with the trimmed aggregate', async () => {
  const totals = [[100, 90], [90, 85], [100, 95], [70, 80], [100, 100]];
  for (let i = 0; i < EV.length; i++) {
    const before_ = (await page(srv, S[EV[i]], `/api/v1/claims/${claim}/scores`)).json();
    assert.ok(!before_.evaluations || before_.evaluations.every((e) => e.user_login === undefined || e.mine),
      `${EV[i]} sees no one else's scores before submitting`);
    const r = await api(srv, S[EV[i]], 'POST', `/api/v1/claims/${claim}/scores`, sc(...totals[i]));
    assert.equal(r.status, 201, r.text);
  }
  // totals 94, 87.4, 98, 75.0... : 40*b/100 + 60*x/100
  const t = totals.map(([b, x]) => 0.4 * b + 0.6 * x).sort((a, b) => a - b);
  const expected = Math.round(((t[1] + t[2] + t[3]) / 3) * 100) / 100;
  const agg = (await page(srv, S.admin, `/api/v1/claims/${claim}/scores`)).json();
  assert.equal(agg.complete, true, JSON.stringify(agg));
  assert.equal(agg.trimmed, true);
  assert.equal(agg.evaluators, 5);
  assert.equal(agg.score, expected);
  assert.equal(agg.grade, '优秀');
  const r = await api(srv, S.admin, 'POST', `/api/v1/claims/${claim}/accept`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(await q(`SELECT state || '|' || grade || '|' || score FROM claim WHERE id = ${claim}`), `accepted|excellent|${Math.round(expected * 100)}`);
  assert.equal(await q(`SELECT state FROM problem WHERE id = ${problem}`), 'accepted');
  const cert = await page(srv, null, `/claims/${claim}/certificate`);
  assert.equal(cert.status, 200);
  assert.match(cert.text, /验收证书/);
  assert.match(cert.text, /优秀/);
  assert.match(cert.text, new RegExp(expected.toFixed(2).replace('.', '\\.')));
  // the public timeline of the problem shows the acceptance
  assert.match((await page(srv, null, `/problems/${problem}`)).text, /通过验收/);
});

test('the acceptance goes on a public notice; an objection by real name holds it until answered; closing makes it final', async () => {
  let r = await api(srv, S.admin, 'POST', '/api/v1/batches/1/notices', { kind: 'results', title: '2022年度揭榜挂帅验收结果公示' });
  assert.equal(r.status, 201, r.text);
  const n = r.json().notice;
  const pub = await page(srv, null, `/notices/${n.id}`);
  assert.equal(pub.status, 200);
  assert.match(pub.text, /优秀/);
  const body = { notice_id: n.id, name: '王小明', contact: '13812345678', body: '该项目的群众满意度调查样本偏少，请核实。' };
  assert.equal((await api(srv, null, 'POST', '/api/v1/public/objections', { ...body, name: '' })).status, 400, 'anonymous objections are refused');
  r = await api(srv, null, 'POST', '/api/v1/public/objections', body);
  assert.equal(r.status, 201, r.text);
  const oid = r.json().objection.id;
  r = await api(srv, S.admin, 'POST', `/api/v1/notices/${n.id}/close`, {});
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /公示期未满/);
  writeFileSync(CLOCK, String(12 * DAY));   // past five working days
  r = await api(srv, S.admin, 'POST', `/api/v1/notices/${n.id}/close`, {});
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /未答复/);
  r = await api(srv, S.admin, 'POST', `/api/v1/objections/${oid}/answer`, { answer: '经核实，调查样本符合要求，异议不成立。', kind: 'dismissed' });
  assert.equal(r.status, 200, r.text);
  r = await api(srv, S.admin, 'POST', `/api/v1/notices/${n.id}/close`, {});
  assert.equal(r.status, 200, r.text);
  assert.notEqual(await q(`SELECT coalesce(final_at, 0) FROM claim WHERE id = ${claim}`), '0');
  const timeline = (await page(srv, null, `/problems/${problem}`)).text;
  assert.match(timeline, /公示期/);
  assert.match(timeline, /结果确定/);
  writeFileSync(CLOCK, '0');
});

test('the owner writes a practice from the accepted claim, an evaluator recommends it, the admin adopts it', async () => {
  const author = ownerLogin ? await login(srv, ownerLogin) : S.admin;
  let r = await api(srv, author, 'POST', '/api/v1/practices', { title: '“揭榜挂帅”破解难题工作法', summary: '以问题为导向，组建跨部门攻坚队伍，按节点推进。',
    steps: '一、摸清底数；二、组建战队；三、挂图作战。', conditions: '适用于需要多部门协同的民生难题。', claim_ids: [claim] });
  assert.equal(r.status, 201, r.text);
  const id = r.json().practice.id;
  assert.equal((await page(srv, null, `/api/v1/practices/${id}`)).status, 404, 'a draft is not public');
  r = await api(srv, S.evaluator, 'POST', `/api/v1/practices/${id}/recommend`, {});
  assert.equal(r.status, 200, r.text);
  r = await api(srv, S.admin, 'POST', `/api/v1/practices/${id}/adopt`, { doc_no: '滦组字〔2022〕15号', issuer: '中共滦南县委组织部', adopted_on: '2022-12-20' });
  assert.equal(r.status, 200, r.text);
  const lib = (await page(srv, null, `/api/v1/practices?q=${encodeURIComponent('挂图')}`)).json();
  assert.ok(lib.items.some((p) => p.id === id && p.state === 'adopted'), JSON.stringify(lib));
});

test('the admin records the owner\'s promotion, linked to the claim; a leader reads it, a cadre does not', async () => {
  let r = await api(srv, S.admin, 'POST', '/api/v1/promotions', { person_id: owner, at: '2022-12-28', kind: 'promoted',
    from_post: '副主任', to_post: '主任', doc_no: '滦干〔2022〕8号', claim_ids: [claim] });
  assert.equal(r.status, 201, r.text);
  r = await api(srv, S.leader, 'GET', `/api/v1/promotions?person=${owner}`);
  assert.equal(r.status, 200);
  assert.ok(r.json().promotions.some((p) => p.to_post === '主任'));
  assert.equal((await api(srv, S.cadre, 'GET', '/api/v1/promotions')).status, 403);
  assert.equal((await page(srv, null, '/api/v1/stats')).json().promotions, 7);
});

test('a claim withdrawn after work is granted fault tolerance', async () => {
  const working = +(await q("SELECT min(id) FROM claim WHERE state = 'signed'"));
  let r = await api(srv, S.admin, 'POST', `/api/v1/claims/${working}/withdraw`, { reason: '政策调整，项目无法继续实施' });
  assert.equal(r.status, 200, r.text);
  r = await api(srv, S.admin, 'POST', `/api/v1/claims/${working}/tolerance`, { reason: '上级政策调整导致项目停止', tried: '已完成前期调研和方案设计' });
  assert.equal(r.status, 201, r.text);
  const tid = r.json().tolerance.id;
  r = await api(srv, S.admin, 'POST', `/api/v1/tolerances/${tid}/decide`, { decision: 'granted', basis: '属于探索性试验中的失误，符合“三个区分开来”' });
  assert.equal(r.status, 200, r.text);
  assert.equal(await q(`SELECT tolerated FROM claim WHERE id = ${working}`), '1');
});

test('a leader reads the owner\'s record: the accepted claim with its grade, the practice, the promotion', async () => {
  const r = await api(srv, S.leader, 'GET', `/api/v1/people/${owner}/record`);
  assert.equal(r.status, 200, r.text);
  const x = r.json().record;
  const k = x.claims.find((c) => c.claim_id === claim);
  assert.ok(k, 'the claim is in the record');
  assert.equal(k.state, 'accepted');
  assert.equal(k.grade, 'excellent');
  assert.ok(x.promotions.some((p) => p.to_post === '主任'));
  assert.ok(x.practices.length >= 1);
  assert.ok(x.summary.accepted >= 1);
  assert.equal((await page(srv, S.leader, `/people/${owner}/record/print`)).status, 200);
});
