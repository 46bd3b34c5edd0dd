// The claim pages as a browser without scripts uses them: the application
// form (rows added and people found by posting the form, everything typed
// kept; a refused form with each message beside its field and nothing
// changed), the claim page and its action forms (a conflict said on the
// page with the state now), signing and withdrawing asked first, progress
// and solve, the comparison of competing applications, the printable
// pledge, the board's light filter, and GET /api/v1/people (pick mode).
// Hostile text comes back escaped everywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, validHtml } from './harness.mjs';
import { login, api, form, page, openSql, freshUser } from './accounts.mjs';

const DAY = 86400;
const EVIL = `<script>alert("x")</script> & 'q' "dq"`;
let srv, conn, admin, cadre, evaluator, leadS, batchId, cadrePerson, unitId, leadPerson, leadUnit;
let persons = [];
const q = async (text) => (await conn.query(text)).trim();
const ymd = (epoch) => new Date((epoch + 8 * 3600) * 1000).toISOString().slice(0, 10);
const now = () => Math.floor(Date.now() / 1000);
const tables = async () => [await q('SELECT id, state FROM claim ORDER BY id'), await q('SELECT count(*) FROM claim_member'),
  await q('SELECT count(*) FROM milestone'), await q('SELECT count(*) FROM metric'), await q('SELECT count(*) FROM progress')].join('\n');

async function published(title) {
  const phase = async (p) => assert.equal((await api(srv, admin, 'PATCH', `/api/v1/batches/${batchId}`, { phase: p })).status, 200);
  await phase('collecting');
  let r = await api(srv, cadre, 'POST', '/api/v1/problems', {
    title, description: '测试用难题：多个部门职责交叉，长期推不动，需要跨单位攻坚。', category: '项目建设类', batch_id: batchId,
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json().problem.id;
  for (const action of ['select', 'publish'])
    assert.equal((await api(srv, admin, 'POST', `/api/v1/problems/${id}/transitions`, { action })).status, 200);
  await phase('claiming');
  return id;
}

// The fields of a complete application as the form posts them.
function fields({ members = 13, extra = [] } = {}) {
  const f = [['unit_id', String(unitId)], ['route', 'self'], ['lead_person_id', String(leadPerson)],
    ['owner_person_id', String(cadrePerson)], ['plan', `方案 ${EVIL}`], ['goals', `目标 ${EVIL}`], ['pledge', `承诺 ${EVIL}`],
    ['reward_penalty', `奖惩 ${EVIL}`], ['deadline', ymd(now() + 200 * DAY)], ['op', 'submit']];
  persons.slice(0, members).forEach((p, i) => {
    f.push([`members.${i}.person_id`, String(p.id)], [`members.${i}.unit_id`, ''], [`members.${i}.role`, i === 0 ? 'liaison' : 'member']);
  });
  f.push(['members_rows', String(members)]);
  f.push(['milestones.0.title', `摸底 ${EVIL}`], ['milestones.0.due', ymd(now() + 60 * DAY)],
    ['milestones.1.title', ''], ['milestones.1.due', ''],
    ['milestones.2.title', '完成改造'], ['milestones.2.due', ymd(now() + 150 * DAY)]);
  f.push(['metrics.0.name', `改造管网 ${EVIL}`], ['metrics.0.kind', 'count'], ['metrics.0.uom', '米'], ['metrics.0.baseline', '0'],
    ['metrics.0.target', '6500'], ['metrics.1.name', ''], ['metrics.1.kind', 'count'], ['metrics.1.uom', ''],
    ['metrics.1.baseline', ''], ['metrics.1.target', '']);
  for (const p of persons.slice(1, 3)) if (p.unit_id !== unitId) f.push(['cooperating_unit_ids', String(p.unit_id)]);
  return [...f, ...extra];
}

// The messages of a refused form, for assertion messages.
const errorsOf = (html) => [...html.matchAll(/class="(?:field-error|form-errors)"[^>]*>(.*?)<\/(?:span|div|p)>/g)].map((m) => m[1]).join(' | ');

// Hostile text is never raw in a page.
function escaped(html, label) {
  assert.ok(!html.includes('<script>alert'), `${label}: no raw <script>`);
  assert.ok(!html.includes('"dq"') || !/<[^>]*"dq"/.test(html), `${label}: quotes escaped`);
}

before(async () => {
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } });
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  cadre = await login(srv, 'cadre');
  evaluator = await login(srv, 'evaluator');
  cadrePerson = cadre.user.person_id;
  unitId = +(await q(`SELECT unit_id FROM person WHERE id = ${cadrePerson}`));
  const linked = (await q('SELECT coalesce(person_id, 0) FROM app_user')).split('\n').map(Number);
  const rows = (await q('SELECT min(id), unit_id FROM person WHERE tenant_id = 1 GROUP BY unit_id ORDER BY unit_id')).split('\n')
    .map((l) => l.split('|').map(Number)).filter(([id]) => !linked.includes(id) && id !== cadrePerson);
  persons = rows.map(([id, u]) => ({ id, unit_id: u }));
  const more = (await q(`SELECT id, unit_id FROM person WHERE tenant_id = 1 AND id NOT IN (${[...linked, cadrePerson, ...persons.map((p) => p.id)].join(',')}) ORDER BY id LIMIT 20`))
    .split('\n').map((l) => l.split('|').map(Number)).map(([id, u]) => ({ id, unit_id: u }));
  persons = [...persons.slice(0, 10), ...more];
  const lead = persons.pop();
  leadPerson = lead.id;
  leadUnit = lead.unit_id;
  leadS = (await freshUser(srv, 'lead8', ['cadre'], ['--person', String(lead.id), '--unit', String(lead.unit_id)])).session;
  const r = await api(srv, admin, 'POST', '/api/v1/batches', { name: '页面揭榜批次', year: 2027, phase: 'claiming' });
  assert.equal(r.status, 201, r.text);
  batchId = r.json().batch.id;
});
after(async () => { conn?.close(); await srv?.stop(); });

test('GET /api/v1/people: cadres pick people by name and unit (name, unit and title only); evaluators may not', async () => {
  let r = await page(srv, cadre, '/api/v1/people?q=' + encodeURIComponent('王'));
  assert.equal(r.status, 200, r.text);
  const items = r.json().items;
  assert.ok(items.length > 0 && items.every((p) => p.name.includes('王')));
  assert.deepEqual(Object.keys(items[0]).sort(), ['id', 'name', 'title', 'unit', 'unit_id']);
  r = await page(srv, cadre, `/api/v1/people?unit=${unitId}`);
  assert.ok(r.json().items.every((p) => p.unit_id === unitId));
  assert.equal((await page(srv, cadre, '/api/v1/persons?q=王')).status, 403, 'the user search stays closed to cadres');
  assert.equal((await page(srv, admin, '/api/v1/persons?q=王')).json().items[0].rank !== undefined, true, 'persons keeps the rank');
  assert.equal((await page(srv, evaluator, '/api/v1/people?q=王')).status, 403);
  assert.equal((await page(srv, null, '/api/v1/people?q=王')).status, 401);
});

test('the form without scripts: 3 member, 3 milestone, 2 metric rows; 添加一行 and 查找 post it back with everything kept', async () => {
  const pid = await published('页面揭榜表单测试');
  let r = await page(srv, cadre, `/problems/${pid}`);
  assert.match(r.text, new RegExp(`href="/problems/${pid}/claim">我要揭榜`));
  r = await page(srv, cadre, `/problems/${pid}/claim`);
  assert.equal(r.status, 200);
  validHtml(r.text);
  const count = (re, html = r.text) => (html.match(re) || []).length;
  assert.equal(count(/class="row member-row"/g), 3 + 1, 'three member rows and the template');
  assert.equal(count(/name="milestones\.\d+\.title"/g), 3);
  assert.equal(count(/name="metrics\.\d+\.name"/g), 2);
  assert.match(r.text, new RegExp(`name="owner_person_id" value="${cadrePerson}" checked`), 'the cadre is the owner at first');
  assert.equal((await page(srv, evaluator, `/problems/${pid}/claim`)).status, 403);

  // add a member row: four rows, what was typed kept (escaped)
  const typed = [['unit_id', String(unitId)], ['plan', EVIL], ['members.0.person_id', String(persons[0].id)],
    ['members_rows', '3'], ['milestones_rows', '3'], ['metrics_rows', '2'], ['op', 'add:members']];
  r = await form(srv, cadre, `/problems/${pid}/claim`, typed);
  assert.equal(r.status, 200);
  validHtml(r.text);
  assert.equal(count(/class="row member-row"/g), 4 + 1);
  assert.ok(r.text.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; '), 'the plan kept, escaped');
  escaped(r.text, 'add row');
  assert.match(r.text, new RegExp(`name="members\\.0\\.person_id" value="${persons[0].id}" checked`), 'the chosen member kept');

  // 查找 in row 2: the people found are listed in that row, the rest kept
  const name = await q(`SELECT name FROM person WHERE id = ${persons[5].id}`);
  r = await form(srv, cadre, `/problems/${pid}/claim`, [...typed.slice(0, -1), ['members.2.person_id_q', name], ['op', 'find']]);
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`name="members\\.2\\.person_id" value="${persons[5].id}"`), 'found in row 2');
  assert.match(r.text, new RegExp(`name="members\\.0\\.person_id" value="${persons[0].id}" checked`));
  assert.equal(await q(`SELECT count(*) FROM claim WHERE problem_id = ${pid}`), '0', 'nothing applied yet');
});

test('a refused application is shown again with each message beside its field, and changes nothing', async () => {
  const pid = await published('页面揭榜拒绝测试');
  const was = await tables();
  const bad = fields().filter(([k]) => !['goals', 'milestones.2.due'].includes(k));
  bad.push(['members.20.person_id', String(persons[0].id)]); // a member twice, after blank rows
  const r = await form(srv, cadre, `/problems/${pid}/claim`, bad);
  assert.equal(r.status, 400, errorsOf(r.text));
  validHtml(r.text);
  assert.match(r.text, /<label class="has-error">目标和验收标准<textarea name="goals"[^>]*aria-invalid="true"/);
  assert.match(r.text, /id="f-goals-err">[^<]+</);
  assert.match(r.text, /name="milestones\.1\.due"[^>]*aria-invalid="true"/, 'the milestone after the blank row, renumbered');
  assert.match(r.text, /form-errors/);
  assert.ok(r.text.includes('方案 &lt;script&gt;'), 'the plan kept');
  escaped(r.text, 'refused');
  assert.equal(await tables(), was, 'nothing changed');
});

let claimId, problemId;
test('a cadre applies with a team of 15 from 10 units: blank rows dropped, the claim page shows it escaped', async () => {
  problemId = await published(`页面揭榜旅程 ${EVIL}`);
  const r = await form(srv, cadre, `/problems/${problemId}/claim`, fields());
  assert.equal(r.status, 303, errorsOf(r.text) || r.text.replace(/<option[^>]*>[^<]*<\/option>/g, "").slice(-3000));
  claimId = +r.headers.get('location').match(/\/claims\/(\d+)\?done=apply/)[1];
  assert.equal(await q(`SELECT count(*) FROM claim_member WHERE claim_id = ${claimId}`), '15');
  assert.ok(+(await q(`SELECT count(DISTINCT unit_id) FROM claim_member WHERE claim_id = ${claimId}`)) >= 10);
  assert.equal(await q(`SELECT count(*) FROM milestone WHERE claim_id = ${claimId}`), '2');
  assert.equal(await q(`SELECT count(*) FROM metric WHERE claim_id = ${claimId}`), '1');
  const p = await page(srv, cadre, `/claims/${claimId}?done=apply`);
  assert.equal(p.status, 200);
  validHtml(p.text);
  escaped(p.text, 'claim page');
  assert.match(p.text, /揭榜申请已提交/);
  assert.match(p.text, /15 人，来自 1\d? 个单位|15 人，来自 \d+ 个单位/);
  assert.match(p.text, /撤回申请/, 'the applicant may withdraw');
  assert.doesNotMatch(p.text, /批准揭榜/, 'a cadre does not approve');
  assert.equal((await page(srv, null, `/claims/${claimId}`)).status, 404, 'an application is not public');
});

test('competing applications side by side; the admin approves one; a stale approve is a conflict said on the page', async () => {
  // a second application of the same problem by the lead's account
  const swap = { owner_person_id: String(leadPerson), lead_person_id: String(cadrePerson), unit_id: String(leadUnit) };
  const second = fields({ members: 2 }).map(([k, v]) => [k, swap[k] ?? v]);
  let r = await form(srv, leadS, `/problems/${problemId}/claim`, second);
  assert.equal(r.status, 303, errorsOf(r.text) || r.text.replace(/<option[^>]*>[^<]*<\/option>/g, "").slice(-3000));
  const otherId = +r.headers.get('location').match(/\/claims\/(\d+)/)[1];
  r = await page(srv, admin, `/problems/${problemId}`);
  assert.match(r.text, /揭榜申请比较（2 份）/);
  r = await page(srv, admin, `/problems/${problemId}/claims`);
  assert.equal(r.status, 200);
  validHtml(r.text);
  escaped(r.text, 'comparison');
  assert.equal((r.text.match(/<tr><td data-label="揭榜单位"/g) || []).length, 2);
  assert.match(r.text, /15 人/);
  assert.equal((r.text.match(/>批准<\/button>/g) || []).length, 2);
  assert.equal((await page(srv, cadre, `/problems/${problemId}/claims`)).status, 403);

  // the other one: rejected with a reason, which the page shows escaped
  r = await form(srv, admin, `/claims/${otherId}/reject`, { from: 'applied', reason: '' });
  assert.equal(r.status, 400, errorsOf(r.text));
  assert.match(r.text, /请填写不予批准的理由/);
  r = await form(srv, admin, `/claims/${otherId}/reject`, { from: 'applied', reason: `理由 ${EVIL}` });
  assert.equal(r.status, 303);
  r = await page(srv, leadS, `/claims/${otherId}`);
  assert.ok(r.text.includes('理由 &lt;script&gt;'));
  escaped(r.text, 'rejected');
  r = await form(srv, admin, `/claims/${claimId}/approve`, { from: 'applied' });
  assert.equal(r.status, 303);
  assert.equal(await q(`SELECT state FROM claim WHERE id = ${claimId}`), 'approved');
  r = await form(srv, admin, `/claims/${claimId}/approve`, { from: 'applied' });
  assert.equal(r.status, 409);
  assert.match(r.text, /操作未完成/);
  assert.match(r.text, /现在的状态是“待立军令状”/);
});

test('owner and lead sign after a page saying what signing means; the pledge prints both signatures', async () => {
  let r = await form(srv, cadre, `/claims/${claimId}/sign`, { from: 'approved' });
  assert.equal(r.status, 200);
  assert.match(r.text, /确定以主要负责人身份签署/);
  assert.match(r.text, /签署即承诺/);
  assert.match(r.text, /name="from" value="approved"/, 'the confirmation posts the same fields');
  assert.equal(await q(`SELECT coalesce(owner_signed_at, 0) FROM claim WHERE id = ${claimId}`), '0', 'asking signs nothing');
  r = await page(srv, null, `/problems/${problemId}`);
  assert.doesNotMatch(r.text, /我要揭榜/);
  r = await page(srv, cadre, `/claims/${claimId}/pledge`);
  assert.match(r.text, /揭榜挂帅军令状/);
  assert.match(r.text, new RegExp(`〔\\d{4}〕第 ${claimId} 号`));
  assert.equal((r.text.match(/待签署/g) || []).length, 2);
  for (const s of [cadre, leadS]) {
    r = await form(srv, s, `/claims/${claimId}/sign`, { from: 'approved', confirm: '1' });
    assert.equal(r.status, 303, errorsOf(r.text) || r.text.replace(/<option[^>]*>[^<]*<\/option>/g, "").slice(-3000));
  }
  assert.equal(await q(`SELECT state FROM claim WHERE id = ${claimId}`), 'signed');
  r = await page(srv, null, `/claims/${claimId}/pledge`);
  assert.equal(r.status, 200);
  validHtml(r.text);
  escaped(r.text, 'pledge');
  assert.equal((r.text.match(/签署于 \d{4}-\d\d-\d\d \d\d:\d\d/g) || []).length, 2);
  assert.ok(r.text.includes('承诺 &lt;script&gt;'));
});

test('progress: a refused report keeps what was typed beside each field; a report shows on the page, its difficulties to the team only', async () => {
  const ms = (await q(`SELECT id FROM milestone WHERE claim_id = ${claimId} ORDER BY due_at`)).split('\n');
  const metric = await q(`SELECT id FROM metric WHERE claim_id = ${claimId}`);
  let r = await page(srv, cadre, `/claims/${claimId}/progress`);
  assert.equal(r.status, 200);
  validHtml(r.text);
  assert.equal((await page(srv, evaluator, `/claims/${claimId}/progress`)).status, 403);
  const base = [['text', `进展 ${EVIL}`], ['values.0.metric_id', metric], ['values.0.value', '12x'],
    ['milestones_done.0.milestone_id', ms[0]], ['milestones_done.0.done', ymd(now())],
    ['milestones_done.1.done', ymd(now())], ['difficulties', `困难 ${EVIL}`], ['help_needed', `协调 ${EVIL}`], ['next_steps', `下步 ${EVIL}`]];
  const was = await tables();
  r = await form(srv, cadre, `/claims/${claimId}/progress`, base);
  assert.equal(r.status, 400, r.text.slice(0, 400));
  assert.match(r.text, /name="values\.0\.value" value="12x"[^>]*aria-invalid="true"/);
  assert.ok(r.text.includes('进展 &lt;script&gt;'));
  assert.equal(await tables(), was);
  r = await form(srv, cadre, `/claims/${claimId}/progress`, base.map(([k, v]) => [k, k === 'values.0.value' ? '3200' : v]));
  assert.equal(r.status, 303, errorsOf(r.text) || r.text.replace(/<option[^>]*>[^<]*<\/option>/g, "").slice(-3000));
  assert.equal(await q(`SELECT CASE WHEN coalesce(done_at, 0) > 0 THEN 1 ELSE 0 END FROM milestone WHERE id = ${ms[0]}`), '1');
  assert.equal(await q(`SELECT coalesce(done_at, 0) FROM milestone WHERE id = ${ms[1]}`), '0', 'an unticked milestone stays open');
  const team = await page(srv, cadre, `/claims/${claimId}`);
  escaped(team.text, 'progress (team)');
  assert.ok(team.text.includes('困难 &lt;script&gt;'));
  assert.match(team.text, /3200 米/);
  assert.match(team.text, /<meter min="0" max="100" value="49"/);
  const pub = await page(srv, null, `/claims/${claimId}`);
  assert.ok(pub.text.includes('进展 &lt;script&gt;'));
  assert.ok(!pub.text.includes('困难 &lt;script&gt;'), 'difficulties are not public');
  // the board and the problem page show the light and the completion
  const board = await page(srv, null, `/?batch=${batchId}`);
  assert.match(board.text, /class="light light-(green|yellow)"/);
  assert.match(board.text, /value="49"/);
  const prob = await page(srv, null, `/problems/${problemId}`);
  assert.match(prob.text, /class="light light-/);
  assert.match(prob.text, new RegExp(`href="/claims/${claimId}"`));
});

test('the board filters by light: the claimed problem under its light only; a bad light is refused', async () => {
  const light = (await page(srv, null, `/problems/${problemId}`)).text.match(/class="light light-(\w+)"/)[1];
  let r = await page(srv, null, `/?batch=${batchId}&light=${light}`);
  assert.ok(r.text.includes('页面揭榜旅程'), 'listed under its light');
  assert.match(r.text, /共 <strong>1<\/strong> 项/);
  assert.match(r.text, new RegExp(`<option value="${light}" selected>`));
  for (const other of ['green', 'yellow', 'red', 'unreported', 'awaiting'].filter((l) => l !== light)) {
    r = await page(srv, null, `/?batch=${batchId}&light=${other}`);
    assert.ok(!r.text.includes('页面揭榜旅程'), `not under ${other}`);
  }
  r = await page(srv, null, `/api/v1/problems?batch=${batchId}&light=${light}`);
  assert.ok(r.json().items.some((p) => p.id === problemId));
  assert.equal((await page(srv, null, '/?light=blue')).status, 400);
});

test('solve, then the admin returns it with a reason; withdrawing asks first', async () => {
  let r = await form(srv, cadre, `/claims/${claimId}/solve`, [['text', `破题 ${EVIL}`]]);
  assert.equal(r.status, 303, errorsOf(r.text) || r.text.replace(/<option[^>]*>[^<]*<\/option>/g, "").slice(-3000));
  assert.equal(await q(`SELECT state FROM claim WHERE id = ${claimId}`), 'solved');
  r = await page(srv, admin, `/claims/${claimId}`);
  assert.match(r.text, /退回破题申报/);
  assert.match(r.text, /class="light light-awaiting"/);
  r = await form(srv, admin, `/claims/${claimId}/return`, { from: 'solved', reason: `退回 ${EVIL}` });
  assert.equal(r.status, 303);
  assert.equal(await q(`SELECT state FROM claim WHERE id = ${claimId}`), 'signed');
  r = await form(srv, cadre, `/claims/${claimId}/withdraw`, { from: 'signed', reason: `退榜 ${EVIL}` });
  assert.equal(r.status, 200);
  assert.match(r.text, /确认退榜/);
  assert.ok(r.text.includes('理由：退榜 &lt;script&gt;'));
  escaped(r.text, 'withdraw confirm');
  assert.equal(await q(`SELECT state FROM claim WHERE id = ${claimId}`), 'signed', 'asking withdraws nothing');
});
