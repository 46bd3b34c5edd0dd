// The audit log in words, and a problem's 办理记录: the audit page shows
// Chinese titles and details (no action codes, no raw JSON outside the
// folded 原始记录); the API keeps the codes for machines. A public
// problem's page and API list its recorded changes oldest first, with
// actors as units for the public and names with logins for admins, and
// never a resident's contact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, validHtml, sql } from './harness.mjs';
import { login, api, page, form } from './accounts.mjs';

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await login(srv, 'admin');
});
after(async () => { await srv.stop(); });

// The rows of the audit table with the folded raw values cut out: what a
// reader sees before opening anything.
function mainRows(html) {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/);
  assert.ok(body, 'the audit page has a table of entries');
  return body[1].replace(/<details>[\s\S]*?<\/details>/g, '').split('</tr>').filter((r) => r.includes('<td'));
}
const text = (row) => row.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

test('the audit page names every entry in Chinese, with what changed, and no codes or JSON', async () => {
  const made = await api(srv, admin, 'POST', '/api/v1/batches', { name: '审计批次', year: 2027, phase: 'collecting' });
  assert.equal(made.status, 201, made.text);
  const id = made.json().batch.id;
  assert.equal((await api(srv, admin, 'PATCH', `/api/v1/batches/${id}`, { name: '审计批次（改）', phase: 'screening' })).status, 200);
  const u = await api(srv, admin, 'POST', '/api/v1/users', { login: 'worded', role: 'cadre', unit: 6 });
  assert.equal(u.status, 201, u.text);
  assert.equal((await api(srv, admin, 'POST', `/api/v1/users/${u.json().user.id}/roles`, { role: ['cadre', 'evaluator'] })).status, 200);
  await login(srv, 'cadre', 'not the password');
  const cadre = await login(srv, 'cadre');
  assert.equal((await api(srv, cadre, 'POST', '/api/v1/users/1/disable', {})).status, 403);

  const p = await page(srv, admin, '/admin/audit');
  assert.equal(p.status, 200);
  validHtml(p.text);
  const rows = mainRows(p.text).map(text);
  const find = (re) => rows.find((r) => re.test(r));
  assert.match(find(/修改批次/), /名称：“审计批次” → “审计批次（改）”；当前阶段：征集 → 遴选/);
  assert.match(find(/创建批次/), /名称“审计批次”；年度 2027；当前阶段：征集/);
  assert.match(find(/创建批次/), /批次 #\d+ 审计批次（改）/, 'the object by its name now');
  assert.match(find(/修改角色/), /干部 → 干部、考评组成员/);
  assert.match(find(/创建用户/), /登录名 worded；角色：干部；单位：县委宣传部/);
  assert.match(find(/原因：密码错误/), /未登录访客\s+登录\s+用户 #\d+ cadre\s+失败.*登录名“cadre”/s);
  assert.match(find(/原因：没有权限/), /管理用户.*拒绝/s);
  // The actor by name and unit, the login beneath it.
  assert.match(find(/修改批次/), /苏书（县委组织部）\s+admin/);
  for (const r of rows) {
    assert.ok(!/[a-z_]+\.[a-z_]+/.test(r.replace(/\d+\.\d+\.\d+\.\d+/g, '')), `no action code in a row: ${r}`);
    assert.ok(!r.includes('{') && !r.includes('"name"'), `no JSON in a row: ${r}`);
    assert.ok(!/\b(ok|denied|failed|batch|user)\b/.test(r), `no code word in a row: ${r}`);
  }
  // The stored values are there for whoever opens them, labelled in Chinese.
  assert.match(p.text, /<details><summary>原始记录<\/summary><dl class="raw"><dt>操作代码<\/dt><dd><code>batch\.update<\/code>/);
});

test('the audit filters are choices in Chinese and still filter by code', async () => {
  const p = await page(srv, admin, '/admin/audit?action=batch.&object=batch');
  assert.equal(p.status, 200);
  validHtml(p.text);
  assert.match(p.text, /<option value="batch\." selected>批次（全部）<\/option>/);
  assert.match(p.text, /<option value="batch" selected>批次<\/option>/);
  assert.match(p.text, /<option value="session\.create">登录<\/option>/);
  const rows = mainRows(p.text).map(text);
  assert.ok(rows.length >= 2 && rows.every((r) => /创建批次|修改批次/.test(r)), rows.join('\n'));
  // A value typed into the address that no choice names stays selected.
  const odd = await page(srv, admin, '/admin/audit?action=zzz.');
  assert.match(odd.text, /<option value="zzz\." selected>其他（地址中的条件）<\/option>/);
  assert.match(odd.text, /没有符合条件的记录/);
});

test('the audit API keeps the codes and JSON for machines, with the words beside them', async () => {
  const items = (await api(srv, admin, 'GET', '/api/v1/audit?action=batch.update')).json().items;
  assert.ok(items.length > 0);
  const e = items[0];
  assert.equal(e.action, 'batch.update');
  assert.equal(e.outcome, 'ok');
  assert.equal(typeof e.after, 'object');
  assert.equal(e.after.name, '审计批次（改）');
  assert.equal(e.title, '修改批次');
  assert.match(e.detail, /当前阶段：征集 → 遴选/);
});

// Entries the intake verbs will write, put in by hand until they exist.
// Ids far above what the store hands out in a test.
let nextId = 900000;
function entry(problem, actor, action, after, at, outcome = 'ok') {
  const json = after === null ? 'NULL' : `'${JSON.stringify(after)}'`;
  sql(srv.store, 'INSERT INTO audit_event (tenant_id, id, at, actor, action, object_type, object_id, before_json,' +
    ` after_json, client_addr, outcome) VALUES (1, ${++nextId}, ${at}, '${actor}', '${action}', 'problem', ${problem},` +
    ` NULL, ${json}, '10.1.2.3', '${outcome}')`);
}

test('a public problem shows how it was handled, oldest first, without the resident\'s contact', async () => {
  const list = (await get(srv, '/api/v1/problems?state=published&per_page=5')).json().items;
  assert.ok(list.length >= 2, 'the demo has problems waiting to be claimed');
  const [p, other] = list;
  // The demo's own steps come first (it went through 出卷, 遴选 and 发榜 in
  // December 2021); the entries put in here follow them.
  const base = (await get(srv, `/api/v1/problems/${p.id}`)).json().timeline.length;
  assert.equal(base, 3, 'the demo proposed, selected and published it');
  const t0 = 1650000000;
  entry(p.id, 'anonymous', 'problem.propose_public', { title: p.title, category: p.category, contact_phone: '13912345678',
    contact_name: '赵六' }, t0);
  entry(p.id, 'admin', 'problem.return', { from: 'proposed', to: 'proposed', reason: '请补充涉及的村庄' }, t0 + 100);
  entry(p.id, 'admin', 'problem.select', { from: 'proposed', to: 'selected' }, t0 + 200);
  entry(p.id, 'cadre', 'problem.select', { reason: 'permission' }, t0 + 250, 'denied');
  entry(p.id, 'admin', 'problem.publish', { from: 'selected', to: 'published', publication_id: 1, round: 2 }, t0 + 300);
  entry(other.id, 'admin', 'problem.reject', { from: 'proposed', to: 'rejected', reason: '别的难题' }, t0 + 400);

  const r = await get(srv, `/problems/${p.id}`);
  assert.equal(r.status, 200);
  validHtml(r.text);
  const sec = r.text.match(/<section aria-labelledby="hist-h">([\s\S]*?)<\/section>/);
  assert.ok(sec, 'a 办理记录 section');
  assert.match(sec[1], /<h2 id="hist-h">办理记录<\/h2>/);
  const all = sec[1].split('<li>').slice(1).map(text);
  assert.equal(all.length, base + 4, all.join('\n'));
  assert.match(all[0], /2021-12-\d\d \d\d:00\s+提出难题/);
  const items = all.slice(base);
  assert.match(items[0], /2022-04-15 13:20\s+群众提出难题.*操作人：群众/s);
  assert.match(items[1], /退回补充\s+理由：请补充涉及的村庄\s+操作人：县委组织部/);
  assert.match(items[2], /遴选入选\s+由“待遴选”变为“已遴选”/);
  assert.match(items[3], /发榜\s+由“已遴选”变为“待揭榜”；第2轮发榜/);
  for (const bad of ['13912345678', '赵六', 'admin', '苏书', 'problem.', '{', '别的难题'])
    assert.ok(!sec[1].includes(bad), `the public record shows no ${bad}`);

  const j = (await get(srv, `/api/v1/problems/${p.id}`)).json();
  assert.equal(j.timeline.length, base + 4);
  assert.deepEqual(j.timeline[base + 3], { at: t0 + 300, actor: '县委组织部', action: 'problem.publish', title: '发榜',
    detail: '由“已遴选”变为“待揭榜”；第2轮发榜', from: 'selected', to: 'published', reason: null });
  assert.equal(j.timeline[base + 1].reason, '请补充涉及的村庄');
  assert.equal(j.timeline_more, false);
  assert.ok(!JSON.stringify(j.timeline).includes('13912345678'));

  // An admin sees the person, unit and login.
  const mine = await page(srv, admin, `/problems/${p.id}`);
  assert.match(mine.text, /操作人：苏书（县委组织部）<span class="login">（登录名 admin）<\/span>/);
  const aj = (await page(srv, admin, `/api/v1/problems/${p.id}`)).json();
  assert.equal(aj.timeline[base + 2].login, 'admin');
  assert.equal(aj.timeline[base + 2].actor, '苏书（县委组织部）');
  assert.ok(!JSON.stringify(aj.timeline).includes('13912345678'));
});

test('a problem with nothing recorded says so, and a problem that is not public stays hidden', async () => {
  // Every demo problem went through the workflow: a claimed one shows its
  // steps up to the approval; one put in by hand has nothing recorded.
  const list = (await get(srv, '/api/v1/problems?state=claimed&per_page=1')).json().items;
  const steps = (await get(srv, `/api/v1/problems/${list[0].id}`)).json().timeline.map((e) => e.action);
  assert.deepEqual(steps.slice(0, 3), ['problem.propose', 'problem.select', 'problem.publish']);
  assert.ok(steps.includes('problem.claimed'), steps.join(' '));
  sql(srv.store, 'INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name, state,' +
    " is_public, created_at, updated_at) VALUES (1, 900100, 1, 1, '手工写入的难题', '没有办理记录的难题', '县委办公室'," +
    " 'published', 1, 1640000000, 1640000000)");
  const r = await get(srv, '/problems/900100');
  assert.match(r.text, /<h2 id="hist-h">办理记录<\/h2>\n<p class="empty">尚无办理记录。<\/p>/);
  assert.deepEqual((await get(srv, '/api/v1/problems/900100')).json().timeline, []);
  const hidden = sql(srv.store, "SELECT min(id) FROM problem WHERE is_public = 0 OR state = 'proposed'").trim();
  if (hidden) {
    entry(+hidden, 'admin', 'problem.select', { from: 'proposed', to: 'selected' }, 1650000000);
    assert.equal((await get(srv, `/api/v1/problems/${hidden}`)).status, 404);
  }
});

test('the audit page shows entries that came with a form post too', async () => {
  const r = await form(srv, admin, '/admin/batches', { name: '表单批次', year: '2028', phase: 'collecting' });
  assert.ok([200, 303].includes(r.status), r.text.slice(0, 300));
  const rows = mainRows((await page(srv, admin, '/admin/audit?action=batch.create')).text).map(text);
  assert.match(rows[0], /创建批次.*名称“表单批次”；年度 2028；当前阶段：征集/s);
});
