// evaluate.test.mjs - 考评验收 through the API on one store: a panel with an
// external member, assignment by category and for all, recusal with its
// reason, blind scoring, band scores, the comment a lowest band needs, the
// aggregate trimmed at five members, acceptance with the 优秀 cap warning,
// 不合格 refused and returned with a rectification, the round's history,
// reopening and resubmitting, and the races: two admins accepting one
// claim, one evaluator submitting twice at once. Claims are written into
// the store (claims_fixture.mjs) in a batch of their own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import { login, api, page, form, openSql } from './accounts.mjs';
import { mkClaim, day, ymd } from './claims_fixture.mjs';

let srv, conn, batch;
const S = {};
const EV = ['evaluator', 'evaluator2', 'evaluator3', 'evaluator4', 'evaluator5'];
const uid = {}, pid = {}, unitOf = {};
const C = {};
const q = async (text) => (await conn.query(text)).trim();
const n = async (text) => +(await q(text));

// Scores for the default final rubric: band of 完成情况, then the other three.
const sc = (band, x, y = x, z = x) => ({ scores: [
  { criterion: '完成情况', score: band }, { criterion: '工作成效', score: x },
  { criterion: '创新性', score: y }, { criterion: '可复制推广', score: z }] });

before(async () => {
  srv = await startServer({ env: { JIEBANG_TASK_PERIOD: '0', JIEBANG_LOGINS_PER_ADDR: '1000' } });
  conn = openSql(srv.store);
  for (const l of ['admin', 'cadre', 'leader', ...EV]) S[l] = await login(srv, l);
  S.admin2 = await login(srv, 'admin');
  for (const l of EV) {
    const [u, p, un] = (await q(`SELECT u.id, coalesce(u.person_id, 0), coalesce(u.unit_id, 0) FROM app_user u WHERE login = '${l}'`)).split('|');
    uid[l] = +u; pid[l] = +p; unitOf[l] = +un;
  }
  const b = await api(srv, S.admin, 'POST', '/api/v1/batches', { name: '考评测试批次', year: 2027, phase: 'evaluating' });
  assert.equal(b.status, 201, b.text);
  batch = b.json().batch.id;
  const solved = { batch, owner: 102, lead: 103, state: 'solved', problemState: 'solved' };
  C.good = await mkClaim(conn, { ...solved, title: '考评测试：良好' });
  C.best = await mkClaim(conn, { ...solved, title: '考评测试：优秀' });
  C.fail = await mkClaim(conn, { ...solved, title: '考评测试：不合格' });
  C.team = await mkClaim(conn, { ...solved, title: '考评测试：战队成员', members: [pid.evaluator] });
  C.lead = await mkClaim(conn, { ...solved, title: '考评测试：揭榜单位', unit: unitOf.evaluator2 });
  C.coop = await mkClaim(conn, { ...solved, title: '考评测试：配合单位' });
  await conn.query(`INSERT INTO claim_cooperator (tenant_id, claim_id, unit_id) VALUES (1, ${C.coop.claim}, ${unitOf.evaluator3})`);
  C.cat = await mkClaim(conn, { ...solved, title: '考评测试：按类别' });
  await conn.query(`UPDATE problem SET category_id = 2 WHERE id = ${C.cat.problem}`);
  C.mid = await mkClaim(conn, { batch, owner: 102, lead: 103, title: '考评测试：中期' });
});
after(async () => { conn.close(); await srv.stop(); });

let P1, P2;

test('a panel needs evaluator accounts: a wrong member is refused in Chinese and nothing is written', async () => {
  const cadre = +(await q("SELECT id FROM app_user WHERE login = 'cadre'"));
  const before_ = await n('SELECT count(*) FROM panel');
  let r = await api(srv, S.admin, 'POST', `/api/v1/batches/${batch}/panels`, { name: '错误的考评组', user_ids: [uid.evaluator, cadre] });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json().error.field, 'user_ids');
  assert.match(r.json().error.message, /考评人员/);
  r = await api(srv, S.admin, 'POST', `/api/v1/batches/${batch}/panels`, { name: '', user_ids: [] });
  assert.equal(r.status, 400);
  r = await api(srv, S.evaluator, 'POST', `/api/v1/batches/${batch}/panels`, { name: '越权', user_ids: [uid.evaluator] });
  assert.equal(r.status, 403);
  assert.equal(await n('SELECT count(*) FROM panel'), before_);
});

test('panels are formed, one with an external member who gets an evaluator account', async () => {
  let r = await api(srv, S.admin, 'POST', `/api/v1/batches/${batch}/panels`, { name: '考评一组', user_ids: EV.map((l) => uid[l]) });
  assert.equal(r.status, 201, r.text);
  P1 = r.json().panel.id;
  r = await api(srv, S.admin, 'POST', `/api/v1/batches/${batch}/panels`, { name: '考评二组', user_ids: [uid.evaluator],
    externals: [{ name: '张教授', organisation: '河北大学', login: 'Ext-Zhang', password: 'short' }] });
  assert.equal(r.status, 400, 'a weak initial password is refused');
  assert.equal(r.json().error.field, 'externals.0.password');
  r = await api(srv, S.admin, 'POST', `/api/v1/batches/${batch}/panels`, { name: '考评二组', user_ids: [uid.evaluator],
    externals: [{ name: '张教授', organisation: '河北大学', login: 'Ext-Zhang', password: 'Hebei-University-2027' }] });
  assert.equal(r.status, 201, r.text);
  P2 = r.json().panel.id;
  assert.equal(await q("SELECT u.login || '|' || r.role || '|' || u.must_change FROM app_user u JOIN user_role r ON r.user_id = u.id WHERE u.login = 'ext-zhang'"), 'ext-zhang|evaluator|1');
  assert.equal(await q(`SELECT m.name || '|' || m.organisation FROM panel_member m JOIN app_user u ON u.id = m.user_id WHERE m.panel_id = ${P2} AND u.login = 'ext-zhang'`), '张教授|河北大学');
  const html = (await page(srv, S.admin, `/batches/${batch}/evaluation`)).text;
  assert.match(html, /张教授（河北大学）/);
  assert.match(html, /外部成员/);
});

test('assignment: every solved claim, then one category to another panel; a scored claim cannot move', async () => {
  let r = await api(srv, S.admin, 'POST', `/api/v1/panels/${P1}/assignments`, { all: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().assigned, 7, 'the seven solved claims, not the signed one');
  r = await api(srv, S.admin, 'POST', `/api/v1/panels/${P2}/assignments`, { category_id: 2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().assigned, 1);
  assert.equal(await n(`SELECT panel_id FROM panel_claim WHERE claim_id = ${C.cat.claim} AND stage = 'final'`), P2);
  r = await api(srv, S.admin, 'POST', `/api/v1/panels/${P1}/assignments`, { claim_ids: [C.mid.claim] });
  assert.equal(r.status, 400, 'a signed claim is not for the final stage');
  assert.match(r.json().error.message, /待验收/);
  r = await api(srv, S.admin, 'POST', `/api/v1/panels/${P1}/assignments`, { claim_ids: [C.mid.claim], stage: 'midterm' });
  assert.equal(r.status, 200, r.text);
});

test('recusal is computed with its reason, shown in the queue and enforced', async () => {
  const cases = [[C.team, 'evaluator', '本人是该战队成员'], [C.lead, 'evaluator2', '本人所在单位是揭榜单位'],
    [C.coop, 'evaluator3', '本人所在单位是配合单位']];
  for (const [k, who, why] of cases) {
    let r = await page(srv, S[who], `/api/v1/claims/${k.claim}/scores`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().recused, why);
    r = await api(srv, S[who], 'POST', `/api/v1/claims/${k.claim}/scores`, sc(100, 90));
    assert.equal(r.status, 403, r.text);
    assert.match(r.json().error.message, new RegExp(why));
  }
  const queue = (await page(srv, S.evaluator, '/api/v1/me/evaluations')).json().evaluations;
  const team = queue.find((e) => e.claim_id === C.team.claim);
  assert.equal(team.state, 'recused');
  assert.equal(team.reason, '本人是该战队成员');
  assert.equal(queue.find((e) => e.claim_id === C.good.claim).state, 'pending');
  const admin = (await page(srv, S.admin, `/api/v1/claims/${C.team.claim}/scores`)).json();
  assert.equal(admin.evaluators, 4, 'the recused member is not expected');
  assert.equal(admin.members.find((m) => m.user_id === uid.evaluator).reason, '本人是该战队成员');
  assert.equal(await n('SELECT count(*) FROM evaluation'), 0);
});

test('scores: bands, the comment a lowest band needs, errors in Chinese with nothing written', async () => {
  let r = await api(srv, S.evaluator, 'POST', `/api/v1/claims/${C.good.claim}/scores`, sc(85, 90));
  assert.equal(r.status, 400);
  assert.equal(r.json().error.field, 'scores.0.score');
  assert.match(r.json().error.message, /请选择一档/);
  r = await api(srv, S.evaluator, 'POST', `/api/v1/claims/${C.good.claim}/scores`, sc(0, 90));
  assert.equal(r.status, 400);
  assert.equal(r.json().error.field, 'comment');
  assert.match(r.json().error.message, /最低一档/);
  r = await api(srv, S.evaluator, 'POST', `/api/v1/claims/${C.good.claim}/scores`, { scores: [{ criterion: '完成情况', score: 100 }, { criterion: '不存在', score: 1 }] });
  assert.equal(r.status, 400);
  assert.ok(r.json().error.message.includes('不存在') || r.json().errors?.some((e) => /不存在/.test(e.message)), r.text);
  r = await api(srv, S.evaluator, 'POST', `/api/v1/claims/${C.good.claim}/scores`, sc(100, 120));
  assert.equal(r.status, 400);
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${C.good.claim}/scores`, sc(100, 90));
  assert.equal(r.status, 403);
  assert.equal(await n('SELECT count(*) FROM evaluation'), 0);
  assert.equal(await n('SELECT count(*) FROM rubric_criterion'), 0, 'the default rubric is written at the first score only');
});

test('blind scoring: before submitting an evaluator sees only their own; after, everyone submitted', async () => {
  let r = await api(srv, S.evaluator, 'POST', `/api/v1/claims/${C.good.claim}/scores`, sc(100, 100));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json().mine.total, 100);
  assert.equal(await n(`SELECT count(*) FROM rubric_criterion WHERE batch_id = ${batch}`), 4);
  const blind = (await page(srv, S.evaluator2, `/api/v1/claims/${C.good.claim}/scores`)).json();
  assert.equal(blind.blind, true);
  assert.equal(blind.mine, null);
  for (const key of ['submitted', 'totals', 'members', 'evaluations', 'score', 'history'])
    assert.equal(key in blind, false, `a blind reader gets no ${key}`);
  const html = (await page(srv, S.evaluator2, `/claims/${C.good.claim}/score`)).text;
  assert.doesNotMatch(html, /考评组评分/);
  assert.doesNotMatch(html, /已提交 1/);
  const seen = (await page(srv, S.evaluator, `/api/v1/claims/${C.good.claim}/scores`)).json();
  assert.equal(seen.blind, false);
  assert.equal(seen.submitted, 1);
  assert.equal(seen.complete, false);
  assert.equal(seen.score, null);
  const leader = (await page(srv, S.leader, `/api/v1/claims/${C.good.claim}/scores`)).json();
  assert.equal(leader.evaluations.length, 1);
  assert.equal(leader.evaluations[0].scores.length, 4);
  assert.equal((await page(srv, S.cadre, `/api/v1/claims/${C.good.claim}/scores`)).status, 404);
});

test('a second submission is a conflict; two at once: one wins', async () => {
  let r = await api(srv, S.evaluator, 'POST', `/api/v1/claims/${C.good.claim}/scores`, sc(90, 90));
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /已提交，如需修改请联系管理员退回/);
  const both = await Promise.all([1, 2].map(() => api(srv, S.evaluator2, 'POST', `/api/v1/claims/${C.good.claim}/scores`, sc(90, 90))));
  assert.deepEqual(both.map((x) => x.status).sort(), [201, 409]);
  assert.equal(await n(`SELECT count(*) FROM evaluation WHERE claim_id = ${C.good.claim} AND user_id = ${uid.evaluator2}`), 1);
});

test('the aggregate of five is trimmed; accept is refused until complete; a reopened score is submitted again', async () => {
  let r = await api(srv, S.admin, 'POST', `/api/v1/claims/${C.good.claim}/accept`, {});
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /未提交评分/);
  for (const [l, s] of [['evaluator3', sc(90, 80)], ['evaluator4', sc(70, 80)], ['evaluator5', sc(40, 60)]]) {
    if (l === 'evaluator5') s.comment = '成效一般';
    r = await api(srv, S[l], 'POST', `/api/v1/claims/${C.good.claim}/scores`, s);
    assert.equal(r.status, 201, r.text);
  }
  let v = (await page(srv, S.admin, `/api/v1/claims/${C.good.claim}/scores`)).json();
  assert.deepEqual(v.totals.slice().sort((a, b) => a - b), [52, 76, 84, 90, 100]);
  assert.equal(v.complete, true);
  assert.equal(v.trimmed, true);
  assert.equal(v.score, 83.33);
  assert.equal(v.grade, '良好');
  assert.equal(v.grade_code, 'good');
  // reopen evaluator2's, who submits again (the old total kept in the audit log)
  const e2 = v.evaluations.find((e) => e.user_id === uid.evaluator2);
  r = await api(srv, S.admin, 'POST', `/api/v1/evaluations/${e2.id}/reopen`, {});
  assert.equal(r.status, 400, 'a reason is required');
  r = await api(srv, S.admin, 'POST', `/api/v1/evaluations/${e2.id}/reopen`, { reason: '请复核工作成效' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await page(srv, S.admin, `/api/v1/claims/${C.good.claim}/scores`)).json().complete, false);
  const mine = (await page(srv, S.evaluator2, `/api/v1/claims/${C.good.claim}/scores`)).json();
  assert.equal(mine.may_score, true);
  assert.equal(mine.mine.reopen_reason, '请复核工作成效');
  r = await api(srv, S.evaluator2, 'POST', `/api/v1/claims/${C.good.claim}/scores`, sc(90, 90));
  assert.equal(r.status, 201, r.text);
  assert.equal(await n(`SELECT count(*) FROM evaluation WHERE claim_id = ${C.good.claim} AND user_id = ${uid.evaluator2}`), 1);
  const audit = await q(`SELECT before_json FROM audit_event WHERE action = 'evaluation.score' AND object_id = ${e2.id} ORDER BY id DESC LIMIT 1`);
  assert.match(audit, /"total":9000/);
  v = (await page(srv, S.admin, `/api/v1/claims/${C.good.claim}/scores`)).json();
  assert.equal(v.score, 83.33);
  // the scored claim may not move to another panel now
  r = await api(srv, S.admin, 'POST', `/api/v1/panels/${P2}/assignments`, { claim_ids: [C.good.claim] });
  assert.equal(r.status, 409);
});

test('two admins accept the same claim at the same moment: exactly one wins', async () => {
  const both = await Promise.all([S.admin, S.admin2].map((s) => api(srv, s, 'POST', `/api/v1/claims/${C.good.claim}/accept`, {})));
  assert.deepEqual(both.map((x) => x.status).sort(), [200, 409]);
  const ok = both.find((x) => x.status === 200).json();
  assert.equal(ok.grade, '良好');
  assert.equal(ok.score, 83.33);
  assert.equal(ok.over_cap, false);
  assert.equal(await q(`SELECT state || '|' || score || '|' || grade FROM claim WHERE id = ${C.good.claim}`), 'accepted|8333|good');
  assert.equal(await q(`SELECT state FROM problem WHERE id = ${C.good.problem}`), 'accepted');
  assert.equal(await n(`SELECT count(*) FROM audit_event WHERE action = 'problem.accepted' AND object_id = ${C.good.problem}`), 1);
  assert.equal(await n(`SELECT count(*) FROM audit_event WHERE action = 'claim.accept' AND object_id = ${C.good.claim} AND outcome = 'ok'`), 1);
  const html = (await page(srv, S.admin, `/claims/${C.good.claim}`)).text;
  assert.match(html, /83\.33 分/);
  assert.match(html, /良好/);
});

test('over the 优秀 cap the acceptance warns and still accepts', async () => {
  for (const l of EV) {
    const r = await api(srv, S[l], 'POST', `/api/v1/claims/${C.best.claim}/scores`, sc(100, 95));
    assert.equal(r.status, 201, r.text);
  }
  const r = await api(srv, S.admin, 'POST', `/api/v1/claims/${C.best.claim}/accept`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().grade, '优秀');
  assert.equal(r.json().over_cap, true);
  assert.match(r.json().warning, /本批次优秀等次已超过 30% 的比例上限/);
  assert.equal(await q(`SELECT grade FROM claim WHERE id = ${C.best.claim}`), 'excellent');
  assert.match((await page(srv, S.admin, `/batches/${batch}/evaluation`)).text, /优秀等次已超过 30% 的比例上限/);
});

test('不合格 is refused at acceptance, returned with a rectification, and its round kept as history', async () => {
  for (const l of EV) {
    const r = await api(srv, S[l], 'POST', `/api/v1/claims/${C.fail.claim}/scores`, { ...sc(40, 50), comment: '目标未完成' });
    assert.equal(r.status, 201, r.text);
  }
  let r = await api(srv, S.admin, 'POST', `/api/v1/claims/${C.fail.claim}/accept`, {});
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /考评结果为不合格，不能通过验收；请退回并限期整改/);
  r = await api(srv, S.admin, 'POST', `/api/v1/claims/${C.fail.claim}/return`, { reason: '未达到目标' });
  assert.equal(r.status, 400, 'a 不合格 return needs a rectification');
  assert.equal(r.json().error.field, 'rectify_plan');
  r = await api(srv, S.admin, 'POST', `/api/v1/claims/${C.fail.claim}/return`, { reason: '未达到目标', rectify_plan: '一个月内补齐', rectify_due: ymd(day(0)) });
  assert.equal(r.status, 400);
  assert.equal(r.json().error.field, 'rectify_due');
  assert.equal(await q(`SELECT state || '|' || eval_round FROM claim WHERE id = ${C.fail.claim}`), 'solved|1', 'nothing changed');
  r = await api(srv, S.admin, 'POST', `/api/v1/claims/${C.fail.claim}/return`, { reason: '未达到目标', rectify_plan: '一个月内补齐缺口', rectify_due: ymd(day(60)) });
  assert.equal(r.status, 200, r.text);
  assert.equal(await q(`SELECT state || '|' || eval_round || '|' || rectify_plan || '|' || (CASE WHEN deadline >= rectify_due THEN 1 ELSE 0 END) FROM claim WHERE id = ${C.fail.claim}`),
    'signed|2|一个月内补齐缺口|1');
  const v = (await page(srv, S.admin, `/api/v1/claims/${C.fail.claim}/scores`)).json();
  assert.equal(v.round, 2);
  assert.equal(v.submitted, 0);
  assert.equal(v.history.length, 1);
  assert.equal(v.history[0].grade, '不合格');
  assert.equal(v.evaluations.filter((e) => e.round === 1).length, 5);
  const html = (await page(srv, S.admin, `/claims/${C.fail.claim}`)).text;
  assert.match(html, /整改要求/);
  assert.match(html, /一个月内补齐缺口/);
  assert.match(html, /第 1 轮（已退回）/);
});

test('the mid-term review scores working claims with its own rubric', async () => {
  let r = await api(srv, S.evaluator, 'POST', `/api/v1/claims/${C.mid.claim}/scores`, sc(100, 90));
  assert.equal(r.status, 409, 'a signed claim is not in the final evaluation');
  r = await api(srv, S.evaluator, 'POST', `/api/v1/claims/${C.mid.claim}/scores`, { stage: 'midterm', scores: [
    { criterion: '进度完成情况', score: 80 }, { criterion: '工作成效', score: 70 }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json().mine.total, 76);
  assert.equal(r.json().stage, 'midterm');
});

test('the pages: the queue, the scoring form with errors kept beside the fields', async () => {
  let html = (await page(srv, S.evaluator, '/me/evaluations')).text;
  assert.match(html, /回避（本人是该战队成员）/);
  assert.match(html, /考评测试：按类别/);
  html = (await page(srv, S.evaluator4, `/claims/${C.coop.claim}/score`)).text;
  assert.match(html, /type="radio"/);
  assert.match(html, /权重 40%/);
  const r = await form(srv, S.evaluator4, `/claims/${C.coop.claim}/score`, [['stage', 'final'],
    ['scores.0.criterion', '完成情况'], ['scores.0.score', '0.00'], ['scores.1.criterion', '工作成效'], ['scores.1.score', '77'],
    ['scores.2.criterion', '创新性'], ['scores.2.score', '300'], ['scores.3.criterion', '可复制推广'], ['scores.3.score', '70']]);
  assert.equal(r.status, 400);
  html = r.text;
  assert.match(html, /分数须在 0 到满分之间/);
  assert.match(html, /value="77"/, 'what was typed is kept');
  assert.match(html, /value="0.00" required checked/);
  assert.equal(await n(`SELECT count(*) FROM evaluation WHERE claim_id = ${C.coop.claim}`), 0);
});
