// Residents' personal data (个人信息保护法, issue 13 §6; domain/pii.h): every
// form that asks for contact details shows the notice of purpose; only
// admins see the details (pages, API, exports); the tenant's retention
// anonymises them after the matter closes, in audited batches, once; an
// admin exports a person's records and erases their details, each audited
// by record ids, never by the data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, get, run, validHtml } from './harness.mjs';
import { login, form, api, page, openSql } from './accounts.mjs';

let srv, conn, admin, leader, unit, cadre, batchId;
const q = async (text) => (await conn.query(text)).trim();
const DAY = 86400;
let addrSeq = 0, seq = 0;
const freshAddr = () => `198.51.100.${++addrSeq}`;

before(async () => {
  srv = await startServer({ env: { JIEBANG_TRUST_PROXY: '1', JIEBANG_LOGINS_PER_ADDR: '1000' } });
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  leader = await login(srv, 'leader');
  unit = await login(srv, 'unit');
  cadre = await login(srv, 'cadre');
  const r = await api(srv, admin, 'POST', '/api/v1/batches', { name: '个人信息测试批次', year: 2027, phase: 'collecting' });
  assert.equal(r.status, 201, r.text);
  batchId = r.json().batch.id;
});
after(async () => { conn.close(); await srv.stop(); });

function anon(method, path, body) {
  return get(srv, path, {
    method,
    headers: { 'X-Forwarded-For': freshAddr(), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

// A resident's proposal with a name and phone; its id.
async function residentProposal(name, phone) {
  const r = await anon('POST', '/api/v1/public/problems', { title: `群众反映的难题${++seq}`,
    description: '小区门口道路积水严重，雨天出行困难，希望尽快解决。', category: '城市建设类', batch_id: batchId,
    contact_name: name, contact_phone: phone });
  assert.equal(r.status, 201, r.text);
  return r.json().problem.id;
}

async function residentComplaint(name, contact) {
  const r = await anon('POST', '/api/v1/feedback', { kind: 'complaint', subject: `投诉${++seq}`, body: '办事窗口工作人员态度不好。', name, contact });
  assert.equal(r.status, 201, r.text);
  const c = r.json().complaint; // a resident is not told the row's id
  return { ...c, id: +(await q(`SELECT id FROM complaint WHERE ref = '${c.ref}'`)) };
}

// A promotions notice open today, and a resident's objection to it.
async function objection(name, contact) {
  const n = await api(srv, admin, 'POST', '/api/v1/batches/1/notices',
    { kind: 'promotions', promotion_ids: [1 + (seq++ % 6)], title: `个人信息测试公示${seq}`, body: '现予公示。' });
  assert.equal(n.status, 201, n.text);
  const id = n.json().notice.id;
  const o = await anon('POST', '/api/v1/public/objections', { notice_id: id, name, contact, body: '该同志的公示材料与实际情况不符，请组织部核实。' });
  assert.equal(o.status, 201, o.text);
  return { notice: id, id: +(await q(`SELECT max(id) FROM objection WHERE notice_id = ${id}`)) };
}

const digest = (at) => {
  const r = run(['digest', '--db', srv.store, '--now', String(at)]);
  assert.equal(r.status, 0, r.stderr);
};
const now = () => Math.floor(Date.now() / 1000);

test('every form asking for contact details shows the notice of purpose with the tenant\'s retention', async () => {
  for (const path of ['/public/propose', '/feedback']) {
    const r = await get(srv, path);
    assert.equal(r.status, 200, path);
    validHtml(r.text);
    assert.match(r.text, /<h2 id="pii-h">个人信息处理说明<\/h2>/, path);
    assert.match(r.text, /只有组织部门的平台管理员/, path);
    assert.match(r.text, /保存 2 年，到期自动匿名化/, path);
    assert.match(r.text, /查阅、复制或删除/, path);
  }
  const { notice } = await objection('周建国', '13700001234');
  const n = await get(srv, `/notices/${notice}`);
  assert.equal(n.status, 200);
  assert.match(n.text, /个人信息处理说明/);
  assert.match(n.text, /真实姓名、联系方式和提交时的网络地址/);
  // A signed-in sender gives no contact, so no notice.
  const f = await page(srv, cadre, '/feedback');
  assert.doesNotMatch(f.text, /个人信息处理说明/);
  // The notice follows the tenant's setting.
  await conn.query('UPDATE tenant SET pii_retention_days = 400 WHERE id = 1');
  try {
    assert.match((await get(srv, '/feedback')).text, /保存 400 天/);
  } finally {
    await conn.query('UPDATE tenant SET pii_retention_days = 730 WHERE id = 1');
  }
});

test('a resident\'s name and phone: admins only, in pages, the API and exports; never the public 出卷人', async () => {
  const id = await residentProposal('孙阿姨', '138-0013-9999');
  assert.equal(await q(`SELECT proposer_name || '|' || contact_name FROM problem WHERE id = ${id}`), '群众|孙阿姨');
  const a = (await page(srv, admin, `/api/v1/proposals/${id}`)).json().problem;
  assert.equal(a.contact_name, '孙阿姨');
  assert.equal(a.contact_phone, '138-0013-9999');
  const ap = await page(srv, admin, `/proposals/${id}`);
  assert.match(ap.text, /孙阿姨/);
  assert.match(ap.text, /138-0013-9999/);
  for (const [role, s] of [['leader', leader], ['unit', unit]]) {
    const r = await page(srv, s, `/api/v1/proposals/${id}`);
    if (r.status === 200) {
      assert.equal(r.json().problem.contact_phone, undefined, role);
      assert.equal(r.json().problem.contact_name, undefined, role);
    }
    for (const text of [r.text, (await page(srv, s, `/proposals/${id}`)).text]) {
      assert.ok(!text.includes('孙阿姨') && !text.includes('9999'), `${role} sees no contact`);
    }
  }
  // The screening export: the leader (export.read) gets neither column, the admin both.
  const lx = await page(srv, leader, '/api/v1/export/screening.csv');
  assert.equal(lx.status, 200, lx.text);
  assert.ok(lx.text.includes(`群众反映的难题${seq}`), 'the leader exports the row');
  assert.ok(!lx.text.includes('孙阿姨') && !lx.text.includes('9999') && !lx.text.includes('联系'), 'no contact columns for the leader');
  const ax = await page(srv, admin, '/api/v1/export/screening.csv');
  assert.ok(ax.text.includes('孙阿姨') && ax.text.includes('138-0013-9999'));
  // Complaints and objections: their lists are the admins'.
  assert.equal((await page(srv, leader, '/admin/feedback')).status, 403);
  const { notice } = await objection('吴秀英', '13700005678');
  assert.equal((await page(srv, leader, `/api/v1/notices/${notice}/objections`)).status, 403);
  const pub = await get(srv, `/api/v1/notices/${notice}`);
  assert.ok(!pub.text.includes('吴秀英') && !pub.text.includes('13700005678'));
  // The person page is the admins' too.
  for (const s of [leader, unit, cadre]) {
    assert.equal((await form(srv, s, '/admin/personal-data', { q: '孙阿姨' })).status, 403);
    assert.equal((await form(srv, s, '/admin/personal-data/export', { q: '孙阿姨' })).status, 403);
  }
  await conn.query("UPDATE notice SET state = 'closed', outcome = '无异议', closed_at = created_at WHERE state = 'open'");
});

test('the retention setting: bad values refused beside the field with the input kept; saved and audited', async () => {
  for (const bad of ['29', '3651', 'abc', '']) {
    const r = await form(srv, admin, '/admin/settings', { pii_retention_days: bad });
    assert.equal(r.status, 400, `${bad}: ${r.status}`);
    validHtml(r.text);
    assert.match(r.text, /保存期限须为 30 至 3650 天之间的整数/);
    assert.ok(r.text.includes(`value="${bad}"`), 'the input is kept');
  }
  assert.equal(await q('SELECT pii_retention_days FROM tenant WHERE id = 1'), '730');
  const ok = await form(srv, admin, '/admin/settings', { pii_retention_days: '365' });
  assert.equal(ok.status, 303);
  assert.equal(await q('SELECT pii_retention_days FROM tenant WHERE id = 1'), '365');
  assert.match(await q("SELECT after_json FROM audit_event WHERE action = 'tenant.settings' ORDER BY id DESC LIMIT 1"), /"pii_retention_days":365/);
  assert.match((await page(srv, admin, '/admin/settings')).text, /value="365"/);
  assert.equal((await form(srv, admin, '/admin/settings', { pii_retention_days: '730' })).status, 303);
});

test('after the retention the background task anonymises closed matters in one audited batch, once; open ones stay', async () => {
  const closedId = await residentProposal('钱大爷', '13911112222');
  assert.ok(closedId > 0, String(closedId));
  const openId = await residentProposal('钱大爷', '13911112222');
  const r = await api(srv, admin, 'POST', `/api/v1/problems/${closedId}/transitions`, { action: 'reject', reason: '属于日常工作，已转交办理' });
  assert.equal(r.status, 200, r.text);
  const answered = await residentComplaint('钱大爷', '13911112222');
  const open = await residentComplaint('钱大爷', '13911112222');
  const ans = await api(srv, admin, 'POST', `/api/v1/feedback/${answered.id}/answer`, { answer: '已转交相关单位处理。' });
  assert.equal(ans.status, 200, ans.text);
  const ob = await objection('钱大爷', '13911112222');
  const oa = await api(srv, admin, 'POST', `/api/v1/objections/${ob.id}/answer`, { answer: '经核实不成立。', kind: 'dismissed' });
  assert.equal(oa.status, 200, oa.text);
  await conn.query(`UPDATE notice SET state = 'closed', outcome = '异议已答复', closed_at = ${now()} WHERE id = ${ob.notice}`);
  const entries = () => q("SELECT count(*) FROM audit_event WHERE action = 'pii.expire'");
  const before_ = +(await entries());
  const held = async () => q(`SELECT (SELECT contact_phone FROM problem WHERE id = ${closedId}) || '|' ||
    (SELECT contact FROM complaint WHERE id = ${answered.id}) || '|' || (SELECT contact FROM objection WHERE id = ${ob.id})`);

  digest(now() + 729 * DAY); // a day short of 730
  assert.equal(await held(), '13911112222|13911112222|13911112222');
  assert.equal(+(await entries()), before_);

  digest(now() + 731 * DAY);
  assert.equal(await held(), '||', 'anonymised');
  assert.equal(await q(`SELECT contact_name || '|' || (CASE WHEN contact_erased_at IS NULL THEN 0 ELSE 1 END) FROM problem WHERE id = ${closedId}`), '|1');
  assert.equal(await q(`SELECT name || '|' || client_addr FROM objection WHERE id = ${ob.id}`), '|');
  // the matters themselves and their figures stay
  assert.equal(await q(`SELECT state FROM problem WHERE id = ${closedId}`), 'rejected');
  assert.equal(await q(`SELECT answer FROM complaint WHERE id = ${answered.id}`), '已转交相关单位处理。');
  // still open: kept
  assert.equal(await q(`SELECT contact_phone FROM problem WHERE id = ${openId}`), '13911112222');
  assert.equal(await q(`SELECT contact FROM complaint WHERE id = ${open.id}`), '13911112222');
  // one entry per kind's batch, with the ids and the count, never the data
  const rows = (await q("SELECT after_json FROM audit_event WHERE action = 'pii.expire' ORDER BY id")).split('\n').slice(before_).map((s) => JSON.parse(s));
  const byKind = Object.fromEntries(rows.map((x) => [x.kind, x]));
  assert.ok(byKind.problem.ids.includes(closedId) && byKind.problem.count === byKind.problem.ids.length);
  assert.ok(byKind.complaint.ids.includes(answered.id));
  assert.ok(byKind.objection.ids.includes(ob.id));
  assert.equal(byKind.problem.retention_days, 730);
  for (const x of rows) assert.ok(!JSON.stringify(x).includes('13911112222') && !JSON.stringify(x).includes('钱大爷'));
  // idempotent: a second run changes nothing and records nothing
  const n = +(await entries());
  digest(now() + 800 * DAY);
  assert.equal(+(await entries()), n);
  // the admin's page says it was anonymised: not found by the phone any more
  const p = await form(srv, admin, '/admin/personal-data', { q: '13911112222' });
  assert.equal(p.status, 200);
  assert.ok(!p.text.includes(`>${answered.ref}<`), 'the anonymised complaint is not found');
  assert.ok(p.text.includes(`>${open.ref}<`), 'the open complaint is');
});

test('a person\'s data: the admin finds it, exports it as JSON and erases it, each audited by ids; a notice still open holds an objection', async () => {
  const pid = await residentProposal('郑小红', '136 0000 7777');
  const c = await residentComplaint('郑小红', '136-0000-7777');
  const ob = await objection('郑小红', '13600007777'); // its notice stays open
  const p = await form(srv, admin, '/admin/personal-data', { q: '13600007777' });
  assert.equal(p.status, 200);
  validHtml(p.text);
  assert.match(p.text, /找到 3 条记录/);
  assert.match(p.text, /暂不能删除：公示尚未结束/);
  assert.ok(p.text.includes(`/proposals/${pid}`) && p.text.includes(c.ref));
  // by name too
  assert.match((await form(srv, admin, '/admin/personal-data', { q: '郑小红' })).text, /找到 3 条记录/);
  // an empty query: refused beside the field
  const e = await form(srv, admin, '/admin/personal-data/export', { q: ' ' });
  assert.equal(e.status, 400);
  assert.match(e.text, /请填写要查找的姓名、称呼或联系方式/);
  const long = await form(srv, admin, '/admin/personal-data', { q: 'x'.repeat(241) });
  assert.equal(long.status, 400);
  assert.match(long.text, /查找内容不能超过 60 个字/);
  const none = await form(srv, admin, '/admin/personal-data/export', { q: '没有这个人' });
  assert.equal(none.status, 400);
  assert.match(none.text, /没有找到/);

  const x = await form(srv, admin, '/admin/personal-data/export', { q: '13600007777' });
  assert.equal(x.status, 200, x.text);
  assert.match(x.headers.get('content-type'), /application\/json/);
  assert.match(x.headers.get('content-disposition'), /attachment/);
  const doc = JSON.parse(x.text);
  assert.equal(doc.records.length, 3);
  assert.deepEqual(doc.records.map((r) => r.kind).sort(), ['complaint', 'objection', 'problem']);
  assert.ok(doc.records.every((r) => r.name === '郑小红'));
  assert.equal(doc.records.find((r) => r.kind === 'complaint').ref, c.ref);
  assert.equal(doc.retention_days, 730);
  assert.equal(doc.complete, true);
  const xa = JSON.parse(await q("SELECT after_json FROM audit_event WHERE action = 'pii.export' ORDER BY id DESC LIMIT 1"));
  assert.deepEqual(xa, { complaint: [c.id], count: 3, objection: [ob.id], problem: [pid] });

  // erasing asks first, then blanks all but the held objection
  const ask = await form(srv, admin, '/admin/personal-data/erase', { q: '13600007777' });
  assert.equal(ask.status, 200);
  assert.match(ask.text, /确定要删除含有/);
  assert.equal(await q(`SELECT contact_phone FROM problem WHERE id = ${pid}`), '136 0000 7777');
  const er = await form(srv, admin, '/admin/personal-data/erase', { q: '13600007777', confirm: '1' });
  assert.equal(er.status, 200, er.text);
  assert.match(er.headers.get('cache-control') || '', /no-store/);
  assert.equal(await q(`SELECT contact_name || '|' || contact_phone || '|' || (CASE WHEN contact_erased_at IS NULL THEN 0 ELSE 1 END) || '|' || title FROM problem WHERE id = ${pid}`),
    `||1|${await q(`SELECT title FROM problem WHERE id = ${pid}`)}`);
  assert.equal(await q(`SELECT name || '|' || contact || '|' || subject FROM complaint WHERE id = ${c.id}`), `||${c.subject}`);
  assert.equal(await q(`SELECT name FROM objection WHERE id = ${ob.id}`), '郑小红', 'held while the notice is open');
  const ea = JSON.parse(await q("SELECT after_json FROM audit_event WHERE action = 'pii.erase' ORDER BY id DESC LIMIT 1"));
  assert.deepEqual(ea, { complaint: [c.id], count: 2, held: 1, problem: [pid] });
  const actor = await q("SELECT actor FROM audit_event WHERE action = 'pii.erase' ORDER BY id DESC LIMIT 1");
  assert.equal(actor, 'admin');
  // the page after: what is left, and why
  const after_ = er;
  assert.match(after_.text, /已删除 2 条记录中的个人信息；1 条暂不能删除/);
  assert.match(after_.text, /找到 1 条记录/);
  // the search travels in the body: an address with a query shows nothing of it
  const inj = await page(srv, admin, '/admin/personal-data?q=13600007777&erased=%3Ci%3Ex%3C%2Fi%3E');
  assert.equal(inj.status, 200);
  assert.ok(!inj.text.includes('<i>x</i>') && !inj.text.includes('已删除') && !inj.text.includes('找到'), 'nothing from the query');
  // the admin's proposal page shows nothing of them any more
  const pp = await page(srv, admin, `/proposals/${pid}`);
  assert.ok(!pp.text.includes('7777') && pp.text.includes('已匿名'));
  const cp = await page(srv, admin, `/admin/feedback/${c.id}`);
  assert.ok(!cp.text.includes('7777') && !cp.text.includes('郑小红') && cp.text.includes('已匿名'));
  assert.equal((await page(srv, admin, `/api/v1/proposals/${pid}`)).json().problem.contact_phone, '已匿名');
  // the audit page names the actions in Chinese
  const audit = await page(srv, admin, '/admin/audit');
  assert.match(audit.text, /删除个人信息（匿名化）/);
  assert.match(audit.text, /导出个人信息/);
  await conn.query("UPDATE notice SET state = 'closed', outcome = '无异议', closed_at = created_at WHERE state = 'open'");
});

test('a backlog is anonymised in bounded batches of 200, one transaction and one audit entry each', async () => {
  // 450 closed resident proposals, long past the retention (made in SQL: the
  // forms' per-address limit is not what is tested here).
  const base = +(await q('SELECT max(id) FROM problem WHERE tenant_id = 1'));
  const tpl = await q(`SELECT batch_id || '|' || category_id FROM problem WHERE tenant_id = 1 AND id = ${base}`);
  const [b, cat] = tpl.split('|');
  const old = now() - 1000 * DAY;
  const values = Array.from({ length: 450 }, (_, i) => `(1, ${base + 1 + i}, ${b}, ${cat}, '积压${i}', '积压的群众来件', '群众', NULL,` +
    ` 'rejected', 0, ${old}, ${old}, NULL, '积压居民', '1390000${String(i).padStart(4, '0')}')`);
  await conn.query('INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name, proposer_unit_id,' +
    ' state, is_public, created_at, updated_at, proposer_user_id, contact_name, contact_phone) VALUES ' + values.join(', '));
  await conn.query(`UPDATE id_seq SET next_id = ${base + 451} WHERE tenant_id = 1 AND name = 'problem'`);
  // a person with more records than a search lists: said on the page and in the export
  const many = await form(srv, admin, '/admin/personal-data', { q: '积压居民' });
  assert.match(many.text, /找到 200 条记录/);
  assert.match(many.text, /只列出了前 200 条/);
  const mx = JSON.parse((await form(srv, admin, '/admin/personal-data/export', { q: '积压居民' })).text);
  assert.equal(mx.complete, false);
  assert.equal(mx.records.length, 200);
  const first = +(await q("SELECT coalesce(max(id), 0) FROM audit_event WHERE action = 'pii.expire'"));
  const t0 = Date.now();
  digest(now());
  const ms = Date.now() - t0;
  assert.equal(await q(`SELECT count(*) FROM problem WHERE id > ${base} AND contact_phone = ''`), '450');
  const counts = (await q(`SELECT after_json FROM audit_event WHERE action = 'pii.expire' AND id > ${first} ORDER BY id`))
    .split('\n').map((s) => JSON.parse(s)).filter((x) => x.kind === 'problem').map((x) => x.count);
  assert.deepEqual(counts, [200, 200, 50]);
  // the tally of rejected problems is what it was: rows and figures stay
  assert.equal(await q(`SELECT count(*) FROM problem WHERE id > ${base} AND state = 'rejected'`), '450');
  console.log(`450 rows anonymised in ${ms} ms (a whole digest run, process start included)`);
});

test('the running server\'s own background task anonymises once its clock passes the retention', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiebang-pipl-clock-'));
  const clock = join(dir, 'offset');
  writeFileSync(clock, '0');
  const s2 = await startServer({ env: { JIEBANG_CLOCK_FILE: clock, JIEBANG_TASK_PERIOD: '1', JIEBANG_TRUST_PROXY: '1' } });
  const c2 = openSql(s2.store);
  try {
    const id = +(await c2.query("SELECT min(id) FROM problem WHERE proposer_user_id IS NULL AND contact_phone <> ''")).trim();
    await c2.query(`UPDATE problem SET state = 'withdrawn', updated_at = ${now()} WHERE id = ${id}`);
    await new Promise((r) => setTimeout(r, 2500)); // a few ticks at today's date: nothing is due
    assert.equal((await c2.query(`SELECT contact_phone FROM problem WHERE id = ${id}`)).trim() !== "", true, "held before the retention");
    writeFileSync(clock, String(731 * DAY));
    let phone;
    for (let i = 0; i < 50; i++) {
      phone = (await c2.query(`SELECT contact_phone FROM problem WHERE id = ${id}`)).trim();
      if (phone === '') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(phone, '', 'anonymised by the ticker');
    assert.equal(+(await c2.query("SELECT count(*) FROM audit_event WHERE action = 'pii.expire' AND actor = 'cli'")).trim() >= 1, true);
  } finally {
    c2.close();
    await s2.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two admins erase the same person at once: the details go once, one audit entry; the other is told nothing is left', async () => {
  const pid = await residentProposal('并发居民', '13700008888');
  const admin2 = await login(srv, 'admin');
  const before_ = +(await q("SELECT count(*) FROM audit_event WHERE action = 'pii.erase'"));
  const rs = await Promise.all([admin, admin2].map((s) =>
    form(srv, s, '/admin/personal-data/erase', { q: '13700008888', confirm: '1' })));
  // one erases it; the other finds nothing left and is told so beside the field
  assert.deepEqual(rs.map((r) => r.status).sort(), [200, 400], rs.map((r) => r.text.slice(-300)).join(' | '));
  assert.match(rs.find((r) => r.status === 200).text, /已删除 1 条记录中的个人信息/);
  assert.match(rs.find((r) => r.status === 400).text, /没有找到含有这一姓名或联系方式的记录/);
  assert.equal(await q(`SELECT contact_phone FROM problem WHERE id = ${pid}`), '');
  assert.equal(+(await q("SELECT count(*) FROM audit_event WHERE action = 'pii.erase'")), before_ + 1);
});
