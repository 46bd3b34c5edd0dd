// The campaign's intake half through the API: proposing (signed in and as
// a resident), screening (select, reject, merge, return, withdraw),
// publishing in rounds, "my proposals" and notifications. Every refused
// call changes nothing (the problem rows compared before and after); two
// screeners acting on one proposal at once: exactly one wins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './harness.mjs';
import { login, api, page, openSql, freshUser } from './accounts.mjs';

let srv, conn, admin, admin2, cadre, unit, batchId, otherBatch;
const q = async (text) => (await conn.query(text)).trim();
const rows = () => q('SELECT id, state, is_public, coalesce(merged_into, 0), screen_reason, coalesce(returned_at, 0),' +
  ' coalesce(publication_id, 0), category_id, priority, title FROM problem WHERE tenant_id = 1 ORDER BY id');
const tables = async () => [await rows(), await q('SELECT count(*) FROM publication'), await q('SELECT count(*) FROM notification'),
  await q("SELECT count(*) FROM audit_event WHERE outcome = 'ok'")].join('\n');

const proposal = (extra = {}) => ({
  title: '老旧小区加装电梯协调难', description: '多个老旧小区居民希望加装电梯，但低层住户意见不一，协调困难。',
  category: '城市建设类', batch_id: batchId, expected_outcome: '形成可复制的协调机制', residents_concern: true, ...extra,
});
const propose = async (sess, extra) => {
  const r = await api(srv, sess, 'POST', '/api/v1/problems', proposal(extra));
  assert.equal(r.status, 201, r.text);
  return r.json().problem;
};
const move = (sess, id, body) => api(srv, sess, 'POST', `/api/v1/problems/${id}/transitions`, body);

before(async () => {
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } });
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  cadre = await login(srv, 'cadre');
  unit = await login(srv, 'unit');
  admin2 = (await freshUser(srv, 'admin2', ['admin'])).session;
  let r = await api(srv, admin, 'POST', '/api/v1/batches', { name: '测试征集批次', year: 2027, phase: 'collecting' });
  assert.equal(r.status, 201, r.text);
  batchId = r.json().batch.id;
  r = await api(srv, admin, 'POST', '/api/v1/batches', { name: '测试攻坚批次', year: 2027, phase: 'working' });
  otherBatch = r.json().batch.id;
});
after(async () => { conn.close(); await srv.stop(); });

test('a cadre proposes: the answer carries id and state, the problem is not public, the audit entry is there', async () => {
  const p = await propose(cadre);
  assert.equal(p.state, 'proposed');
  assert.equal(p.is_public, false);
  assert.equal(p.batch_id, batchId);
  assert.equal(p.category, '城市建设类');
  assert.equal(p.residents_concern, true);
  assert.equal(p.from_resident, false);
  assert.equal(p.unit_id, cadre.user.unit_id);
  assert.equal((await page(srv, null, `/api/v1/problems/${p.id}`)).status, 404, 'not on the public board');
  assert.equal((await page(srv, null, `/problems/${p.id}`)).status, 404);
  assert.equal(await q(`SELECT count(*) FROM audit_event WHERE action = 'problem.propose' AND object_id = ${p.id}`), '1');
  // by category_id too
  const cat = await q("SELECT id FROM category WHERE tenant_id = 1 AND name = '城市建设类'");
  const p2 = await propose(cadre, { category: undefined, category_id: +cat, title: '按编号选类别的出卷' });
  assert.equal(p2.category, '城市建设类');
  // the cadre reads it back; another cadre's unit admin of another unit does not
  assert.equal((await page(srv, cadre, `/api/v1/proposals/${p.id}`)).status, 200);
  assert.equal((await page(srv, null, `/api/v1/proposals/${p.id}`)).status, 401);
});

test('bad proposals get every field error at once and change nothing', async () => {
  const was = await tables();
  const r = await api(srv, cadre, 'POST', '/api/v1/problems', { title: 'x', description: '短', category: '没有的类', batch_id: batchId });
  assert.equal(r.status, 400, r.text);
  const e = r.json().error;
  assert.deepEqual(e.fields.map((f) => f.field).sort(), ['description', 'title']);
  assert.match(e.fields.find((f) => f.field === 'title').message, /难题名称/);
  const c = await api(srv, cadre, 'POST', '/api/v1/problems', proposal({ category: '没有的类' }));
  assert.equal(c.status, 400);
  assert.equal(c.json().error.field, 'category');
  const b = await api(srv, cadre, 'POST', '/api/v1/problems', proposal({ batch_id: 99999 }));
  assert.equal(b.json().error.field, 'batch_id');
  // outside 征集: refused naming the phase
  const w = await api(srv, cadre, 'POST', '/api/v1/problems', proposal({ batch_id: otherBatch }));
  assert.equal(w.status, 400);
  assert.equal(w.json().error.code, 'wrong_phase');
  assert.match(w.json().error.message, /“测试攻坚批次”现处于“攻坚”阶段，不能出卷/);
  // a cadre may not propose in another unit's name
  const u = await api(srv, cadre, 'POST', '/api/v1/problems', proposal({ unit_id: 18 }));
  assert.equal(u.json().error.field, 'unit_id');
  // anonymous on the signed-in route: 401
  assert.equal((await api(srv, null, 'POST', '/api/v1/problems', proposal())).status, 401);
  assert.equal(await tables(), was);
});

test('a resident proposes on the public route: honeypot, phone check, per-address limit; the phone is for screeners only', async () => {
  const body = { title: '村口路灯长期不亮', description: '村口至国道一段路灯损坏半年无人修理，夜间出行不便。', category: '城市建设类',
    batch_id: batchId, contact_name: '王女士', contact_phone: '139 0000 1111' };
  const r = await api(srv, null, 'POST', '/api/v1/public/problems', body);
  assert.equal(r.status, 201, r.text);
  const id = r.json().problem.id;
  assert.equal(r.json().problem.state, 'proposed');
  assert.equal(r.json().problem.contact_phone, undefined, 'the resident is not shown the stored row');
  const [name, phone, user, pub] = (await q(`SELECT contact_name, contact_phone, coalesce(proposer_user_id, 0), is_public FROM problem WHERE id = ${id}`)).split('|');
  assert.deepEqual([name, phone, user, pub], ['王女士', '139 0000 1111', '0', '0']);
  // screeners see the phone, a unit admin or the leader does not
  const a = (await page(srv, admin, `/api/v1/proposals/${id}`)).json().problem;
  assert.equal(a.contact_phone, '139 0000 1111');
  assert.equal(a.from_resident, true);
  const leader = await login(srv, 'leader');
  const l = await page(srv, leader, `/api/v1/proposals/${id}`);
  assert.equal(l.status, 200);
  assert.equal(l.json().problem.contact_phone, undefined);
  assert.ok(!l.text.includes('1111'));
  // never in the audit log
  assert.ok(!(await q(`SELECT after_json FROM audit_event WHERE object_type = 'problem' AND object_id = ${id}`)).includes('1111'));
  // the honeypot and a bad phone change nothing
  const was = await tables();
  const h = await api(srv, null, 'POST', '/api/v1/public/problems', { ...body, website: 'http://spam.example' });
  assert.equal(h.status, 400);
  assert.ok(!/网站|website/.test(h.json().error.message), 'the refusal does not explain the trap');
  const ph = await api(srv, null, 'POST', '/api/v1/public/problems', { ...body, contact_phone: 'call me' });
  assert.equal(ph.json().error.field, 'contact_phone');
  assert.equal(await tables(), was);
  // another site's page may not post it
  const x = await api(srv, null, 'POST', '/api/v1/public/problems', body, { headers: { Origin: 'https://evil.example' } });
  assert.equal(x.status, 403);
  // five an hour per address: the first one above and four more pass, the sixth is 429 with a time
  for (let i = 0; i < 4; i++) assert.equal((await api(srv, null, 'POST', '/api/v1/public/problems', { ...body, title: `路灯问题第${i}件` })).status, 201);
  const lim = await api(srv, null, 'POST', '/api/v1/public/problems', body);
  assert.equal(lim.status, 429, lim.text);
  assert.match(lim.json().error.message, /提交过于频繁，请在 \d\d:\d\d 后再试/);
  assert.ok(+lim.headers.get('retry-after') > 0);
});

test('screening: select, reject with a reason, merge, return and revise; the proposer is told each time', async () => {
  const a = await propose(cadre, { title: '农村生活污水收集不畅' });
  const b = await propose(cadre, { title: '农村生活污水收集管网不全' });
  const c = await propose(cadre, { title: '集贸市场占道经营' });
  const d = await propose(cadre, { title: '背街小巷照明不足' });
  const unread0 = (await page(srv, cadre, '/api/v1/notifications')).json().unread;

  let r = await move(admin, a.id, { action: 'select' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().problem.state, 'selected');
  assert.deepEqual([r.json().transition.from, r.json().transition.to], ['proposed', 'selected']);

  r = await move(admin, c.id, { action: 'reject' });
  assert.equal(r.status, 400);
  assert.equal(r.json().error.field, 'reason');
  r = await move(admin, c.id, { action: 'reject', reason: '属于日常工作，已转城管局办理' });
  assert.equal(r.json().problem.state, 'rejected');
  assert.equal(r.json().problem.reason, '属于日常工作，已转城管局办理');

  r = await move(admin, b.id, { action: 'merge', into: a.id, reason: '与同类难题合并' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().problem.state, 'merged');
  assert.equal(r.json().problem.merged_into, a.id);
  assert.equal(r.json().problem.merged_title, '农村生活污水收集不畅');

  r = await move(admin, d.id, { action: 'return', reason: '请补充涉及的街巷和户数' });
  assert.equal(r.json().problem.state, 'proposed');
  assert.equal(r.json().problem.returned, true);
  const again = await move(admin2, d.id, { action: 'return', reason: '再退一次' });
  assert.equal(again.status, 409, 'returned once until the proposer revises');
  // only the proposer revises, and then it is no longer marked returned
  assert.equal((await api(srv, unit, 'POST', `/api/v1/proposals/${d.id}/revise`, proposal({ title: '背街小巷照明不足（补充）' }))).status, 403);
  r = await api(srv, cadre, 'POST', `/api/v1/proposals/${d.id}/revise`, proposal({ title: '背街小巷照明不足（补充）' }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().problem.returned, false);
  assert.equal(r.json().problem.title, '背街小巷照明不足（补充）');
  assert.equal((await api(srv, cadre, 'POST', `/api/v1/proposals/${a.id}/revise`, proposal())).status, 409, 'selected: too late to revise');

  const n = (await page(srv, cadre, '/api/v1/notifications')).json();
  assert.equal(n.unread, unread0 + 4);
  const titles = n.items.map((x) => x.title);
  assert.ok(titles.includes('您的出卷“农村生活污水收集不畅”已入选'));
  assert.ok(titles.includes('您的出卷“集贸市场占道经营”未入选'));
  assert.ok(titles.includes('您的出卷“农村生活污水收集管网不全”已合并到“农村生活污水收集不畅”'));
  assert.ok(n.items.some((x) => x.title.includes('被退回补充') && x.body === '理由：请补充涉及的街巷和户数'));
  // my proposals show each outcome
  const mine = (await page(srv, cadre, '/api/v1/me/proposals')).json().items;
  const byId = Object.fromEntries(mine.map((x) => [x.id, x]));
  assert.equal(byId[a.id].state, 'selected');
  assert.equal(byId[c.id].reason, '属于日常工作，已转城管局办理');
  assert.equal(byId[b.id].merged_into, a.id);
  assert.equal(byId[d.id].returned, false, 'revised');
  // marking read: one, then all; another user's cannot be marked
  const one = n.items[0];
  r = await api(srv, cadre, 'POST', `/api/v1/notifications/${one.id}/read`, {});
  assert.equal(r.status, 200);
  assert.equal(r.json().unread, n.unread - 1);
  assert.equal((await api(srv, admin, 'POST', `/api/v1/notifications/${n.items[1].id}/read`, {})).status, 404);
  r = await api(srv, cadre, 'POST', '/api/v1/notifications/read', {});
  assert.equal(r.json().unread, 0);
});

test('merge rules: not into itself, not into a closed problem, not into nothing; nothing changes', async () => {
  const a = await propose(cadre, { title: '合并规则甲' });
  const closed = await propose(cadre, { title: '合并规则乙' });
  assert.equal((await move(admin, closed.id, { action: 'reject', reason: '不属于本次揭榜范围' })).status, 200);
  const was = await tables();
  let r = await move(admin, a.id, { action: 'merge', into: a.id });
  assert.equal(r.json().error.code, 'merge_self');
  r = await move(admin, a.id, { action: 'merge', into: closed.id });
  assert.equal(r.json().error.code, 'merge_closed');
  assert.match(r.json().error.message, /已未入选|未入选/);
  r = await move(admin, a.id, { action: 'merge', into: 999999 });
  assert.equal(r.json().error.code, 'unknown_problem');
  r = await move(admin, a.id, { action: 'merge' });
  assert.equal(r.json().error.field, 'into');
  assert.equal(await tables(), was);
});

test('every transition not allowed from the current state is 409 naming both states, and changes nothing', async () => {
  const p = await propose(cadre, { title: '状态机检查用出卷' });
  assert.equal((await move(admin, p.id, { action: 'reject', reason: '测试' })).status, 200);
  const was = await tables();
  for (const action of ['select', 'reject', 'merge', 'return', 'publish', 'withdraw']) {
    const r = await move(admin, p.id, { action, reason: '理由', into: 1 });
    assert.equal(r.status, 409, `${action}: ${r.text}`);
    assert.match(r.json().error.message, /现为“未入选”，不能执行“.+”（只能对“.+”的难题执行）/, action);
  }
  // a published problem of the demo cannot be selected again
  const r = await move(admin, 1, { action: 'select' });
  assert.equal(r.status, 409);
  assert.equal(await tables(), was);
  // an unknown action is a field error
  const u = await move(admin, p.id, { action: 'approve' });
  assert.equal(u.status, 400);
  assert.equal(u.json().error.field, 'action');
});

test('only screeners screen: other roles get 403, anonymous 401, and nothing changes', async () => {
  const p = await propose(cadre, { title: '权限检查用出卷' });
  const evaluator = await login(srv, 'evaluator');
  const leader = await login(srv, 'leader');
  const was = await tables();
  for (const s of [cadre, unit, evaluator, leader]) {
    for (const action of ['select', 'reject', 'return', 'publish', 'withdraw']) {
      const r = await move(s, p.id, { action, reason: '理由' });
      assert.equal(r.status, 403, `${s.user.login} ${action}`);
    }
    assert.equal((await api(srv, s, 'PATCH', `/api/v1/problems/${p.id}`, { priority: '1' })).status, 403);
    assert.equal((await api(srv, s, 'POST', '/api/v1/problems/transitions', { action: 'select', ids: [p.id] })).status, 403);
  }
  assert.equal((await move(null, p.id, { action: 'select' })).status, 401);
  assert.equal(await tables(), was);
  // the queue is internal too
  assert.equal((await page(srv, cadre, '/api/v1/problems?state=proposed')).status, 403);
  assert.equal((await page(srv, null, '/api/v1/problems?state=proposed')).status, 401);
});

test('two screeners act on one proposal at the same moment: exactly one wins, the other gets 409', async () => {
  // Each sends the state it saw (as the pages do): the second finds another.
  for (let round = 0; round < 5; round++) {
    const p = await propose(cadre, { title: `并发遴选第${round}件` });
    const [x, y] = await Promise.all([
      move(admin, p.id, { action: 'select', from: 'proposed' }),
      move(admin2, p.id, { action: 'reject', reason: '与已有难题重复', from: 'proposed' }),
    ]);
    const statuses = [x.status, y.status].sort();
    assert.deepEqual(statuses, [200, 409], `${x.text} / ${y.text}`);
    const state = await q(`SELECT state FROM problem WHERE id = ${p.id}`);
    assert.equal(state, x.status === 200 ? 'selected' : 'rejected');
    assert.equal(await q(`SELECT count(*) FROM audit_event WHERE object_type = 'problem' AND object_id = ${p.id} AND action IN ('problem.select', 'problem.reject')`), '1');
    assert.match((x.status === 409 ? x : y).json().error.message, /现为“(已遴选|未入选)”/);
  }
  // the same action twice at once: the compare-and-set alone decides
  const p = await propose(cadre, { title: '并发同一操作' });
  const both = await Promise.all([move(admin, p.id, { action: 'select' }), move(admin2, p.id, { action: 'select' })]);
  assert.deepEqual(both.map((r) => r.status).sort(), [200, 409]);
});

test('publishing in rounds: each round is numbered and dated, the problems become public and the board shows them', async () => {
  const ps = [];
  for (let i = 0; i < 3; i++) ps.push(await propose(cadre, { title: `分批发榜测试难题${i}` }));
  let r = await api(srv, admin, 'POST', '/api/v1/problems/transitions', { action: 'select', ids: ps.map((p) => p.id) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().transition.moved, 3);
  r = await api(srv, admin, 'POST', '/api/v1/problems/transitions', { action: 'publish', ids: [ps[0].id, ps[1].id] });
  assert.equal(r.status, 200, r.text);
  const first = r.json().transition;
  r = await move(admin, ps[2].id, { action: 'publish' });
  const second = r.json().transition;
  assert.equal(second.round, first.round + 1);
  const rounds = (await page(srv, admin, `/api/v1/batches/${batchId}/publications`)).json().items;
  assert.deepEqual(rounds.slice(-2).map((x) => [x.round, x.n]), [[first.round, 2], [second.round, 1]]);
  assert.ok(rounds.every((x) => x.published_at > 0));
  for (const p of ps) {
    const pub = await page(srv, null, `/api/v1/problems/${p.id}`);
    assert.equal(pub.status, 200, 'public now');
    assert.equal(pub.json().state, 'published');
  }
  // the public timeline tells the way here, in words, without logins
  const tl = (await page(srv, null, `/api/v1/problems/${ps[2].id}`)).json().timeline;
  assert.deepEqual(tl.map((e) => e.title), ['提出难题', '遴选入选', '发榜']);
  assert.match(tl[2].detail, new RegExp(`第${second.round}轮发榜`));
  assert.ok(!JSON.stringify(tl).includes('"admin"'));
  const html = (await page(srv, null, `/problems/${ps[2].id}`)).text;
  assert.match(html, /办理记录/);
  const board = await page(srv, null, `/?batch=${batchId}`);
  for (const p of ps) assert.ok(board.text.includes(p.title), `the board lists ${p.title}`);
  const n = (await page(srv, cadre, '/api/v1/notifications')).json().items;
  assert.ok(n.some((x) => x.title === `您的出卷“${ps[2].title}”已发榜`));
});

test('bulk is all or nothing: one problem that may not move refuses the lot, naming it', async () => {
  const a = await propose(cadre, { title: '批量操作甲' });
  const b = await propose(cadre, { title: '批量操作乙' });
  assert.equal((await move(admin, b.id, { action: 'select' })).status, 200);
  const was = await tables();
  const r = await api(srv, admin, 'POST', '/api/v1/problems/transitions', { action: 'select', ids: [a.id, b.id] });
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, new RegExp(`#${b.id} 批量操作乙`));
  assert.equal(await tables(), was);
  const dup = await api(srv, admin, 'POST', '/api/v1/problems/transitions', { action: 'select', ids: [a.id, a.id] });
  assert.equal(dup.status, 400);
  const none = await api(srv, admin, 'POST', '/api/v1/problems/transitions', { action: 'select', ids: [] });
  assert.equal(none.status, 400);
  assert.equal(await tables(), was);
});

test('screening ends when the batch is at work; withdrawing does not', async () => {
  const p = await propose(cadre, { title: '阶段检查用出卷' });
  assert.equal((await api(srv, admin, 'PATCH', `/api/v1/batches/${batchId}`, { phase: 'working' })).status, 200);
  try {
    const r = await move(admin, p.id, { action: 'select' });
    assert.equal(r.status, 409);
    assert.equal(r.json().error.code, 'wrong_phase');
    assert.match(r.json().error.message, /已进入“攻坚”阶段/);
    const w = await move(admin, p.id, { action: 'withdraw', reason: '情况已变化' });
    assert.equal(w.status, 200, w.text);
    assert.equal(w.json().problem.state, 'withdrawn');
  } finally {
    assert.equal((await api(srv, admin, 'PATCH', `/api/v1/batches/${batchId}`, { phase: 'collecting' })).status, 200);
  }
});

test('category and priority are set while the problem is open; the queue filters and counts', async () => {
  const p = await propose(cadre, { title: '优先级测试出卷' });
  let r = await api(srv, admin, 'PATCH', `/api/v1/problems/${p.id}`, { category: '民生发展类', priority: '2' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().problem.category, '民生发展类');
  assert.equal(r.json().problem.priority_label, '紧急');
  r = await api(srv, admin, 'PATCH', `/api/v1/problems/${p.id}`, { priority: '7' });
  assert.equal(r.status, 400);
  assert.equal(r.json().error.field, 'priority');
  const qd = (await page(srv, admin, `/api/v1/problems?state=screening&batch=${batchId}`)).json();
  assert.equal(qd.items[0].id, p.id, 'the most urgent first');
  assert.ok(qd.counts.proposed >= 1 && qd.counts.rejected >= 1);
  const total = qd.total;
  const res = (await page(srv, admin, `/api/v1/problems?state=proposed&batch=${batchId}&residents=1`)).json();
  assert.ok(res.items.length >= 1 && res.items.every((x) => x.from_resident));
  assert.ok(res.total < total);
  const ret = (await page(srv, admin, `/api/v1/problems?state=proposed&batch=${batchId}&returned=1`)).json();
  assert.ok(ret.items.every((x) => x.returned));
  const search = (await page(srv, admin, `/api/v1/problems?state=screening&q=${encodeURIComponent('优先级')}`)).json();
  assert.deepEqual(search.items.map((x) => x.id), [p.id]);
  // a unit admin sees its own unit's proposals only
  const u = (await page(srv, unit, '/api/v1/problems?state=screening')).json();
  assert.ok(u.items.every((x) => x.unit === '县委宣传部'), JSON.stringify(u.items.map((x) => x.unit)));
});

test('查重: similar titles are suggested, open proposals to signed-in users only', async () => {
  const p = await propose(cadre, { title: '城区停车位严重不足' });
  const s = (await page(srv, cadre, `/api/v1/problems/similar?title=${encodeURIComponent('城区停车位不足问题')}`)).json().items;
  assert.ok(s.some((x) => x.id === p.id), JSON.stringify(s));
  const anon = (await page(srv, null, `/api/v1/problems/similar?title=${encodeURIComponent('城区停车位不足问题')}`)).json().items;
  assert.ok(!anon.some((x) => x.id === p.id), 'a resident is not shown unpublished proposals');
  const none = (await page(srv, cadre, `/api/v1/problems/similar?title=${encodeURIComponent('完全无关的标题内容')}`)).json().items;
  assert.ok(!none.some((x) => x.id === p.id));
  const self = (await page(srv, cadre, `/api/v1/problems/similar?title=${encodeURIComponent('城区停车位严重不足')}&exclude=${p.id}`)).json().items;
  assert.ok(!self.some((x) => x.id === p.id));
});

test('an unsolved problem is carried into another batch with its history; solved, closed or ended ones are not', async () => {
  const p = await propose(cadre, { title: '跨批次延续的难题' });
  assert.equal((await move(admin, p.id, { action: 'select' })).status, 200);
  const next = (await api(srv, admin, 'POST', '/api/v1/batches', { name: '下一批次', year: 2028, phase: 'collecting' })).json().batch.id;
  const ended = (await api(srv, admin, 'POST', '/api/v1/batches', { name: '已结束批次', year: 2020, phase: 'closed' })).json().batch.id;
  const solved = +(await q("SELECT min(id) FROM problem WHERE tenant_id = 1 AND state = 'solved'"));
  const was = await tables();
  let r = await api(srv, admin, 'POST', '/api/v1/problems/carry', { batch_id: ended, ids: [p.id] });
  assert.equal(r.status, 400);
  assert.equal(r.json().error.code, 'batch_closed');
  r = await api(srv, admin, 'POST', '/api/v1/problems/carry', { batch_id: next, ids: [p.id, solved] });
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /只有未破题的难题才能转入下一批次/);
  assert.equal((await api(srv, cadre, 'POST', '/api/v1/problems/carry', { batch_id: next, ids: [p.id] })).status, 403);
  assert.equal(await tables(), was);
  r = await api(srv, admin, 'POST', '/api/v1/problems/carry', { batch_id: next, ids: [p.id] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().moved, 1);
  const [batch, from, state] = (await q(`SELECT batch_id, carried_from_batch, state FROM problem WHERE id = ${p.id}`)).split('|');
  assert.deepEqual([+batch, +from, state], [next, batchId, 'selected']);
  // its history stays with it
  assert.equal(await q(`SELECT count(*) FROM audit_event WHERE object_type = 'problem' AND object_id = ${p.id} AND action IN ('problem.propose', 'problem.select', 'problem.carry')`), '3');
  r = await api(srv, admin, 'POST', '/api/v1/problems/carry', { batch_id: next, ids: [p.id] });
  assert.equal(r.json().error.code, 'same_batch');
});

test('two admins carrying one problem into two batches at once: one wins, the other gets 409', async () => {
  // Each sends the batch it saw the problem in (from_batch_id).
  const b1 = (await api(srv, admin, 'POST', '/api/v1/batches', { name: '并发转入甲', year: 2028, phase: 'collecting' })).json().batch.id;
  const b2 = (await api(srv, admin, 'POST', '/api/v1/batches', { name: '并发转入乙', year: 2028, phase: 'collecting' })).json().batch.id;
  for (let round = 0; round < 3; round++) {
    const p = await propose(cadre, { title: `并发转入第${round}件` });
    const rs = await Promise.all([
      api(srv, admin, 'POST', '/api/v1/problems/carry', { batch_id: b1, from_batch_id: batchId, ids: [p.id] }),
      api(srv, admin2, 'POST', '/api/v1/problems/carry', { batch_id: b2, from_batch_id: batchId, ids: [p.id] }),
    ]);
    const statuses = rs.map((r) => r.status);
    assert.deepEqual([...statuses].sort(), [200, 409], rs.map((r) => r.text).join(' / '));
    const won = statuses[0] === 200 ? b1 : b2;
    assert.equal(+(await q(`SELECT batch_id FROM problem WHERE id = ${p.id}`)), won);
    assert.equal(await q(`SELECT count(*) FROM audit_event WHERE action = 'problem.carry' AND object_id = ${p.id}`), '1');
  }
});
