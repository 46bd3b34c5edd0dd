// notice.test.mjs - public notices (公示) and objections (异议), and the
// working-day calendar, against the real server on either store: the
// calendar's built-in year, a tenant's own year through the API and the
// page's lines (bad input kept and refused); a promotions notice of the
// demo's promotions (the demo has no accepted claims: a results notice is
// refused until the accept verb lands, and its rules are unit-tested in
// tests/unit/test_notice.c); objections by real name with a contact, not
// public, per-address limits for residents; answering once; closing refused
// before the period ends and while an objection is open; the background
// task (`jiebang digest --now`, the ticker being off) closing what is due.
// The server's calendar moves by JIEBANG_CLOCK_FILE, no sleeping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, get, run, validHtml } from './harness.mjs';
import { login, form, api, page, openSql } from './accounts.mjs';

let srv, conn, admin, cadre, CLOCK;
const DAY = 86400;
const q = async (text) => (await conn.query(text)).trim();
let addrSeq = 0;
// A JSON error's field names (one error has "field", several "fields").
const errFields = (r) => { const e = r.json().error; return e.fields ? e.fields.map((f) => f.field) : [e.field]; };
const freshAddr = () => `198.51.100.${++addrSeq}`;
// The server's clock moved to 10:00 Asia/Shanghai of day ymd.
const tenAm = (ymd) => Date.parse(`${ymd}T10:00:00+08:00`) / 1000;
const setClockTo = (epoch) => writeFileSync(CLOCK, String(Math.round(epoch - Date.now() / 1000)));
const resetClock = () => writeFileSync(CLOCK, '0');

before(async () => {
  CLOCK = join(process.env.TMPDIR || '/tmp', `jb-notice-clock-${process.pid}`);
  resetClock();
  srv = await startServer({ env: { JIEBANG_TASK_PERIOD: '0', JIEBANG_TRUST_PROXY: '1', JIEBANG_LOGINS_PER_ADDR: '1000',
    JIEBANG_CLOCK_FILE: CLOCK } });
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  cadre = await login(srv, 'cadre');
});
after(async () => { conn.close(); await srv.stop(); });

function anonApi(method, path, body, addr, headers = {}) {
  return get(srv, path, {
    method,
    headers: { 'X-Forwarded-For': addr, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
function anonForm(path, fields, addr, headers = {}) {
  return get(srv, path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': addr, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

const OBJ = { name: '王小明', contact: '13812345678', body: '该同志在攻坚期间多次缺席现场调度会，与公示材料不符，请核实。' };

async function promotionsNotice(ids, extra = {}) {
  const r = await api(srv, admin, 'POST', '/api/v1/batches/1/notices',
    { kind: 'promotions', promotion_ids: ids, title: `提拔使用公示${++addrSeq}`, body: '以下同志拟提拔使用，现予公示。', ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json().notice;
}
const closeAll = () => conn.query("UPDATE notice SET state = 'closed', outcome = '无异议' WHERE state = 'open'");

test('the calendar: the built-in 2025 with 国庆 and its make-up Saturday, for signed-in users only', async () => {
  assert.equal((await page(srv, null, '/api/v1/calendar/2025')).status, 401);
  const r = await page(srv, cadre, '/api/v1/calendar/2025');
  assert.equal(r.status, 200, r.text);
  const cal = r.json().calendar;
  assert.equal(cal.source, 'builtin');
  assert.deepEqual(cal.days.find((d) => d.day === '2025-10-11'), { day: '2025-10-11', kind: 'work', name: '国庆节调休' });
  assert.equal(cal.days.filter((d) => d.kind === 'off' && d.day.startsWith('2025-10')).length, 8);
  assert.equal((await page(srv, cadre, '/api/v1/calendar/2031')).json().calendar.source, 'weekends');
  assert.equal((await page(srv, cadre, '/api/v1/calendar/abc')).status, 400);
  const p = await page(srv, cadre, '/calendar/2025');
  assert.equal(p.status, 200);
  validHtml(p.text);
  assert.match(p.text, /2025年10月/);
  assert.match(p.text, /title="国庆节调休"><span class="cal-d">11<\/span><span class="cal-k">班<\/span>/);
  assert.doesNotMatch(p.text, /保存日历/, 'no edit form without calendar.manage');
});

test("a tenant's own year replaces the built-in one; bad days are refused with the input kept", async () => {
  const before_ = await q('SELECT count(*) FROM calendar_day');
  const bad = await api(srv, admin, 'PUT', '/api/v1/calendar/2027', { days: [{ day: '2028-01-01', kind: 'off', name: '元旦' }, { day: '2027-02-30', kind: 'off' }, { day: '2027-01-02', kind: 'holiday' }] });
  assert.equal(bad.status, 400, bad.text);
  const fields = errFields(bad);
  assert.ok(fields.includes('days.2.kind'), bad.text);
  assert.equal(await q('SELECT count(*) FROM calendar_day'), before_);
  const bad2 = await api(srv, admin, 'PUT', '/api/v1/calendar/2027', { days: [{ day: '2028-01-01', kind: 'off', name: '元旦' }] });
  assert.equal(bad2.status, 400);
  assert.deepEqual(errFields(bad2), ['days.0.day']);
  assert.equal((await api(srv, cadre, 'PUT', '/api/v1/calendar/2027', { days: [] })).status, 403);
  const ok = await api(srv, admin, 'PUT', '/api/v1/calendar/2027', { days: [{ day: '2027-01-01', kind: 'off', name: '元旦' }, { day: '2027-01-02', kind: 'work', name: '调休' }] });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json().calendar.source, 'own');
  assert.equal(ok.json().calendar.days.length, 2);
  // The page's lines: a bad line is named, what was typed is kept.
  const typed = '2026-10-01 放假 国庆节\n2026-10-10 加班 错误';
  const p = await form(srv, admin, '/calendar/2026', { lines: typed });
  assert.equal(p.status, 400);
  validHtml(p.text);
  assert.match(p.text, /第 2 行写得不对/);
  assert.match(p.text, /2026-10-10 加班 错误<\/textarea>/);
  assert.equal((await page(srv, admin, '/api/v1/calendar/2026')).json().calendar.source, 'builtin');
  const saved = await form(srv, admin, '/calendar/2026', { lines: '2026-10-01 放假 国庆节\n2026-10-10 上班 国庆节调休' });
  assert.equal(saved.status, 303);
  const cal = (await page(srv, admin, '/api/v1/calendar/2026')).json().calendar;
  assert.equal(cal.source, 'own');
  assert.deepEqual(cal.days.map((d) => d.day), ['2026-10-01', '2026-10-10']);
  const edit = await page(srv, admin, '/calendar/2026');
  assert.match(edit.text, /保存日历/);
  assert.match(edit.text, /本单位自定义的日历/);
  // Back to the State Council's 2026 for the tests below.
  await conn.query("DELETE FROM calendar_day WHERE day LIKE '2026-%'");
  await conn.query('DELETE FROM calendar_year WHERE year = 2026');
});

test('a notice is counted on the calendar: 5 working days from Friday 2027-01-01 skip its holiday and weekend', async () => {
  // 2027 has the tenant's own days (the test above): 1-1 off, Saturday 1-2 work.
  setClockTo(tenAm('2026-12-30'));
  try {
    const n = await promotionsNotice([1], { starts_on: '2027-01-01', working_days: 5 });
    // 1-2 (Sat, work) 1, 1-4 2, 1-5 3, 1-6 4, 1-7 5.
    assert.equal(n.starts_on, '2027-01-01');
    assert.equal(n.ends_on, '2027-01-07');
    assert.equal(n.working_days, 5);
    assert.equal(n.items[0].person.length > 0, true);
    // A past start is refused, the batch's default length applies.
    const past = await api(srv, admin, 'POST', '/api/v1/batches/1/notices', { kind: 'promotions', promotion_ids: [2], title: '过去的公示', starts_on: '2026-12-01' });
    assert.equal(past.status, 400);
    assert.equal(past.json().error.field, 'starts_on');
  } finally {
    resetClock();
    await closeAll();
  }
});

test('a results notice needs accepted claims (the demo has none yet); only admins create notices', async () => {
  const r = await api(srv, admin, 'POST', '/api/v1/batches/1/notices', { kind: 'results', title: '验收结果公示' });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json().error.code, 'nothing_to_notice');
  assert.equal((await api(srv, admin, 'POST', '/api/v1/batches/99/notices', { kind: 'promotions', promotion_ids: [1], title: '无此批次' })).status, 404);
  assert.equal((await api(srv, cadre, 'POST', '/api/v1/batches/1/notices', { kind: 'promotions', promotion_ids: [1], title: '越权' })).status, 403);
  const dup = await api(srv, admin, 'POST', '/api/v1/batches/1/notices', { kind: 'promotions', promotion_ids: [1, 1], title: '重复' });
  assert.equal(dup.status, 400);
  assert.equal(dup.json().error.field, 'promotion_ids');
  assert.equal((await api(srv, admin, 'POST', '/api/v1/batches/1/notices', { kind: 'promotions', promotion_ids: [999], title: '无此记录' })).status, 400);
  const cand = await page(srv, admin, '/api/v1/batches/1/notice-candidates?kind=promotions');
  assert.equal(cand.status, 200);
  assert.equal(cand.json().candidates.length, 6);
  assert.equal((await page(srv, cadre, '/api/v1/batches/1/notice-candidates?kind=promotions')).status, 403);
});

test('objections: by real name with a contact, within the period; not public; answered once; then the notice closes', async () => {
  const n = await promotionsNotice([1, 2, 3]);
  const id = n.id;
  // Anonymous or vague names, bad contacts and short texts are refused, nothing stored.
  for (const [bad, field] of [[{ name: '匿名' }, 'name'], [{ name: '群众' }, 'name'], [{ contact: '12345' }, 'contact'],
    [{ contact: 'abc@' }, 'contact'], [{ body: '不同意' }, 'body'], [{ position: 9 }, 'position']]) {
    const r = await anonApi('POST', '/api/v1/public/objections', { notice_id: id, ...OBJ, ...bad }, freshAddr());
    assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.text}`);
    assert.ok(errFields(r).includes(field), r.text);
  }
  const missing = await anonApi('POST', '/api/v1/public/objections', { notice_id: id, body: OBJ.body }, freshAddr());
  assert.equal(missing.status, 400);
  assert.deepEqual(errFields(missing).sort(), ['contact', 'name']);
  assert.equal(await q(`SELECT count(*) FROM objection WHERE notice_id = ${id}`), '0');
  // A cross-site post is refused.
  assert.equal((await anonApi('POST', '/api/v1/public/objections', { notice_id: id, ...OBJ }, freshAddr(), { Origin: 'http://evil.example' })).status, 403);
  // A resident's objection by the API, one by the page's form.
  const a = await anonApi('POST', '/api/v1/public/objections', { notice_id: id, position: 2, ...OBJ }, freshAddr());
  assert.equal(a.status, 201, a.text);
  const oid = a.json().objection.id;
  const typed = { name: '李某', contact: '0571-8765', body: '太短' };
  const f = await anonForm(`/notices/${id}/objections`, typed, freshAddr());
  assert.equal(f.status, 400);
  validHtml(f.text);
  assert.match(f.text, /value="0571-8765"/);
  assert.match(f.text, /请填写能联系到您的手机号码/);
  const f2 = await anonForm(`/notices/${id}/objections`, { ...OBJ, name: '李华', contact: 'lihua@example.cn', position: '' }, freshAddr());
  assert.equal(f2.status, 303, f2.text);
  assert.match(f2.headers.get('location'), new RegExp(`/notices/${id}\\?lodged=1`));
  // The public page and API say how many, never who or what.
  const pub = await get(srv, `/notices/${id}`);
  assert.equal(pub.status, 200);
  validHtml(pub.text);
  assert.match(pub.text, /收到 2 条，已答复 0 条/);
  assert.match(pub.text, /异议须署真实姓名并留下联系方式/);
  assert.match(pub.text, /县委组织部/);
  for (const secret of ['王小明', '13812345678', '李华', '缺席现场调度会']) assert.ok(!pub.text.includes(secret), secret);
  const pj = await get(srv, `/api/v1/notices/${id}`);
  assert.equal(pj.json().notice.objections, 2);
  assert.ok(!pj.text.includes('13812345678'));
  assert.equal((await page(srv, null, `/api/v1/notices/${id}/objections`)).status, 401);
  assert.equal((await page(srv, cadre, `/api/v1/notices/${id}/objections`)).status, 403);
  const list = (await page(srv, admin, `/api/v1/notices/${id}/objections`)).json().objections;
  assert.deepEqual(list.map((o) => [o.name, o.contact, o.position]), [['王小明', '13812345678', 2], ['李华', 'lihua@example.cn', null]]);
  const adminPage = await page(srv, admin, `/admin/notices/${id}`);
  assert.equal(adminPage.status, 200);
  validHtml(adminPage.text);
  assert.match(adminPage.text, /13812345678/);
  assert.equal((await page(srv, cadre, `/admin/notices/${id}`)).status, 403);
  // The audit log never holds the name or the contact.
  assert.equal(await q("SELECT count(*) FROM audit_event WHERE action LIKE 'objection.%' AND (after_json LIKE '%13812345678%' OR after_json LIKE '%王小明%')"), '0');

  // Closing: not before the period ends, not while objections are open.
  const early = await api(srv, admin, 'POST', `/api/v1/notices/${id}/close`, {});
  assert.equal(early.status, 409);
  assert.match(early.json().error.message, /公示期未满/);
  const earlyPage = await form(srv, admin, `/admin/notices/${id}/close`, {});
  assert.equal(earlyPage.status, 409);
  validHtml(earlyPage.text);
  assert.match(earlyPage.text, /公示期未满/);
  setClockTo(tenAm(n.ends_on) + DAY);
  try {
    const late = await anonApi('POST', '/api/v1/public/objections', { notice_id: id, ...OBJ }, freshAddr());
    assert.equal(late.status, 409);
    assert.match(late.json().error.message, /不再受理异议/);
    const open = await api(srv, admin, 'POST', `/api/v1/notices/${id}/close`, {});
    assert.equal(open.status, 409);
    assert.equal(open.json().error.message, '还有 2 条异议未答复，答复后才能结束公示');
    assert.equal((await api(srv, cadre, 'POST', `/api/v1/objections/${oid}/answer`, { answer: '越权', kind: 'dismissed' })).status, 403);
    const blank = await api(srv, admin, 'POST', `/api/v1/objections/${oid}/answer`, { answer: '', kind: 'dismissed' });
    assert.equal(blank.status, 400);
    assert.equal((await api(srv, admin, 'POST', `/api/v1/objections/${oid}/answer`, { answer: '经核实，该同志缺席时在外执行防汛任务，异议不成立。', kind: 'dismissed' })).status, 200);
    const again = await api(srv, admin, 'POST', `/api/v1/objections/${oid}/answer`, { answer: '再答一次', kind: 'upheld' });
    assert.equal(again.status, 409);
    assert.equal(await q(`SELECT answer_kind FROM objection WHERE id = ${oid}`), 'dismissed');
    const againPage = await form(srv, admin, `/admin/objections/${oid}/answer`, { notice: String(id), kind: 'upheld', answer: '再答一次' });
    assert.equal(againPage.status, 409);
    validHtml(againPage.text);
    assert.match(againPage.text, /这条异议已经答复过/);
    // The page's answer form, and its close button.
    const other = list[1].id;
    const pf = await form(srv, admin, `/admin/objections/${other}/answer`, { notice: String(id), kind: 'dismissed', answer: '已核实，不影响公示结果。' });
    assert.equal(pf.status, 303, pf.text);
    const closed = await form(srv, admin, `/admin/notices/${id}/close`, {});
    assert.equal(closed.status, 303, closed.text);
    const after_ = (await get(srv, `/api/v1/notices/${id}`)).json().notice;
    assert.equal(after_.state, 'closed');
    assert.equal(after_.outcome, '异议已答复');
    assert.equal(after_.answered, 2);
    assert.match((await get(srv, `/notices/${id}`)).text, /收到 2 条，已答复 2 条/);
  } finally {
    resetClock();
  }
});

test('residents are limited per address; signed-in users are not', async () => {
  const n = await promotionsNotice([4]);
  const addr = freshAddr();
  for (let i = 0; i < 5; i++)
    assert.equal((await anonApi('POST', '/api/v1/public/objections', { notice_id: n.id, ...OBJ }, addr)).status, 201);
  const limited = await anonApi('POST', '/api/v1/public/objections', { notice_id: n.id, ...OBJ }, addr);
  assert.equal(limited.status, 429, limited.text);
  assert.ok(+limited.headers.get('retry-after') > 0);
  const pageLimited = await anonForm(`/notices/${n.id}/objections`, OBJ, addr);
  assert.equal(pageLimited.status, 429);
  validHtml(pageLimited.text);
  for (let i = 0; i < 7; i++)
    assert.equal((await api(srv, cadre, 'POST', '/api/v1/public/objections', { notice_id: n.id, ...OBJ }, { headers: { 'X-Forwarded-For': addr } })).status, 201);
  assert.equal(await q(`SELECT count(*) FROM objection WHERE notice_id = ${n.id} AND user_id IS NOT NULL`), '7');
  await closeAll();
});

test('the background task closes notices whose period is over and that have no open objection', async () => {
  const quiet = await promotionsNotice([5]);
  const busy = await promotionsNotice([6]);
  assert.equal((await anonApi('POST', '/api/v1/public/objections', { notice_id: busy.id, ...OBJ }, freshAddr())).status, 201);
  const digest = (at) => {
    const r = run(['digest', '--db', srv.store, '--now', String(at)]);
    assert.equal(r.status, 0, r.stderr);
  };
  digest(tenAm(quiet.ends_on));
  assert.equal((await get(srv, `/api/v1/notices/${quiet.id}`)).json().notice.state, 'open');
  digest(tenAm(quiet.ends_on) + DAY);
  const q1 = (await get(srv, `/api/v1/notices/${quiet.id}`)).json().notice;
  assert.equal(q1.state, 'closed');
  assert.equal(q1.outcome, '无异议');
  assert.equal((await get(srv, `/api/v1/notices/${busy.id}`)).json().notice.state, 'open');
  assert.equal(await q(`SELECT actor FROM audit_event WHERE action = 'notice.close' AND object_id = ${quiet.id}`), 'cli');
});

test('the public list, the notice pages and the admin pages are valid HTML', async () => {
  const list = await get(srv, '/notices');
  assert.equal(list.status, 200);
  validHtml(list.text);
  assert.match(list.text, /公示中/);
  assert.match(list.text, /已结束/);
  for (const path of ['/admin/notices', '/admin/notices/new?batch=1&kind=promotions', '/admin/notices/new?batch=1&kind=results']) {
    const r = await page(srv, admin, path);
    assert.equal(r.status, 200, path);
    validHtml(r.text);
  }
  assert.equal((await page(srv, admin, '/admin/notices/new?batch=99')).status, 404);
  assert.equal((await page(srv, cadre, '/admin/notices')).status, 403);
  assert.equal((await get(srv, '/notices/9999')).status, 404);
  assert.equal((await get(srv, '/api/v1/notices/9999')).status, 404);
  // The page form creates a notice and shows it.
  const created = await form(srv, admin, '/admin/batches/1/notices', [['kind', 'promotions'], ['title', '页面发布的公示'], ['working_days', '7'], ['promotion_ids', '2'], ['promotion_ids', '3']]);
  assert.equal(created.status, 303, created.text);
  const bad = await form(srv, admin, '/admin/batches/1/notices', [['kind', 'promotions'], ['title', '没有选人'], ['working_days', '5']]);
  assert.equal(bad.status, 400);
  validHtml(bad.text);
  assert.match(bad.text, /请选择要公示的提拔使用记录/);
  assert.match(bad.text, /value="没有选人"/);
});
