// Batches (批次) and their phases, through the API and the page forms: an
// admin creates and edits them; bad input gets every field error at once
// and changes nothing; a form shown again keeps what was typed with the
// message beside the field; others are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, validHtml } from './harness.mjs';
import { login, form, api, page, openSql } from './accounts.mjs';

let srv, conn, admin, cadre;
const q = async (text) => (await conn.query(text)).trim();

before(async () => {
  srv = await startServer();
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  cadre = await login(srv, 'cadre');
});
after(async () => { conn.close(); await srv.stop(); });

const BATCH = {
  // Not 第一批: the demo has this year's 第一批 (2027's in 2027).
  name: '2027年第二批', year: 2027, phase: 'collecting', by_dates: true,
  phases: [{ phase: 'collecting', starts: '2027-01-01', ends: '2027-02-28' }, { phase: 'screening', starts: '2027-03-01', ends: '2027-03-31' }],
};

test('an admin creates a batch with dated phases and reads it back; the list has it', async () => {
  const r = await api(srv, admin, 'POST', '/api/v1/batches', BATCH);
  assert.equal(r.status, 201, r.text);
  const b = r.json().batch;
  assert.equal(b.name, BATCH.name);
  assert.deepEqual(b.phases, BATCH.phases);
  assert.equal(b.by_dates, true);
  assert.equal(b.phase, 'collecting'); // before 2027: collecting has not begun, and is next
  const one = await page(srv, admin, `/api/v1/batches/${b.id}`);
  assert.deepEqual(one.json().batch, b);
  const list = await page(srv, admin, '/api/v1/batches');
  assert.ok(list.json().items.some((x) => x.id === b.id));
  // The demo's 2022 batch is there too.
  assert.ok(list.json().items.some((x) => x.name === '2022年第一批'));
  // Audited with what was set.
  const a = await q(`SELECT after_json FROM audit_event WHERE action = 'batch.create' AND object_id = ${b.id}`);
  assert.match(a, /"name":"2027年第二批"/);
});

test('PATCH changes only what it sends', async () => {
  const r = await api(srv, admin, 'POST', '/api/v1/batches', { ...BATCH, name: '补丁批次' });
  const id = r.json().batch.id;
  const p = await api(srv, admin, 'PATCH', `/api/v1/batches/${id}`, { name: '补丁批次（改）' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json().batch.name, '补丁批次（改）');
  assert.deepEqual(p.json().batch.phases, BATCH.phases);
  const h = await api(srv, admin, 'PATCH', `/api/v1/batches/${id}`, { by_dates: false, phase: 'working' });
  assert.equal(h.json().batch.phase, 'working');
  assert.equal((await api(srv, admin, 'PATCH', '/api/v1/batches/99999', { name: 'x' })).status, 404);
});

test('bad input gets every field error at once and changes nothing', async () => {
  const before_ = await q('SELECT count(*) FROM batch');
  const r = await api(srv, admin, 'POST', '/api/v1/batches', {
    name: 'x', year: 1990, phases: [{ phase: 'bogus', starts: '2027-02-30', ends: '2027-03-01' }],
  });
  assert.equal(r.status, 400);
  const e = r.json().error;
  assert.deepEqual(e.fields.map((f) => f.field).sort(), ['name', 'phases.0.phase', 'phases.0.starts', 'year']);
  assert.ok(e.fields.every((f) => /[\u4e00-\u9fa5]/.test(f.message)), 'messages in Chinese');
  const overlap = await api(srv, admin, 'POST', '/api/v1/batches', {
    name: '重叠批次', year: 2027, by_dates: true,
    phases: [{ phase: 'collecting', starts: '2027-01-01', ends: '2027-03-05' }, { phase: 'screening', starts: '2027-03-01', ends: '2027-03-31' }],
  });
  assert.equal(overlap.status, 400);
  assert.equal(overlap.json().error.code, 'phases_overlap');
  const taken = await api(srv, admin, 'POST', '/api/v1/batches', { name: '2022年第一批', year: 2022, phase: 'closed' });
  assert.equal(taken.status, 409);
  assert.equal(taken.json().error.field, 'name');
  assert.equal(await q('SELECT count(*) FROM batch'), before_);
});

test('the form shown again keeps what was typed, with the message beside the field', async () => {
  const before_ = await q('SELECT count(*) FROM batch');
  const r = await form(srv, admin, '/admin/batches', {
    name: '表单批次', year: '20x7', phase: 'collecting', 'phases.0.phase': 'collecting', 'phases.0.starts': '2027-01-01',
  });
  assert.equal(r.status, 400);
  validHtml(r.text);
  assert.match(r.text, /role="alert"/);
  assert.match(r.text, /value="表单批次"/);
  assert.match(r.text, /name="year" value="20x7"[^>]*aria-invalid="true"/);
  assert.match(r.text, /年度必须是 2000 到 2100 之间的整数/);
  assert.match(r.text, /请同时填写开始和结束日期/);
  assert.equal(await q('SELECT count(*) FROM batch'), before_);
  // Fixed, it is created and the browser goes to its page.
  const ok = await form(srv, admin, '/admin/batches', {
    name: '表单批次', year: '2027', phase: 'collecting', 'phases.0.phase': 'collecting', 'phases.0.starts': '2027-01-01',
    'phases.0.ends': '2027-02-28', 'phases.1.phase': 'screening', 'phases.1.starts': '', 'phases.1.ends': '',
  });
  assert.equal(ok.status, 303, ok.text);
  const where = ok.headers.get('location');
  assert.match(where, /^\/admin\/batches\/\d+$/);
  const p = await page(srv, admin, where);
  assert.equal(p.status, 200);
  validHtml(p.text);
  assert.match(p.text, /value="2027-02-28"/);
});

test('only an admin may create or edit a batch; the refusal changes nothing', async () => {
  const before_ = await q('SELECT count(*) FROM batch');
  assert.equal((await api(srv, cadre, 'POST', '/api/v1/batches', BATCH)).status, 403);
  assert.equal((await api(srv, cadre, 'PATCH', '/api/v1/batches/1', { name: '篡改' })).status, 403);
  assert.equal((await api(srv, null, 'POST', '/api/v1/batches', BATCH)).status, 401);
  assert.equal(await q('SELECT count(*) FROM batch'), before_);
  assert.equal(await q('SELECT name FROM batch WHERE id = 1'), '2022年第一批');
  // A cadre sees the list but no form.
  const p = await page(srv, cadre, '/admin/batches');
  assert.equal(p.status, 200);
  assert.doesNotMatch(p.text, /新建批次/);
});

test('two admins creating a batch of the same name at the same moment: exactly one wins, the other gets 409', async () => {
  const other = await login(srv, 'admin');
  for (let round = 0; round < 5; round++) {
    const name = `同时创建${round}`;
    const body = { name, year: 2027, phase: 'collecting' };
    const rs = await Promise.all([api(srv, admin, 'POST', '/api/v1/batches', body), api(srv, other, 'POST', '/api/v1/batches', body)]);
    assert.deepEqual(rs.map((r) => r.status).sort(), [201, 409], rs.map((r) => r.text).join('\n'));
    assert.equal(await q(`SELECT count(*) FROM batch WHERE name = '${name}'`), '1');
    assert.equal(await q(`SELECT count(*) FROM audit_event WHERE action = 'batch.create' AND after_json LIKE '%${name}%'`), '1');
  }
  // Two renames of different batches to one name at once: one wins.
  const a = (await api(srv, admin, 'POST', '/api/v1/batches', { name: '甲批次', year: 2027, phase: 'collecting' })).json().batch.id;
  const b = (await api(srv, admin, 'POST', '/api/v1/batches', { name: '乙批次', year: 2027, phase: 'collecting' })).json().batch.id;
  const rs = await Promise.all([api(srv, admin, 'PATCH', `/api/v1/batches/${a}`, { name: '丙批次' }),
    api(srv, other, 'PATCH', `/api/v1/batches/${b}`, { name: '丙批次' })]);
  assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409]);
  assert.equal(await q("SELECT count(*) FROM batch WHERE name = '丙批次'"), '1');
});

test('grade settings: thresholds in points (kept in hundredths), the 优秀 cap, notice days, the mid-term date', async () => {
  // Not given: the defaults (90, 80, 60; cap 30 %; 5 working days; no date).
  const d = await api(srv, admin, 'POST', '/api/v1/batches', { name: '等次默认批', year: 2027, phase: 'collecting' });
  assert.equal(d.status, 201, d.text);
  const dv = d.json().batch;
  assert.deepEqual([dv.grade_excellent, dv.grade_good, dv.grade_pass, dv.excellent_cap, dv.notice_days, dv.midterm_on],
    [90, 80, 60, 30, 5, null]);
  const r = await api(srv, admin, 'POST', '/api/v1/batches', {
    name: '等次批', year: 2027, phase: 'collecting', grade_excellent: 92.5, grade_good: '85', grade_pass: 60.25,
    excellent_cap: 0, notice_days: 7, midterm_on: '2027-06-30',
  });
  assert.equal(r.status, 201, r.text);
  const b = r.json().batch;
  assert.deepEqual([b.grade_excellent, b.grade_good, b.grade_pass, b.excellent_cap, b.notice_days, b.midterm_on],
    [92.5, 85, 60.25, 0, 7, '2027-06-30']);
  assert.equal(await q(`SELECT grade_excellent || ' ' || grade_good || ' ' || grade_pass FROM batch WHERE id = ${b.id}`), '9250 8500 6025');
  const a = await q(`SELECT after_json FROM audit_event WHERE action = 'batch.create' AND object_id = ${b.id}`);
  assert.match(a, /"grade_excellent":"92.50"/);
  // PATCH keeps what it does not send; out of order is refused, nothing changed.
  const p = await api(srv, admin, 'PATCH', `/api/v1/batches/${b.id}`, { notice_days: 10 });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json().batch.grade_excellent, 92.5);
  assert.equal(p.json().batch.midterm_on, '2027-06-30');
  const bad = await api(srv, admin, 'PATCH', `/api/v1/batches/${b.id}`, { grade_good: 95 });
  assert.equal(bad.status, 400);
  assert.equal(bad.json().error.field, 'grade_excellent');
  assert.match(bad.json().error.message, /合格 ≤ 良好 ≤ 优秀/);
  const range = await api(srv, admin, 'PATCH', `/api/v1/batches/${b.id}`, { notice_days: 31, excellent_cap: 101, grade_pass: 'x', midterm_on: '2027-02-30' });
  assert.equal(range.status, 400);
  assert.deepEqual(range.json().error.fields.map((f) => f.field).sort(), ['excellent_cap', 'grade_pass', 'midterm_on', 'notice_days']);
  assert.ok(range.json().error.fields.every((f) => /[\u4e00-\u9fa5]/.test(f.message)));
  assert.equal(await q(`SELECT grade_good || ' ' || notice_days || ' ' || excellent_cap FROM batch WHERE id = ${b.id}`), '8500 10 0');
  // The page shows them in points, and the form keeps a refused value beside its field.
  const page_ = await page(srv, admin, `/admin/batches/${b.id}`);
  validHtml(page_.text);
  assert.match(page_.text, /优秀 ≥ 92.50 分，良好 ≥ 85.00 分，合格 ≥ 60.25 分；优秀比例不限；结果公示 10 个工作日；中期评估：2027-06-30/);
  assert.match(page_.text, /name="grade_excellent" value="92.5"/);
  assert.match(page_.text, new RegExp(`href="/batches/${b.id}/rubric"`));
  const f = await form(srv, admin, `/admin/batches/${b.id}`, {
    name: '等次批', year: '2027', phase: 'collecting', grade_excellent: '90', grade_good: '9o', grade_pass: '60',
    excellent_cap: '30', notice_days: '5', midterm_on: '',
  });
  assert.equal(f.status, 400);
  validHtml(f.text);
  assert.match(f.text, /name="grade_good" value="9o"[^>]*aria-invalid="true"/);
  assert.match(f.text, /良好分数线必须是数字/);
  assert.equal(await q(`SELECT grade_good FROM batch WHERE id = ${b.id}`), '8500');
  const ok = await form(srv, admin, `/admin/batches/${b.id}`, {
    name: '等次批', year: '2027', phase: 'collecting', grade_excellent: '90', grade_good: '80', grade_pass: '60',
    excellent_cap: '30', notice_days: '5', midterm_on: '',
  });
  assert.equal(ok.status, 303, ok.text);
  assert.equal(await q(`SELECT grade_good || ' ' || coalesce(midterm_on, 0) FROM batch WHERE id = ${b.id}`), '8000 0');
});
