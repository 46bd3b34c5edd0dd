// Every figure of the report, on the statistics page and in the API; the
// batch selector and the day the figures are as of. The demo's 2022 batch
// is closed as of 2022-08-31; this year's batch is open, with proposals
// that are not public and change no figure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, validHtml, sql } from './harness.mjs';
import { login, form, page } from './accounts.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const byCategory = { 项目建设类: 28, 城市建设类: 9, 乡村振兴类: 16, 民生发展类: 10,
  社会治理类: 10, 队伍建设类: 4, 生态环保类: 1, 其他: 8 };

test('the stats API gives every figure of the report for the demo', async () => {
  const r = await get(srv, '/api/v1/stats');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  const s = r.json();
  assert.equal(s.problems, 104);
  assert.equal(s.claimed, 86);
  assert.equal(s.solved, 33);
  assert.equal(s.promotions, 6);
  assert.deepEqual(s.claimed_by_category, byCategory);
  assert.deepEqual(s.claiming_units, { 县直单位: 62, 镇街: 17 });
  assert.deepEqual(s.claiming_cadres, { 科级: 209, 股级以下: 43 });
  assert.equal(Object.keys(s.problems_by_category).length, 8);
  assert.equal(Object.values(s.problems_by_category).reduce((a, b) => a + b, 0), 104);
  assert.equal(Object.values(s.by_state).reduce((a, b) => a + b, 0), 104);
  assert.equal(s.by_state.published, 18);
  assert.equal(s.by_state.solved, 33);
});

test('the stats API filtered by the demo batch agrees and names it; an unknown batch is a 404', async () => {
  const days = [today()];
  const all = (await get(srv, '/api/v1/stats')).json();
  const b1 = (await get(srv, '/api/v1/stats?batch=1')).json();
  days.push(today());
  assert.deepEqual(all.batch, null);
  assert.deepEqual(b1.batch, { id: 1, name: '2022年第一批' });
  // The demo batch closed with August 2022 ("截至2022年8月"): its figures are as of then.
  assert.equal(b1.as_of, '2022-08-31');
  assert.ok(days.some((d) => d.iso === all.as_of), 'this year\'s batch is open: all batches are as of today');
  assert.deepEqual({ ...b1, batch: null, as_of: all.as_of }, all, 'the figures of every batch are the 2022 batch\'s');
  const cur = (await get(srv, '/api/v1/stats?batch=2')).json();
  assert.deepEqual(cur.batch, { id: 2, name: `${days[0].year}年第一批` });
  assert.deepEqual([cur.problems, cur.claimed, cur.solved, cur.promotions], [0, 0, 0, 0], 'its proposals are not public');
  const none = await get(srv, '/api/v1/stats?batch=999');
  assert.equal(none.status, 404);
  assert.deepEqual([none.json().error.code, none.json().error.field], ['not_found', 'batch']);
  assert.equal((await get(srv, '/stats?batch=999')).status, 404);
});

// One bar of a chart: its label, an SVG bar, its value.
const bar = (label, n) => new RegExp(`<li><span class="bar-label">${label.replace(/[()（）]/g, '\\$&')}</span>` +
  `<svg class="bar" [^>]*><rect width="\\d+" height="10"/></svg><span class="bar-value">${n}</span></li>`);

test('the statistics page shows the same figures with bar charts', async () => {
  const r = await get(srv, '/stats');
  assert.equal(r.status, 200);
  validHtml(r.text);
  for (const [label, n] of [['榜单难题', 104], ['累计揭榜', 86], ['累计破题', 33], ['揭榜单位', 79], ['揭榜干部', 252], ['提拔使用', 6]])
    assert.ok(r.text.includes(`<span class="num">${n}</span><span class="lbl">${label}</span>`), `figure ${label} ${n}`);
  assert.equal((r.text.match(/<ul class="chart" aria-labelledby="[a-z]+-h">/g) || []).length, 6, 'six bar charts (with the batches)');
  // the lights of the 86 counted claims as of 2022-08-31: the 9 overdue ones red, the 33 solved awaiting evaluation
  const lights = (await get(srv, '/api/v1/stats')).json().lights;
  assert.equal(Object.values(lights).reduce((a, b) => a + b, 0), 86);
  assert.equal(lights.red, 9);
  assert.equal(lights.awaiting, 33);
  for (const [label, n] of [['逾期', lights.red], ['未报送', lights.unreported], ['滞后', lights.yellow], ['正常', lights.green], ['待验收', 33]])
    assert.match(r.text, bar(label, n), label);
  for (const [name, n] of Object.entries(byCategory)) {
    assert.match(r.text, new RegExp(`<th scope="row" data-label="类别" class="card-title">${name}</th><td data-label="榜单难题">\\d+</td><td data-label="累计揭榜">${n}</td>`), name);
    assert.match(r.text, bar(name, n), `${name} bar`);
  }
  for (const [label, n] of [['县直单位', 62], ['镇街', 17], ['科级干部', 209], ['股级以下干部', 43]])
    assert.match(r.text, bar(label, n), label);
});

test('the headline "累计揭榜" and the current-state chart cannot be confused', async () => {
  const r = await get(srv, '/stats');
  const s = (await get(srv, '/api/v1/stats')).json();
  // 86 problems were ever claimed; 5 are claimed now, still waiting for their pledge.
  assert.ok(r.text.includes('<span class="num">86</span><span class="lbl">累计揭榜</span>'));
  assert.match(r.text, /<h2 id="state-h">难题当前状态<\/h2>/);
  assert.match(r.text, bar('已揭榜（待立军令状）', s.by_state.claimed));
  assert.match(r.text, bar('已破题（待验收）', s.by_state.solved));
  assert.match(r.text, bar('攻坚中', s.by_state.in_progress));
  assert.doesNotMatch(r.text, /<span class="(?:lbl|bar-label)">已揭榜<\/span>/, 'no bare 已揭榜 figure');
  assert.equal(s.claimed, s.by_state.claimed + s.by_state.in_progress + s.by_state.solved + (s.by_state.accepted ?? 0));
});

test('the statistics page offers every batch and says which batch and day it shows', async () => {
  const days = [today()];
  const all = await get(srv, '/stats');
  days.push(today());
  assert.match(all.text, new RegExp('<select name="batch"><option value="">全部批次</option>' +
    `<option value="2">${days[0].year}年第一批</option><option value="1">2022年第一批</option></select>`));
  assert.ok(days.some((d) => all.text.includes(`<p class="as-of"><strong>全部批次</strong> · 统计截至 ${d.zh}</p>`)));
  const one = await get(srv, '/stats?batch=1');
  validHtml(one.text);
  assert.match(one.text, /<option value="1" selected>2022年第一批<\/option>/);
  assert.match(one.text, /<p class="as-of"><strong>2022年第一批<\/strong> · 统计截至 2022年8月31日<\/p>/);
});

// Today in Asia/Shanghai, as 2026-12-01 and 2026年12月1日.
function today() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  return { year: y, iso: `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`, zh: `${y}年${m}月${day}日` };
}

// ---- the dashboard (issue 11 §1) ----

const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);
const num = (html, label) => {
  const m = html.match(new RegExp(`<span class="num">([^<]+)</span><span class="lbl">${label}</span>`));
  return m ? m[1] : null;
};

test('the dashboard figures of the 2022 batch are the report\'s: lights, in progress, months, overdue', async () => {
  const s = (await get(srv, '/api/v1/stats?batch=1')).json();
  assert.deepEqual(s.lights, { green: 37, yellow: 7, red: 9, unreported: 0, awaiting: 33 });
  assert.equal(s.in_progress, 86 - 33, 'the counted claims not yet solved');
  assert.equal(s.overdue_total, 9);
  assert.equal(s.overdue.length, 9);
  for (let i = 1; i < s.overdue.length; i++)
    assert.ok(s.overdue[i - 1].days_over >= s.overdue[i].days_over, 'most days over first');
  assert.ok(s.overdue.every((o) => o.title && o.days_over >= 0 && !('unit' in o)), 'anonymous: no units');
  // every claim and every solve is in its month, all before the batch's as-of day
  assert.equal(s.months.reduce((a, m) => a + m.claimed, 0), 86);
  assert.equal(s.months.reduce((a, m) => a + m.solved, 0), 33);
  assert.ok(s.months.every((m) => /^\d{4}-\d{2}$/.test(m.month) && m.month <= '2022-08'));
  assert.deepEqual(s.months.map((m) => m.month), [...s.months.map((m) => m.month)].sort());
  assert.deepEqual([s.accepted, s.scored, s.average_score, s.practices_adopted], [0, 0, null, 0]);
  assert.deepEqual(s.grades, { excellent: 0, good: 0, pass: 0, fail: 0 });
  assert.equal(s.problems_by_batch['2022年第一批'], 104);
  assert.equal(sum(s.problems_by_batch), 104);
  assert.equal(s.unit_table, undefined, 'no unit table for anonymous readers');
});

test('the dashboard page shows the API\'s figures: headline, months, overdue list, grades', async () => {
  const r = await get(srv, '/stats?batch=1');
  assert.equal(r.status, 200);
  validHtml(r.text);
  const s = (await get(srv, '/api/v1/stats?batch=1')).json();
  assert.equal(num(r.text, '攻坚中'), String(s.in_progress));
  assert.equal(num(r.text, '已验收'), String(s.accepted));
  assert.equal(num(r.text, '逾期'), String(s.lights.red));
  assert.equal(num(r.text, '经验做法转化'), String(s.practices_adopted));
  assert.equal(num(r.text, '平均得分'), '—');
  for (const m of s.months)
    assert.match(r.text, new RegExp(`<th scope="row" data-label="月份" class="card-title">${m.month}</th><td data-label="揭榜">${m.claimed}</td><td data-label="破题">${m.solved}</td><td data-label="验收">${m.accepted}</td>`), m.month);
  const overdue = r.text.slice(r.text.indexOf('id="overdue-h"'), r.text.indexOf('id="month-h"'));
  assert.equal((overdue.match(/<tr>/g) || []).length, 1 + 9, 'a header and the 9 overdue claims');
  for (const o of s.overdue) assert.ok(overdue.includes(`>${o.title}</a>`), o.title);
  assert.doesNotMatch(overdue, /揭榜单位/, 'no unit column for anonymous readers');
  assert.doesNotMatch(r.text, /id="units-h"/);
  assert.match(r.text, /<h2 id="grade-h">考评验收结果<\/h2>/);
  assert.equal((r.text.match(/<section class="dash"/g) || []).length, 9, 'nine sections, a page each in print');
});

test('as_of moves the day back: months and lights as of then; a bad or future date is refused beside the field', async () => {
  const s = (await get(srv, '/api/v1/stats?batch=1&as_of=2022-06-30')).json();
  assert.equal(s.as_of, '2022-06-30');
  assert.ok(s.months.every((m) => m.month <= '2022-06'));
  assert.equal(s.months.reduce((a, m) => a + m.claimed, 0), 81, 'the 5 July claims come later');
  assert.equal(sum(s.lights), 86);
  const late = (await get(srv, '/api/v1/stats?batch=1&as_of=2023-03-01')).json();
  assert.equal(late.as_of, '2022-08-31', 'never after the batch closed');
  assert.deepEqual(late.lights, (await get(srv, '/api/v1/stats?batch=1')).json().lights);
  for (const bad of ['2022-02-30', 'yesterday', '2999-01-01']) {
    const j = await get(srv, `/api/v1/stats?as_of=${bad}`);
    assert.equal(j.status, 400, bad);
    assert.equal(j.json().error.field, 'as_of');
    const p = await get(srv, `/stats?batch=1&as_of=${encodeURIComponent(bad)}`);
    assert.equal(p.status, 400, bad);
    validHtml(p.text);
    assert.match(p.text, /<span class="field-error" id="f-as_of-err">截至日期/);
    assert.ok(p.text.includes(`name="as_of" value="${bad}"`), 'what was typed is kept');
    assert.match(p.text, /统计截至 2022年8月31日/, 'the batch\'s own figures meanwhile');
  }
  const page_ = await get(srv, '/stats?batch=1&as_of=2022-06-30');
  assert.match(page_.text, /<p class="as-of"><strong>2022年第一批<\/strong> · 统计截至 2022年6月30日<\/p>/);
});

test('the unit table and the units of overdue claims: admins and leaders only', async () => {
  const ref = (await get(srv, '/api/v1/stats?batch=1')).json();
  for (const role of ['admin', 'leader', 'cadre', 'unit', 'evaluator']) {
    const sess = await login(srv, role);
    const j = JSON.parse((await page(srv, sess, '/api/v1/stats?batch=1')).text);
    const html = (await page(srv, sess, '/stats?batch=1')).text;
    if (role === 'admin' || role === 'leader') {
      assert.equal(j.unit_table.length, 79, `${role}: the 62 + 17 claiming units`);
      assert.equal(j.unit_table.reduce((a, u) => a + u.claimed, 0), 86);
      assert.equal(j.unit_table.reduce((a, u) => a + u.solved, 0), 33);
      assert.equal(j.unit_table.reduce((a, u) => a + u.overdue, 0), 9);
      for (let i = 1; i < j.unit_table.length; i++) assert.ok(j.unit_table[i - 1].claimed >= j.unit_table[i].claimed);
      assert.ok(j.overdue.every((o) => o.unit));
      assert.match(html, /<h2 id="units-h">各单位攻坚情况（内部）<\/h2>/);
      assert.match(html, /不是积分排名/);
      const u = j.unit_table[0];
      assert.ok(html.includes(`>${u.name}</th>`), u.name);
    } else {
      assert.equal(j.unit_table, undefined, role);
      assert.ok(j.overdue.every((o) => !('unit' in o)), role);
      assert.doesNotMatch(html, /id="units-h"/, role);
    }
    // every other figure is the same for everyone
    const { unit_table: _u, overdue: _o, ...rest } = j;
    const { unit_table: _u2, overdue: _o2, ...refRest } = ref;
    assert.deepEqual(rest, refRest, role);
  }
});

test('the big screen: a log-in (admin, leader) while off; public, audited switch, public figures only when on', async () => {
  assert.equal(sql(srv.store, 'SELECT bigscreen FROM tenant WHERE id = 1').trim(), '0');
  const anon = await get(srv, '/bigscreen', { redirect: 'manual' });
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get('location'), /^\/login\?next=%2Fbigscreen$/);
  const cadre = await login(srv, 'cadre');
  assert.equal((await page(srv, cadre, '/bigscreen')).status, 403);
  const leader = await login(srv, 'leader');
  assert.equal((await page(srv, leader, '/bigscreen')).status, 200);
  assert.equal((await page(srv, leader, '/admin/settings')).status, 403, 'only admins switch it');
  assert.equal((await form(srv, leader, '/admin/settings', { bigscreen: '1' })).status, 403);
  const admin = await login(srv, 'admin');
  const set = await page(srv, admin, '/admin/settings');
  assert.equal(set.status, 200);
  validHtml(set.text);
  assert.match(set.text, /name="bigscreen" value="1"/);
  const r = await form(srv, admin, '/admin/settings', { bigscreen: '1' });
  assert.equal(r.status, 303);
  assert.equal(sql(srv.store, 'SELECT bigscreen FROM tenant WHERE id = 1').trim(), '1');
  const a = sql(srv.store, "SELECT actor || '|' || before_json || '|' || after_json FROM audit_event WHERE action = 'tenant.settings' AND outcome = 'ok' ORDER BY id").trim().split('\n');
  assert.equal(+sql(srv.store, "SELECT count(*) FROM audit_event WHERE action = 'tenant.settings' AND outcome <> 'ok' AND actor = 'leader'").trim(), 2, 'the leader\'s refusals are logged');
  assert.equal(a.length, 1);
  assert.match(a[0], /^admin\|\{"bigscreen":\s?false\}\|\{"bigscreen":\s?true\}$/);
  const big = await get(srv, '/bigscreen');
  assert.equal(big.status, 200);
  validHtml(big.text);
  assert.match(big.text, /<meta http-equiv="refresh" content="60">/);
  assert.match(big.text, /<body class="bigscreen">/);
  assert.doesNotMatch(big.text, /<nav/, 'no navigation');
  const s = (await get(srv, '/api/v1/stats')).json();
  for (const [label, n] of [['榜单难题', s.problems], ['累计揭榜', s.claimed], ['累计破题', s.solved], ['攻坚中', s.in_progress], ['逾期', s.lights.red]])
    assert.equal(num(big.text, label), String(n), label);
  const units = JSON.parse((await page(srv, admin, '/api/v1/stats')).text).unit_table;
  for (const u of units) assert.ok(!big.text.includes(u.name), `no unit name (${u.name})`);
  for (const o of s.overdue) assert.ok(!big.text.includes(o.title), 'no overdue claim listed');
  // switched off again: a log-in once more
  assert.equal((await form(srv, admin, '/admin/settings', {})).status, 303);
  assert.equal((await get(srv, '/bigscreen', { redirect: 'manual' })).status, 303);
  assert.equal(+sql(srv.store, "SELECT count(*) FROM audit_event WHERE action = 'tenant.settings' AND outcome = 'ok'").trim(), 2);
});

test('a batch still open is counted as of today, apart from the closed one; all batches together as of today', async () => {
  const now = Math.floor(Date.now() / 1000);
  sql(srv.store, `INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at) VALUES (1, 3, '本年第一批', 2030, 'collecting', ${now - 86400}, ${now + 300 * 86400});` +
    ` INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name, state, is_public, created_at, updated_at)` +
    ` VALUES (1, 9001, 3, 2, '老旧小区加装电梯', '居民反映强烈', '居民', 'published', 1, ${now}, ${now})`);
  const days = [today()];
  const b2 = (await get(srv, '/api/v1/stats?batch=3')).json();
  const page2 = await get(srv, '/stats?batch=3');
  const all = (await get(srv, '/api/v1/stats')).json();
  days.push(today()); // the day may turn during the requests
  assert.deepEqual(b2.batch, { id: 3, name: '本年第一批' });
  assert.deepEqual([b2.problems, b2.claimed, b2.problems_by_category['城市建设类']], [1, 0, 1]);
  assert.ok(days.some((d) => d.iso === b2.as_of), `${b2.as_of} is today`);
  assert.ok(days.some((d) => page2.text.includes(`<p class="as-of"><strong>本年第一批</strong> · 统计截至 ${d.zh}</p>`)));
  assert.ok(days.some((d) => d.iso === all.as_of), 'one batch is open: all are as of today');
  assert.equal(all.problems, 105);
  const b1 = (await get(srv, '/api/v1/stats?batch=1')).json();
  assert.deepEqual([b1.problems, b1.claimed, b1.as_of], [104, 86, '2022-08-31'], 'the closed batch keeps its figures and day');
  assert.match((await get(srv, '/stats')).text, /<option value="3">本年第一批<\/option><option value="2">\d{4}年第一批<\/option><option value="1">2022年第一批<\/option>/, 'newest first');
});

test('a bad batch on the statistics page is a 400 naming the parameter', async () => {
  const r = await get(srv, '/stats?batch=abc');
  assert.equal(r.status, 400);
  assert.match(r.text, /batch/);
  const j = await get(srv, '/api/v1/stats?batch=-1');
  assert.equal(j.status, 400);
  assert.equal(j.json().error.field, 'batch');
});

test('final scores: average and grades by category, the same in the unit table (last: it changes two claims)', async () => {
  // two solved claims accepted with final scores, as after their notice
  const ids = sql(srv.store, "SELECT k.id FROM claim k JOIN problem p ON p.id = k.problem_id JOIN category c ON c.id = p.category_id" +
    " WHERE k.state = 'solved' AND p.batch_id = 1 AND c.name = '项目建设类' ORDER BY k.id LIMIT 2").trim().split('\n');
  sql(srv.store, `UPDATE claim SET state = 'accepted', score = 9150, grade = 'excellent', final_at = 1661900000 WHERE id = ${ids[0]};` +
    ` UPDATE claim SET state = 'accepted', score = 8425, grade = 'good', final_at = 1661900000 WHERE id = ${ids[1]}`);
  const s = (await get(srv, '/api/v1/stats?batch=1')).json();
  assert.equal(s.scored, 2);
  assert.equal(s.average_score, 87.88, '(91.50 + 84.25) / 2, rounded half up');
  assert.deepEqual(s.grades, { excellent: 1, good: 1, pass: 0, fail: 0 });
  assert.deepEqual(s.grades_by_category['项目建设类'], { scored: 2, average: 87.88, grades: { excellent: 1, good: 1, pass: 0, fail: 0 } });
  assert.equal(s.grades_by_category['城市建设类'].scored, 0);
  const html = (await get(srv, '/stats?batch=1')).text;
  assert.equal(num(html, '平均得分'), '87.88');
  assert.match(html, /<th scope="row" data-label="类别" class="card-title">项目建设类<\/th><td data-label="已评定">2<\/td><td data-label="平均得分">87.88<\/td><td data-label="优秀">1<\/td><td data-label="良好">1<\/td>/);
  const admin = await login(srv, 'admin');
  const t = JSON.parse((await page(srv, admin, '/api/v1/stats?batch=1')).text).unit_table;
  assert.equal(t.reduce((a, u) => a + u.scored, 0), 2);
  assert.equal(t.reduce((a, u) => a + u.accepted, 0), 2);
});
