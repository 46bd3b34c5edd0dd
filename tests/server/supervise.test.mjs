// supervise.test.mjs - 督办 (issue on a red claim -> the owner and the lead
// are told -> one reply; escalation by the background task at an injected
// clock), extension requests (approve, refuse, history), comments (the
// team writes, leaders read, 15-minute edits, marked removals, hostile
// text escaped), 我的工作 for each demo role and the daily digest.
// Claims are written into the store (claims_fixture.mjs); the background
// thread is off (JIEBANG_TASK_PERIOD=0) and `jiebang digest --now` runs it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, run, validHtml } from './harness.mjs';
import { login, form, api, page, openSql } from './accounts.mjs';
import { mkClaim, day, ymd, now } from './claims_fixture.mjs';

let srv, conn, batch;
// The server's calendar (util/clock.h): seconds to move it forward.
const CLOCK = join(mkdtempSync(join(tmpdir(), 'jb-clock-')), 'offset');
const moveClock = (seconds) => writeFileSync(CLOCK, String(seconds));
const S = {};
const CADRE = 102, OTHER = 103, LEADER_USER_LOGIN = 'leader';
const HOSTILE = '<script>alert(1)</script>"&\'<img src=x onerror=alert(2)>';

const digest = (at) => {
  const r = run(['digest', '--db', srv.store, '--now', String(at)]);
  assert.equal(r.status, 0, r.stderr);
  return +r.stdout.match(/(\d+) row/)[1];
};
const count = async (sqlText) => +(await conn.query(sqlText)).trim();
const userId = async (loginName) => count(`SELECT id FROM app_user WHERE tenant_id = 1 AND login = '${loginName}'`);

before(async () => {
  moveClock(0);
  srv = await startServer({ env: { JIEBANG_TASK_PERIOD: '0', JIEBANG_LOGINS_PER_ADDR: '1000', JIEBANG_CLOCK_FILE: CLOCK } });
  conn = openSql(srv.store);
  for (const r of ['admin', 'unit', 'cadre', 'evaluator', 'leader']) S[r] = await login(srv, r);
  const b = await api(srv, S.admin, 'POST', '/api/v1/batches', { name: '督办测试批次', year: 2027, phase: 'working' });
  assert.equal(b.status, 201, b.text);
  batch = b.json().batch.id;
});
after(async () => { conn.close(); await srv.stop(); });

test('a notice is issued on a red claim only, told to the owner, answered once', async () => {
  const green = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER });
  let r = await api(srv, S.admin, 'POST', `/api/v1/claims/${green.claim}/supervisions`, { reason: '请加快进度', reply_by: ymd(day(3)) });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json().error.message, /红灯/);

  const red = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER, milestoneDue: day(-2) });
  r = await api(srv, S.admin, 'POST', `/api/v1/claims/${red.claim}/supervisions`, { reason: '节点逾期', reply_by: ymd(day(0)) });
  assert.equal(r.status, 400, 'reply_by today is refused');
  assert.equal(r.json().error.field, 'reply_by');
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${red.claim}/supervisions`, { reason: '节点逾期', reply_by: ymd(day(3)) });
  assert.equal(r.status, 403);
  const cadreUser = await userId('cadre');
  const before_ = await count(`SELECT count(*) FROM notification WHERE user_id = ${cadreUser}`);
  r = await api(srv, S.admin, 'POST', `/api/v1/claims/${red.claim}/supervisions`, { reason: '节点逾期，请说明原因', reply_by: ymd(day(3)) });
  assert.equal(r.status, 201, r.text);
  const s = r.json().supervision;
  assert.match(s.number, /^督〔\d{4}〕\d+号$/);
  assert.equal(s.state, 'open');
  assert.equal(await count(`SELECT count(*) FROM notification WHERE user_id = ${cadreUser} AND kind = 'claim.supervise'`) >= 1, true);
  assert.equal(await count(`SELECT count(*) FROM notification WHERE user_id = ${cadreUser}`), before_ + 1);
  // Someone not on the team may not answer; the owner answers once.
  r = await api(srv, S.unit, 'POST', `/api/v1/supervisions/${s.id}/reply`, { reply: '不是我的' });
  assert.equal(r.status, 403);
  r = await api(srv, S.cadre, 'POST', `/api/v1/supervisions/${s.id}/reply`, { reply: '已制定赶工计划' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().supervision.state, 'replied');
  r = await api(srv, S.cadre, 'POST', `/api/v1/supervisions/${s.id}/reply`, { reply: '再答复一次' });
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /不能重复答复/);
  const list = (await page(srv, S.admin, `/api/v1/claims/${red.claim}/supervisions`)).json();
  assert.equal(list.supervisions.length, 1);
  assert.equal(list.supervisions[0].reply, '已制定赶工计划');
  assert.equal((await page(srv, S.evaluator, `/api/v1/claims/${red.claim}/supervisions`)).status, 404);
  assert.equal((await count(`SELECT count(*) FROM audit_event WHERE action = 'supervision.reply' AND object_id = ${s.id} AND outcome = 'ok'`)), 1);
});

test('an unanswered notice past its day is 逾期未复 at once and escalated once by the task', async () => {
  const red = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER, milestoneDue: day(-1) });
  const r = await api(srv, S.admin, 'POST', `/api/v1/claims/${red.claim}/supervisions`, { reason: '请答复', reply_by: ymd(day(1)) });
  assert.equal(r.status, 201, r.text);
  const id = r.json().supervision.id;
  const leaderUser = await userId(LEADER_USER_LOGIN);
  const seen = () => count(`SELECT count(*) FROM notification WHERE user_id = ${leaderUser} AND kind = 'supervision.escalate'`);
  const before_ = await seen();
  assert.ok(digest(day(1) + 12 * 3600) >= 0, 'on its day: not yet');
  assert.equal(await seen(), before_);
  digest(day(2) + 60);
  assert.equal(await seen(), before_ + 1, 'the leader is told');
  assert.equal(await count(`SELECT count(*) FROM audit_event WHERE action = 'supervision.escalate' AND object_id = ${id}`), 1);
  digest(day(3));
  assert.equal(await seen(), before_ + 1, 'once');
  assert.equal(await count(`SELECT count(*) FROM audit_event WHERE action = 'supervision.escalate' AND object_id = ${id}`), 1);
  // Shown to leaders on their work page, computed at read time.
  await conn.query(`UPDATE supervision SET reply_by = ${day(-2)} WHERE id = ${id}`);
  const w = (await page(srv, S.leader, '/api/v1/me/work')).json();
  assert.ok(w.waiting.some((x) => x.kind === 'overdue_reply' && x.object_id === id), JSON.stringify(w.waiting));
  const p = await page(srv, S.leader, '/me/work');
  assert.match(p.text, /督办逾期未复/);
});

test('an extension: owner only, before the deadline, one pending; refused keeps, approved moves the deadline', async () => {
  const c = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER, deadline: day(20) });
  let r = await api(srv, S.unit, 'POST', `/api/v1/claims/${c.claim}/extend`, { reason: '需要协调', new_deadline: ymd(day(40)) });
  assert.equal(r.status, 403);
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${c.claim}/extend`, { reason: '需要协调', new_deadline: ymd(day(10)) });
  assert.equal(r.status, 400);
  assert.equal(r.json().error.field, 'new_deadline');
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${c.claim}/extend`, { reason: '需要协调资金', new_deadline: ymd(day(40)) });
  assert.equal(r.status, 201, r.text);
  const first = r.json().extension.id;
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${c.claim}/extend`, { reason: '再申请', new_deadline: ymd(day(50)) });
  assert.equal(r.status, 409);
  r = await api(srv, S.cadre, 'POST', `/api/v1/extensions/${first}/approve`, {});
  assert.equal(r.status, 403);
  r = await api(srv, S.admin, 'POST', `/api/v1/extensions/${first}/refuse`, {});
  assert.equal(r.status, 400, 'a refusal needs a reason');
  r = await api(srv, S.admin, 'POST', `/api/v1/extensions/${first}/refuse`, { reason: '理由不充分' });
  assert.equal(r.status, 200, r.text);
  assert.equal(await count(`SELECT deadline FROM claim WHERE id = ${c.claim}`), day(20));
  r = await api(srv, S.admin, 'POST', `/api/v1/extensions/${first}/approve`, {});
  assert.equal(r.status, 409, 'decided already');
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${c.claim}/extend`, { reason: '资金已落实一半', new_deadline: ymd(day(35)) });
  assert.equal(r.status, 201);
  const second = r.json().extension.id;
  assert.ok((await page(srv, S.admin, '/api/v1/me/work')).json().waiting.some((x) => x.kind === 'decide' && x.object_id === second));
  r = await api(srv, S.admin, 'POST', `/api/v1/extensions/${second}/approve`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(await count(`SELECT deadline FROM claim WHERE id = ${c.claim}`), day(35));
  const h = (await page(srv, S.cadre, `/api/v1/claims/${c.claim}/supervisions`)).json().extensions;
  assert.deepEqual(h.map((e) => [e.state, e.old_deadline, e.new_deadline]),
    [['refused', ymd(day(20)), ymd(day(40))], ['approved', ymd(day(20)), ymd(day(35))]]);
  assert.equal(await count(`SELECT count(*) FROM notification WHERE kind IN ('extension.approve', 'extension.refuse') AND object_id = ${c.claim}`), 2);
  // After the deadline nothing more can be asked.
  await conn.query(`UPDATE claim SET deadline = ${day(-1)} WHERE id = ${c.claim}`);
  r = await api(srv, S.cadre, 'POST', `/api/v1/claims/${c.claim}/extend`, { reason: '晚了', new_deadline: ymd(day(60)) });
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /已过/);
});

test('comments: the team and admins write, leaders read, the public sees nothing; edits for 15 minutes; removals are marked', async () => {
  const c = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER });
  const path = `/api/v1/problems/${c.problem}/comments`;
  assert.equal((await page(srv, null, path)).status, 401);
  assert.equal((await page(srv, S.evaluator, path)).status, 403);
  assert.equal((await api(srv, S.evaluator, 'POST', path, { body: '路过' })).status, 403);
  assert.equal((await api(srv, S.leader, 'POST', path, { body: '领导意见' })).status, 403);
  assert.equal((await api(srv, S.cadre, 'POST', path, { body: '   ' })).status, 400);
  let r = await api(srv, S.cadre, 'POST', path, { body: HOSTILE });
  assert.equal(r.status, 201, r.text);
  const id = r.json().comment.id;
  assert.equal((await api(srv, S.admin, 'POST', path, { body: '组织部意见：抓紧推进' })).status, 201);
  assert.equal((await page(srv, S.leader, path)).json().items.length, 2);
  // Escaped on the problem page for the team; not shown to the public.
  const mine = await page(srv, S.cadre, `/problems/${c.problem}`);
  assert.equal(mine.status, 200);
  validHtml(mine.text);
  assert.ok(!mine.text.includes('<script>alert(1)'), 'escaped');
  assert.ok(mine.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.match(mine.text, /意见交流/);
  const pub = await page(srv, null, `/problems/${c.problem}`);
  assert.doesNotMatch(pub.text, /意见交流|alert\(1\)/);
  // Edit within 15 minutes; by another: refused; after: a conflict.
  r = await api(srv, S.admin, 'PATCH', `/api/v1/comments/${id}`, { body: '别人改' });
  assert.equal(r.status, 403);
  r = await api(srv, S.cadre, 'PATCH', `/api/v1/comments/${id}`, { body: '修改后的意见' });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json().comment.edited_at);
  moveClock(14 * 60);
  r = await api(srv, S.cadre, 'PATCH', `/api/v1/comments/${id}`, { body: '14 分钟后还能改' });
  assert.equal(r.status, 200, r.text);
  moveClock(16 * 60);
  r = await api(srv, S.cadre, 'PATCH', `/api/v1/comments/${id}`, { body: '太晚了' });
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /15 分钟/);
  const f = await form(srv, S.cadre, `/comments/${id}/edit`, { body: '页面上太晚了' });
  assert.equal(f.status, 409);
  assert.match(f.text, /15 分钟/);
  assert.match(f.text, /页面上太晚了/, 'what was typed is kept');
  moveClock(0);
  // Removal.
  assert.equal((await api(srv, S.cadre, 'POST', `/api/v1/comments/${id}/remove`, {})).status, 403);
  r = await api(srv, S.admin, 'POST', `/api/v1/comments/${id}/remove`, {});
  assert.equal(r.status, 200, r.text);
  const items = (await page(srv, S.cadre, path)).json().items;
  assert.equal(items[0].removed, true);
  assert.equal(items[0].body, '');
  assert.match((await page(srv, S.cadre, `/problems/${c.problem}`)).text, /此意见已由管理员删除（\d{4}-\d{2}-\d{2} \d{2}:\d{2}）/);
  assert.equal(await count(`SELECT count(*) FROM problem_comment WHERE id = ${id}`), 1, 'kept');
});

test('我的工作 lists what waits for each demo role, and hostile titles are escaped there', async () => {
  const signing = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER, state: 'approved', title: HOSTILE });
  await conn.query(`UPDATE claim SET signed_at = NULL WHERE id = ${signing.claim}`);
  const endorse = await mkClaim(conn, { batch, owner: OTHER, lead: 104, state: 'endorsing', problemState: 'published' });
  const applied = await mkClaim(conn, { batch, unit: 18, owner: 104, lead: 105, state: 'applied', problemState: 'published' });
  const soon = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER, milestoneDue: day(3) });
  const w = async (role) => (await page(srv, S[role], '/api/v1/me/work')).json();
  const cadre = await w('cadre');
  assert.ok(cadre.waiting.some((x) => x.kind === 'sign' && x.claim_id === signing.claim));
  assert.ok(cadre.milestones.some((x) => x.claim_id === soon.claim));
  // Signed 40 days ago with no report: 未报送, which comes before 临期, and a report is due.
  assert.ok(cadre.claims.some((x) => x.claim_id === soon.claim && x.role === 'owner' && x.light === 'unreported'));
  assert.ok(cadre.waiting.some((x) => x.kind === 'report' && x.claim_id === soon.claim));
  await conn.query(`INSERT INTO progress (tenant_id, id, claim_id, author_person_id, at, title) VALUES (1, 990001, ${soon.claim}, ${CADRE}, ${now()}, '进展')`);
  assert.ok((await w('cadre')).claims.some((x) => x.claim_id === soon.claim && x.light === 'yellow'), 'reported: 临期');
  assert.ok(!cadre.waiting.some((x) => x.kind === 'approve'));
  const unit = await w('unit');
  assert.ok(unit.waiting.some((x) => x.kind === 'endorse' && x.claim_id === endorse.claim));
  assert.ok(!unit.waiting.some((x) => x.claim_id === applied.claim), 'another unit');
  const admin = await w('admin');
  assert.ok(admin.waiting.some((x) => x.kind === 'approve' && x.claim_id === applied.claim));
  assert.deepEqual((await w('evaluator')).waiting, []);
  assert.equal((await page(srv, null, '/api/v1/me/work')).status, 401);
  for (const role of ['admin', 'unit', 'cadre', 'evaluator', 'leader']) {
    const p = await page(srv, S[role], '/me/work');
    assert.equal(p.status, 200, role);
    validHtml(p.text);
    assert.match(p.text, /我的工作/);
    assert.ok(!p.text.includes('<script>alert(1)'), `${role}: escaped`);
  }
  assert.ok((await page(srv, S.cadre, '/me/work')).text.includes('&lt;script&gt;'));
});

test('the task reminds once per milestone, deadline and period, and makes one digest a day from 08:00', async () => {
  const c = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER, milestoneDue: day(2), deadline: day(5) });
  const cadreUser = await userId('cadre');
  const kinds = async (kind) => count(`SELECT count(*) FROM notification WHERE user_id = ${cadreUser} AND kind = '${kind}'` +
    ` AND object_id IN (${c.claim}, ${c.milestone})`);
  digest(day(0) + 3600); // 01:00 local: reminders, but no digest before 08:00
  assert.equal(await kinds('milestone.due'), 1);
  digest(day(1));
  assert.equal(await kinds('milestone.due'), 1, 'once');
  digest(day(3) + 3600);
  assert.equal(await kinds('claim.overdue'), 1, 'the milestone passed');
  digest(day(6));
  assert.equal(await kinds('claim.overdue'), 2, 'and the deadline');
  digest(day(7));
  assert.equal(await kinds('claim.overdue'), 2, 'once each');
  // Digest: after 08:00 local, one per user and day; the notifications point at it.
  const at = day(10) + 9 * 3600;
  digest(at);
  const d1 = await count(`SELECT count(*) FROM notification_digest WHERE user_id = ${cadreUser} AND day = '${ymd(at)}'`);
  assert.equal(d1, 1);
  assert.equal(await count(`SELECT count(*) FROM notification WHERE user_id = ${cadreUser} AND read_at IS NULL AND digest_id IS NULL`), 0);
  digest(at + 3600);
  assert.equal(await count(`SELECT count(*) FROM notification_digest WHERE user_id = ${cadreUser} AND day = '${ymd(at)}'`), 1);
  const p = await page(srv, S.cadre, '/me/notifications');
  assert.match(p.text, /今日待办摘要：\d+ 项/);
  validHtml(p.text);
  assert.equal(digest(day(10) + 9 * 3600 + 60), 0, 'nothing left to do writes nothing');
});

test('page forms: a refused form keeps what was typed beside the field; a good one goes back', async () => {
  const red = await mkClaim(conn, { batch, owner: CADRE, lead: OTHER, milestoneDue: day(-3) });
  let r = await form(srv, S.admin, `/claims/${red.claim}/supervisions`, { reason: '保留这段文字', reply_by: '2000-01-01' });
  assert.equal(r.status, 400);
  validHtml(r.text);
  assert.match(r.text, /保留这段文字/);
  assert.match(r.text, /答复期限须在今天之后/);
  r = await form(srv, S.admin, `/claims/${red.claim}/supervisions`, { reason: '请说明', reply_by: ymd(day(2)), back: '/me/work' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/me/work');
  r = await form(srv, S.admin, `/claims/${red.claim}/supervisions`, { reason: '外链', reply_by: ymd(day(2)), back: '//evil.example/' });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/me\/work/);
  const g = await page(srv, S.admin, `/claims/${red.claim}/supervisions/new`);
  assert.equal(g.status, 200);
  validHtml(g.text);
  assert.match(g.text, /督〔\d{4}〕\d+号/);
});
