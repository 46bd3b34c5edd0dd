// The claim half through the API: apply with a cross-unit team, approve,
// sign twice, report progress, the light turning red when a milestone
// passes (the server's calendar moved by JIEBANG_CLOCK_FILE, no sleeping),
// solve and return; competing applications and 赛马; the three routes;
// bad applications change nothing; two admins approving at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { startServer } from './harness.mjs';
import { login, api, page, openSql, freshUser } from './accounts.mjs';

const DAY = 86400;
let srv, conn, admin, admin2, cadre, unit, leadUser, member, batchId, clockFile, cadrePerson, unitId;
let persons = [];   // [{ id, unit_id }] of ten different units, none linked to a demo login
const q = async (text) => (await conn.query(text)).trim();
const setClock = (days) => writeFileSync(clockFile, String(days * DAY));
const claimRows = () => q('SELECT id, state, coalesce(owner_signed_at, 0), coalesce(lead_signed_at, 0) FROM claim' +
  ' WHERE tenant_id = 1 ORDER BY id');
const tables = async () => [await claimRows(), await q('SELECT count(*) FROM claim_member'), await q('SELECT count(*) FROM milestone'),
  await q('SELECT count(*) FROM metric'), await q('SELECT id, state FROM problem WHERE tenant_id = 1 ORDER BY id'),
  await q('SELECT count(*) FROM progress')].join('\n');
const ymd = (epoch) => new Date((epoch + 8 * 3600) * 1000).toISOString().slice(0, 10);
const now = () => Math.floor(Date.now() / 1000);

// A problem published in a batch that is in 发榜揭榜.
const phase = async (p) => {
  const r = await api(srv, admin, 'PATCH', `/api/v1/batches/${batchId}`, { phase: p });
  assert.equal(r.status, 200, r.text);
};
async function published(title) {
  await phase('collecting');
  let r = await api(srv, cadre, 'POST', '/api/v1/problems', {
    title, description: '测试用难题：多个部门职责交叉，长期推不动，需要跨单位攻坚。', category: '项目建设类', batch_id: batchId,
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json().problem.id;
  for (const action of ['select', 'publish']) {
    r = await api(srv, admin, 'POST', `/api/v1/problems/${id}/transitions`, { action });
    assert.equal(r.status, 200, r.text);
  }
  await phase('claiming');
  return id;
}

function application(extra = {}) {
  const due = now() + 60 * DAY;
  return {
    unit_id: unitId, route: 'self', lead_person_id: leadUser.person, owner_person_id: cadrePerson,
    members: persons.slice(0, 13).map((p, i) => ({ person_id: p.id, unit_id: p.unit_id, role: i === 0 ? 'liaison' : i === 1 ? 'mentor' : 'member' })),
    cooperating_unit_ids: persons.slice(1, 3).map((p) => p.unit_id).filter((u) => u !== unitId),
    plan: '分三步推进：摸底、协调、验收。', goals: '年内完成管网改造6.5公里', pledge: '不破难题不收兵', reward_penalty: '完成则记功，未完成则约谈',
    deadline: ymd(now() + 200 * DAY),
    milestones: [{ title: '完成摸底', due: ymd(due) }, { title: '完成改造', due: ymd(now() + 150 * DAY) }],
    metrics: [{ name: '改造管网', kind: 'count', uom: '米', baseline: '0', target: '6500' },
      { name: '节约资金', kind: 'money', uom: '元', target: '120000.50' }],
    ...extra,
  };
}

before(async () => {
  clockFile = `/tmp/jiebang-clock-${process.pid}`;
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000', JIEBANG_CLOCK_FILE: clockFile } });
  setClock(0);
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  cadre = await login(srv, 'cadre');
  unit = await login(srv, 'unit');
  admin2 = (await freshUser(srv, 'admin2', ['admin'])).session;
  cadrePerson = cadre.user.person_id;
  assert.ok(cadrePerson, 'the demo cadre is linked to a person');
  unitId = +(await q(`SELECT unit_id FROM person WHERE id = ${cadrePerson}`));
  const linked = (await q('SELECT coalesce(person_id, 0) FROM app_user')).split('\n').map(Number);
  const rows = (await q('SELECT min(id), unit_id FROM person WHERE tenant_id = 1 GROUP BY unit_id ORDER BY unit_id')).split('\n')
    .map((l) => l.split('|').map(Number)).filter(([id]) => !linked.includes(id) && id !== cadrePerson);
  persons = rows.map(([id, u]) => ({ id, unit_id: u }));
  const more = (await q(`SELECT id, unit_id FROM person WHERE tenant_id = 1 AND id NOT IN (${[...linked, cadrePerson, ...persons.map((p) => p.id)].join(',')}) ORDER BY id LIMIT 20`))
    .split('\n').map((l) => l.split('|').map(Number)).map(([id, u]) => ({ id, unit_id: u }));
  persons = [...persons.slice(0, 10), ...more];
  assert.ok(persons.length >= 20);
  const lead = persons.pop();
  leadUser = { person: lead.id, ...(await freshUser(srv, 'lead9', ['cadre'], ['--person', String(lead.id), '--unit', String(lead.unit_id)])) };
  const m = persons[3];
  member = (await freshUser(srv, 'member9', ['cadre'], ['--person', String(m.id), '--unit', String(m.unit_id)])).session;
  const r = await api(srv, admin, 'POST', '/api/v1/batches', { name: '测试揭榜批次', year: 2027, phase: 'claiming' });
  assert.equal(r.status, 201, r.text);
  batchId = r.json().batch.id;
});
after(async () => { conn?.close(); await srv?.stop(); rmSync(clockFile, { force: true }); });

test('the journey: apply with a team of 15 from 10 units, approve, sign twice, report, red light, solve, return', async () => {
  const pid = await published('跨部门管网改造推进难');
  let r = await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`, application());
  assert.equal(r.status, 201, r.text);
  let k = r.json().claim;
  assert.equal(k.state, 'applied');
  assert.equal(k.members.length, 15);
  assert.ok(new Set(k.members.map((m) => m.unit_id)).size >= 10, 'ten units on the team');
  assert.deepEqual(k.members.slice(0, 2).map((m) => m.role), ['lead', 'owner']);
  assert.equal(k.metrics[0].target, '6500');
  assert.equal(k.metrics[1].target, '120000.50');
  assert.equal(k.light, '');
  assert.deepEqual(k.actions, ['withdraw']);
  assert.equal((await page(srv, null, `/api/v1/claims/${k.id}`)).status, 404, 'an application is not public');
  const admins = (await page(srv, admin, '/api/v1/notifications')).json().items;
  assert.ok(admins.some((n) => n.title.includes('新的揭榜申请待审批')));

  r = await api(srv, cadre, 'POST', `/api/v1/claims/${k.id}/approve`, {});
  assert.equal(r.status, 403, 'a cadre does not approve');
  r = await api(srv, admin, 'POST', `/api/v1/claims/${k.id}/approve`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().claim.state, 'approved');
  assert.equal(r.json().transition.problem_moved, true);
  assert.equal(r.json().claim.problem_state, 'claimed');
  assert.equal((await page(srv, null, `/api/v1/claims/${k.id}`)).status, 200, 'the approved claim is public');

  r = await api(srv, member, 'POST', `/api/v1/claims/${k.id}/sign`, {});
  assert.equal(r.status, 403, 'a member does not sign');
  r = await api(srv, cadre, 'POST', `/api/v1/claims/${k.id}/sign`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().claim.state, 'approved');
  assert.ok(r.json().claim.owner_signed_at > 0);
  assert.equal((await api(srv, cadre, 'POST', `/api/v1/claims/${k.id}/sign`, {})).status, 409, 'signs once');
  const leadNotes = (await page(srv, leadUser.session, '/api/v1/notifications')).json().items;
  assert.ok(leadNotes.some((n) => n.title.includes('军令状待您签署')));
  r = await api(srv, leadUser.session, 'POST', `/api/v1/claims/${k.id}/sign`, {});
  assert.equal(r.status, 200, r.text);
  k = r.json().claim;
  assert.equal(k.state, 'signed');
  assert.equal(k.problem_state, 'in_progress');
  assert.equal(k.light, 'green');

  r = await api(srv, member, 'POST', `/api/v1/claims/${k.id}/progress`, {
    text: '完成摸底调查', values: [{ metric_id: k.metrics[0].id, value: '1200' }],
    milestones_done: [{ milestone_id: k.milestones[0].id, done: ymd(now()) }],
    difficulties: '<script>alert(1)</script>', help_needed: '需要住建局协调', next_steps: '启动改造',
  });
  assert.equal(r.status, 201, r.text);
  k = r.json().claim;
  assert.equal(k.metrics[0].achieved, '1200');
  assert.equal(k.metrics[0].completion, 18);
  assert.ok(k.milestones[0].done > 0);
  assert.equal(k.progress[0].help_needed, '需要住建局协调', 'the team sees what help is needed');
  const pub = (await page(srv, null, `/api/v1/claims/${k.id}`)).json().claim;
  assert.equal(pub.progress[0].help_needed, undefined, 'the public does not');
  const leadNotes2 = (await page(srv, leadUser.session, '/api/v1/notifications')).json().items;
  assert.ok(leadNotes2.some((n) => n.title.includes('需协调事项')));

  // 152 days on, the second milestone (due in 150) is past and not done
  setClock(152);
  k = (await page(srv, cadre, `/api/v1/claims/${k.id}`)).json().claim;
  assert.equal(k.light, 'red');
  assert.equal(k.milestones[1].overdue, true);
  setClock(0);

  r = await api(srv, member, 'POST', `/api/v1/claims/${k.id}/solve`, { text: '已完成' });
  assert.equal(r.status, 403, 'only the owner declares it solved');
  r = await api(srv, cadre, 'POST', `/api/v1/claims/${k.id}/solve`, { text: '改造全部完成', values: [{ metric_id: k.metrics[0].id, value: '6500' }] });
  assert.equal(r.status, 201, r.text);
  k = r.json().claim;
  assert.equal(k.state, 'solved');
  assert.equal(k.light, 'awaiting');
  assert.equal(k.problem_state, 'solved');
  r = await api(srv, admin, 'POST', `/api/v1/claims/${k.id}/return`, {});
  assert.equal(r.status, 400, 'a return needs its reason');
  r = await api(srv, admin, 'POST', `/api/v1/claims/${k.id}/return`, { reason: '佐证不足，请补充' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().claim.state, 'signed');
  assert.equal(r.json().claim.problem_state, 'in_progress');
  assert.equal(r.json().claim.reason, '佐证不足，请补充');
  // the problem's public history tells the claim's steps, naming the unit
  const tl = (await page(srv, null, `/api/v1/problems/${pid}`)).json().timeline;
  assert.deepEqual(tl.map((e) => e.title).slice(-4), ['揭榜获批', '签订军令状，进入攻坚', '申报破题，待验收', '破题申报被退回，继续攻坚']);
  assert.match(tl.at(-1).detail, /揭榜单位：/);
  assert.match(tl.at(-1).detail, /佐证不足/);
  const audit = await q(`SELECT action FROM audit_event WHERE object_type = 'claim' AND object_id = ${k.id} AND outcome = 'ok' ORDER BY id`);
  assert.deepEqual(audit.split('\n'), ['claim.apply', 'claim.approve', 'claim.sign', 'claim.sign', 'claim.progress', 'claim.solve', 'claim.return']);
});

test('bad applications get every field error at once and change nothing', async () => {
  const pid = await published('校验用难题');
  const was = await tables();
  const past = ymd(now() - DAY);
  const r = await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`, application({
    lead_person_id: cadrePerson,
    members: [{ person_id: persons[0].id }, { person_id: persons[0].id }, { person_id: 999999 }],
    milestones: [{ title: '过去的节点', due: past }, { title: '太晚的节点', due: ymd(now() + 400 * DAY) }],
    metrics: [{ name: '户数', kind: 'count', uom: '户', target: '10.5' }, { name: '百分比', kind: 'percent', target: '2000000' }],
  }));
  assert.equal(r.status, 400, r.text);
  const fields = r.json().error.fields.map((f) => f.field).sort();
  assert.deepEqual(fields, ['members.1.person_id', 'members.2.person_id', 'metrics.0.target', 'metrics.1.target',
    'milestones.0.due', 'milestones.1.due', 'owner_person_id'].sort(), JSON.stringify(r.json().error.fields));
  assert.match(r.json().error.fields.find((f) => f.field === 'owner_person_id').message, /不能是同一人/);
  // a figure that is no number is the binder's: refused before any rule
  const neg = await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`,
    application({ metrics: [{ name: '负数', kind: 'money', target: '-1' }] }));
  assert.equal(neg.status, 400);
  assert.equal(neg.json().error.field, 'metrics.0.target');
  const none = await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`, {});
  assert.equal(none.status, 400, none.text);
  assert.ok(none.json().error.fields.length >= 6);
  // not on the team: a cadre claims only for a team it is on
  const other = await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`,
    application({ members: [], owner_person_id: persons[5].id }));
  assert.equal(other.status, 400);
  assert.equal(other.json().error.code, 'not_on_team');
  assert.equal(await tables(), was);
});

test('competing applications: the admin approves one, the others are turned down and told; 赛马 allows two', async () => {
  const pid = await published('竞榜用难题');
  const a = (await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`, application({ members: [] }))).json().claim;
  const second = { ...application({ members: [], unit_id: persons[3].unit_id, owner_person_id: persons[3].id }) };
  const b = await api(srv, member, 'POST', `/api/v1/problems/${pid}/claims`, second);
  assert.equal(b.status, 201, b.text);
  const list = (await page(srv, admin, `/api/v1/problems/${pid}/claims`)).json().claims;
  assert.deepEqual(list.map((c) => c.state), ['applied', 'applied']);
  assert.equal((await page(srv, null, `/api/v1/problems/${pid}/claims`)).json().claims.length, 0, 'the public sees none');
  let r = await api(srv, admin, 'POST', `/api/v1/claims/${a.id}/approve`, { reason: '方案更具体' });
  assert.equal(r.status, 200, r.text);
  const bb = (await page(srv, admin, `/api/v1/claims/${b.json().claim.id}`)).json().claim;
  assert.equal(bb.state, 'rejected');
  assert.equal(bb.reason, '方案更具体');
  const told = (await page(srv, member, '/api/v1/notifications')).json().items;
  assert.ok(told.some((n) => n.title.includes('未获批准')));

  // 赛马: a batch that allows two teams in parallel
  let w = await api(srv, admin, 'PATCH', `/api/v1/batches/${batchId}`, { max_parallel: 2 });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json().batch.max_parallel, 2);
  assert.equal((await api(srv, admin, 'PATCH', `/api/v1/batches/${batchId}`, { max_parallel: 4 })).status, 400, 'at most three teams');
  const p2 = await published('赛马用难题');
  const ids = [];
  for (const [sess, body] of [[cadre, application({ members: [] })], [member, second],
    [leadUser.session, application({ members: [], unit_id: persons[4].unit_id, owner_person_id: leadUser.person, lead_person_id: persons[4].id })]]) {
    r = await api(srv, sess, 'POST', `/api/v1/problems/${p2}/claims`, body);
    assert.equal(r.status, 201, r.text);
    ids.push(r.json().claim.id);
  }
  assert.equal((await api(srv, admin, 'POST', `/api/v1/claims/${ids[0]}/approve`, {})).status, 200);
  assert.equal((await api(srv, admin, 'POST', `/api/v1/claims/${ids[1]}/approve`, {})).status, 200);
  assert.equal((await page(srv, admin, `/api/v1/claims/${ids[2]}`)).json().claim.state, 'rejected', 'the width is full');
  w = await api(srv, admin, 'PATCH', `/api/v1/batches/${batchId}`, { max_parallel: 1 });
  assert.equal(w.json().batch.max_parallel, 1);
});

test('two admins approving two competing applications at the same moment: exactly one wins', async () => {
  for (let round = 0; round < 4; round++) {
    const pid = await published(`同时审批用难题${round}`);
    const a = (await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`, application({ members: [] }))).json().claim;
    const b = (await api(srv, member, 'POST', `/api/v1/problems/${pid}/claims`,
      application({ members: [], unit_id: persons[3].unit_id, owner_person_id: persons[3].id }))).json().claim;
    const [ra, rb] = await Promise.all([api(srv, admin, 'POST', `/api/v1/claims/${a.id}/approve`, {}),
      api(srv, admin2, 'POST', `/api/v1/claims/${b.id}/approve`, {})]);
    assert.deepEqual([ra.status, rb.status].sort(), [200, 409], `${ra.text} ${rb.text}`);
    assert.equal(await q(`SELECT count(*) FROM claim WHERE problem_id = ${pid} AND state = 'approved'`), '1');
    assert.equal(await q(`SELECT count(*) FROM audit_event WHERE action = 'claim.approve' AND object_id IN (${a.id}, ${b.id})`), '1');
    assert.equal(await q(`SELECT state FROM problem WHERE id = ${pid}`), 'claimed');
  }
});

test('recommended by the unit: the liaison endorses first; 组织点将: the owner accepts or declines with a reason', async () => {
  const pid = await published('推荐与点将用难题');
  const unitOf = +(await q(`SELECT coalesce(unit_id, 0) FROM app_user WHERE login = 'unit'`));
  // a cadre of the liaison's unit, recommended
  const own = (await q(`SELECT id FROM person WHERE unit_id = ${unitOf} AND id NOT IN (SELECT coalesce(person_id, 0) FROM app_user) ORDER BY id LIMIT 2`)).split('\n').map(Number);
  const rec = await freshUser(srv, 'rec9', ['cadre'], ['--person', String(own[0]), '--unit', String(unitOf)]);
  let r = await api(srv, rec.session, 'POST', `/api/v1/problems/${pid}/claims`,
    application({ members: [], route: 'recommended', unit_id: unitOf, owner_person_id: own[0], lead_person_id: own[1] }));
  assert.equal(r.status, 201, r.text);
  const k = r.json().claim;
  assert.equal(k.state, 'endorsing');
  assert.equal((await api(srv, admin, 'POST', `/api/v1/claims/${k.id}/approve`, {})).status, 409, 'not before the unit endorses');
  assert.equal((await api(srv, cadre, 'POST', `/api/v1/claims/${k.id}/endorse`, {})).status, 403);
  r = await api(srv, unit, 'POST', `/api/v1/claims/${k.id}/endorse`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().claim.state, 'applied');
  assert.ok(r.json().claim.endorsed_at > 0);
  assert.equal((await api(srv, rec.session, 'POST', `/api/v1/claims/${k.id}/withdraw`, {})).status, 200, 'the applicant withdraws');

  // 组织点将 on another problem: the admin names the owner
  const p2 = await published('点将用难题');
  r = await api(srv, admin, 'POST', `/api/v1/problems/${p2}/claims`, application({ members: [], route: 'assigned' }));
  assert.equal(r.status, 201, r.text);
  const as = r.json().claim;
  assert.equal(as.state, 'assigned');
  assert.ok((await page(srv, cadre, '/api/v1/notifications')).json().items.some((n) => n.title.includes('组织点将')));
  assert.equal((await api(srv, cadre, 'POST', `/api/v1/problems/${p2}/claims`, application({ members: [], route: 'assigned' }))).status, 403);
  assert.equal((await api(srv, cadre, 'POST', `/api/v1/claims/${as.id}/decline-assignment`, {})).status, 400, 'a reason');
  r = await api(srv, cadre, 'POST', `/api/v1/claims/${as.id}/accept-assignment`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().claim.state, 'approved');
  assert.equal(r.json().claim.problem_state, 'claimed');
  // 退榜: the owner withdraws with a reason and the problem returns to the board
  r = await api(srv, cadre, 'POST', `/api/v1/claims/${as.id}/withdraw`, { reason: '工作调动' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().claim.state, 'withdrawn');
  assert.equal(r.json().claim.problem_state, 'published');
});

test('claims outside 发榜揭榜, on unpublished problems, or twice by one unit are refused naming why', async () => {
  const pid = await published('阶段用难题');
  await phase('working');
  let r = await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`, application({ members: [] }));
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /发榜揭榜/);
  await phase('claiming');
  assert.equal((await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`, application({ members: [] }))).status, 201);
  r = await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`, application({ members: [] }));
  assert.equal(r.status, 409);
  assert.equal(r.json().error.code, 'already_applied');
  assert.equal((await api(srv, cadre, 'POST', '/api/v1/problems/999999/claims', application())).status, 404);
});

test('a claim with a team of 60 from many units binds, is stored and read back whole', async () => {
  const pid = await published('六十人战队用难题');
  const linked = (await q('SELECT coalesce(person_id, 0) FROM app_user')).split('\n').map(Number);
  const people = (await q(`SELECT id, unit_id FROM person WHERE tenant_id = 1 AND id NOT IN (${[...linked, cadrePerson, leadUser.person].join(',')}) ORDER BY id LIMIT 58`))
    .split('\n').map((l) => l.split('|').map(Number));
  assert.equal(people.length, 58);
  const r = await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`,
    application({ members: people.map(([id, u]) => ({ person_id: id, unit_id: u })) }));
  assert.equal(r.status, 201, r.text.slice(0, 500));
  const k = r.json().claim;
  assert.equal(k.members.length, 60);
  assert.equal(+(await q(`SELECT count(*) FROM claim_member WHERE claim_id = ${k.id}`)), 60);
  const html = await page(srv, cadre, `/claims/${k.id}`);
  assert.equal(html.status, 200);
  assert.match(html.text, /60 人/);
});
